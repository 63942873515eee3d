import { describe, expect, it } from "vitest";
import { decideForHost, evaluate, parseExpression } from "../../../checks/edge/expression/index.js";
import { REAL_EXPRESSIONS, substituted } from "./real-expressions.js";

describe("expressions from public Terraform configurations", () => {
  it("has at least 15 expressions from the three phases route computation reads, each with a commit", () => {
    expect(REAL_EXPRESSIONS.length).toBeGreaterThanOrEqual(15);
    for (const r of REAL_EXPRESSIONS) {
      expect(r.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(r.expect.length).toBeGreaterThanOrEqual(2);
    }
    const phases = new Set(REAL_EXPRESSIONS.map((r) => r.phase));
    expect([...phases].sort()).toEqual([
      "http_config_settings",
      "http_request_dynamic_redirect",
      "http_request_origin",
    ]);
  });

  for (const r of REAL_EXPRESSIONS) {
    const text = substituted(r);
    describe(`${r.repo}/${r.path}@${r.commit.slice(0, 8)}: ${text.replace(/\s+/g, " ").trim()}`, () => {
      const parsed = parseExpression(text);
      it("parses", () => {
        expect(parsed).toMatchObject({ ok: true });
      });
      for (const e of r.expect) {
        const where = `${e.host}${e.path ?? " (any path)"}`;
        it(`decides ${e.decide} for every request to ${where}`, () => {
          if (!parsed.ok) throw new Error(parsed.error);
          const d = decideForHost(parsed.expression, e.host, e.path);
          expect(d.kind, d.kind === "undecidable" ? d.why : "").toBe(e.decide);
          if (d.kind === "undecidable") expect(d.why.length).toBeGreaterThan(10);
        });
        if (e.probe) {
          it(`decides ${e.probe} for an HTTPS GET probe of ${e.host}${e.path ?? "/"}`, () => {
            if (!parsed.ok) throw new Error(parsed.error);
            const d = evaluate(parsed.expression, { host: e.host, path: e.path ?? "/", scheme: "https" });
            expect(d.kind, d.kind === "undecidable" ? d.why : "").toBe(e.probe);
          });
        }
      }
    });
  }
});
