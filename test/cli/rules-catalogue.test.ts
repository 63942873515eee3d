import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderRuleCatalogue } from "../../checks/report/render-rules.js";
import { catalogue } from "../../checks/rules/registry.js";
import { runCli } from "../helpers/run-cli.js";
import { PROJECT_ROOT } from "../helpers/synth.js";

describe("the rule catalogue", () => {
  it("in the README is the one the registry generates", () => {
    const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
    const table = /<!-- rules:begin[^\n]*-->\n([\s\S]*?)<!-- rules:end -->/.exec(readme)?.[1];
    expect(table).toBe(renderRuleCatalogue(catalogue(), "markdown"));
  });

  it("has unique ids, and wording for every rule", () => {
    const ids = catalogue().map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of catalogue()) {
      expect(rule.checks.length, rule.id).toBeGreaterThan(10);
      expect(rule.why.length, rule.id).toBeGreaterThan(10);
      expect(rule.fix.length, rule.id).toBeGreaterThan(10);
    }
  });

  it("is printed by `cf-preflight rules` as JSON", async () => {
    const run = await runCli(["rules", "--format", "json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).map((r: { id: string }) => r.id)).toEqual(catalogue().map((r) => r.id));
  });
});
