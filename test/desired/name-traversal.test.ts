import { getExpressionAst } from "@cdktn/hcl2json";
import { describe, expect, it } from "vitest";
import { ExpressionCache, nameTraversal } from "../../checks/desired/terraform/ast.js";

/**
 * References are parsed without loading HashiCorp's parser (WebAssembly) when they are plain
 * traversals of names; the tree built must be the parser's own, node for node, or the evaluator
 * would read them differently. Everything else is left to the parser.
 */
describe("nameTraversal", () => {
  it.each([
    "data.cloudflare_zone.main.zone_id",
    "cloudflare_zone.example.id",
    "var.zone",
    "local.records",
    "each.value",
    "count.index",
    "module.dns.zone_id",
    "path.module",
    "x",
    "a_b.C9._d",
    "data.cloudflare_zone.example-com_zone_87D51749.zone_id",
    "a-b",
    "a-1.x--y",
    "z-",
  ])("builds the parser's tree for %s", async (expression) => {
    const parsed = await getExpressionAst("expression.tf", expression);
    expect(nameTraversal(expression)).toEqual(JSON.parse(JSON.stringify(parsed)));
  });

  it.each([
    "true",
    "false",
    "null",
    "null.x",
    "-a",
    "a - b",
    "var.list[0]",
    'cloudflare_zone.z["k"].id',
    "var.a + 1",
    " var.a",
    "var..a",
    "var.",
    "upper(var.a)",
    "9lives.x",
  ])("leaves %s to the parser", (expression) => {
    expect(nameTraversal(expression)).toBeUndefined();
  });

  it("prepares a configuration of plain references without the parser, and the rest with it", async () => {
    const cache = new ExpressionCache();
    await cache.prepare(["${data.cloudflare_zone.main.zone_id}", "${var.a + 1}", "${true}"]);
    expect(cache.get("data.cloudflare_zone.main.zone_id")).toMatchObject({ ok: true });
    expect(cache.get("var.a + 1")).toMatchObject({ ok: true, parsed: { node: { type: "binaryOp" } } });
    expect(cache.get("true")).toMatchObject({ ok: true, parsed: { node: { type: "literalValue" } } });
  });
});
