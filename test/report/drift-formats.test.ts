import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { GITHUB_ERRORS_PER_STEP, renderGithub } from "../../checks/report/render-github.js";
import { renderJson } from "../../checks/report/render-json.js";
import { renderJunit } from "../../checks/report/render-junit.js";
import { renderMarkdown } from "../../checks/report/render-markdown.js";
import { renderPretty } from "../../checks/report/render-pretty.js";
import { renderSarif } from "../../checks/report/render-sarif.js";
import type { Report } from "../../checks/report/report.js";
import { catalogue } from "../../checks/rules/registry.js";
import { sampleDriftReport, sampleReport } from "./sample-report.js";

/** A report of `cf-preflight drift` states every difference in every format (golden files). */
const drifted = sampleDriftReport();
const require = createRequire(import.meta.url);

describe("reporters render a drift report (golden files)", () => {
  it("pretty", async () => {
    await expect(renderPretty(drifted, { color: false })).toMatchFileSnapshot("golden/drift.txt");
  });
  it("json", async () => {
    await expect(renderJson(drifted)).toMatchFileSnapshot("golden/drift.json");
  });
  it("markdown", async () => {
    await expect(renderMarkdown(drifted)).toMatchFileSnapshot("golden/drift.md");
  });
  it("sarif", async () => {
    await expect(renderSarif(drifted, { baseDir: "/repo", rules: catalogue() })).toMatchFileSnapshot(
      "golden/drift.sarif",
    );
  });
  it("junit", async () => {
    await expect(renderJunit(drifted)).toMatchFileSnapshot("golden/drift.junit.xml");
  });
  it("github annotations", async () => {
    await expect(renderGithub(drifted)).toMatchFileSnapshot("golden/drift.github.txt");
  });
});

describe("drift in the CI formats", () => {
  it("a check report's drift (the change a deploy makes) fails none of them", () => {
    const report = sampleReport();
    expect(report.drift.dns.length).toBeGreaterThan(0);
    expect(renderJunit(report)).not.toContain("-drift");
    expect(renderGithub(report)).not.toContain("-drift");
    expect(renderGithub(report)).toMatch(/^::notice title=cf-preflight::BLOCKED/m);
    const sarif = JSON.parse(renderSarif(report, { baseDir: "/repo", rules: catalogue() }));
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).not.toContain("dns-drift");
  });

  it("an unknown difference fails and says unknown; it is never passed or skipped", () => {
    const junit = renderJunit(drifted);
    expect(junit).toMatch(
      /name="dns-drift: A lb.example.com">\n {6}<failure message="unknown: A lb.example.com may differ[^"]*" type="dns-drift-unknown">/,
    );
    expect(junit).toMatch(/name="firewall-drift: web">\n {6}<failure message="unknown: web: /);
    expect(renderGithub(drifted)).toContain("::error file=");
  });

  it("sarif: the drift results and rules validate against the SARIF 2.1.0 JSON schema", () => {
    const schema = require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
    const Ajv = require("ajv-draft-04") as typeof import("ajv-draft-04").default;
    const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);
    const sarif = JSON.parse(renderSarif(drifted, { baseDir: "/repo", rules: catalogue() }));
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    expect(sarif.runs[0].results.filter((r: { ruleId: string }) => r.ruleId.endsWith("-drift"))).toHaveLength(
      5,
    );
  });

  it("github: past the per-step limit, the first differences and one annotation counting the rest", () => {
    const records = Array.from({ length: 25 }, (_, i) => ({
      action: "delete" as const,
      zone: "example.com",
      fqdn: `r${i}.example.com`,
      type: "TXT",
      fields: [],
    }));
    const many: Report = {
      ...sampleReport(),
      gate: "drift",
      drift: { dns: records, settings: [], firewall: [] },
    };
    const errors = renderGithub(many)
      .split("\n")
      .filter((l) => l.startsWith("::error "));
    const drift = errors.filter((l) => l.includes("title=dns-drift"));
    expect(drift).toHaveLength(GITHUB_ERRORS_PER_STEP - 2);
    expect(errors).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^::error title=drift::${25 - (GITHUB_ERRORS_PER_STEP - 2)} more drift difference\\(s\\) not annotated \\(25 difference\\(s\\)`,
        ),
      ),
    );
    expect(errors.at(-1)).toMatch(/^::error title=cf-preflight::DRIFT: 25 difference\(s\)/);
  });
});
