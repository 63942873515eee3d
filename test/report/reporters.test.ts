import { createRequire } from "node:module";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { exitCode } from "../../checks/report/exit-code.js";
import { renderGithub } from "../../checks/report/render-github.js";
import { renderJson } from "../../checks/report/render-json.js";
import { renderJunit } from "../../checks/report/render-junit.js";
import { renderMarkdown } from "../../checks/report/render-markdown.js";
import { renderPretty } from "../../checks/report/render-pretty.js";
import { renderSarif } from "../../checks/report/render-sarif.js";
import { catalogue } from "../../checks/rules/registry.js";
import { sampleReport } from "./sample-report.js";

const report = sampleReport();
const require = createRequire(import.meta.url);

describe("reporters render one report object (golden files)", () => {
  it("pretty, without colour", async () => {
    await expect(renderPretty(report, { color: false })).toMatchFileSnapshot("golden/report.txt");
  });
  it("pretty, with colour only when asked", () => {
    expect(renderPretty(report, { color: true })).toContain("\u001b[31m");
    expect(renderPretty(report, { color: false })).not.toContain("\u001b[");
  });
  it("json", async () => {
    await expect(renderJson(report)).toMatchFileSnapshot("golden/report.json");
  });
  it("markdown", async () => {
    await expect(renderMarkdown(report)).toMatchFileSnapshot("golden/report.md");
  });
  it("sarif", async () => {
    await expect(renderSarif(report, { baseDir: "/repo", rules: catalogue() })).toMatchFileSnapshot(
      "golden/report.sarif",
    );
  });
  it("junit", async () => {
    await expect(renderJunit(report)).toMatchFileSnapshot("golden/report.junit.xml");
  });
  it("github annotations", async () => {
    await expect(renderGithub(report)).toMatchFileSnapshot("golden/report.github.txt");
  });
});

describe("the JSON report", () => {
  it("has the versioned shape of DESIGN.md", () => {
    const json = JSON.parse(renderJson(report));
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(["schemaVersion", "tool", "summary", "findings", "drift"]),
    );
    expect(json.summary).toEqual({ blocking: 1, warnings: 1, unknown: 1, passed: 0 });
    expect(json.findings[0]).toMatchObject({ rule: "origin-port-scheme", blocking: true, predicts: "521" });
    expect(Object.keys(json.drift)).toEqual(["dns", "settings", "firewall"]);
  });
});

describe("SARIF", () => {
  it("validates against the SARIF 2.1.0 JSON schema", () => {
    const schema = require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
    const Ajv = require("ajv-draft-04") as typeof import("ajv-draft-04").default;
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    const log = JSON.parse(renderSarif(report, { baseDir: "/repo", rules: catalogue() }));
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });
  it("points results at the construct path and the Terraform address, with rule help", () => {
    const log = JSON.parse(renderSarif(report, { baseDir: "/repo", rules: catalogue() }));
    const run = log.runs[0];
    expect(run.results.map((r: { level: string }) => r.level)).toEqual(["error", "note", "warning"]);
    expect(run.results[0].locations[0].logicalLocations[0].fullyQualifiedName).toBe(
      "example/example-com/api",
    );
    expect(run.results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      "cdktf.out/stacks/example/cdk.tf.json",
    );
    expect(run.results[2].locations[0].logicalLocations[0].name).toBe("cloudflare_dns_record.www");
    expect(run.tool.driver.rules[0].help.text).toContain("Fix:");
  });
});

describe("JUnit XML", () => {
  it("parses with a real XML parser and counts failures and skips", () => {
    const text = renderJunit(report);
    expect(XMLValidator.validate(text)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(text);
    const suites = [doc.testsuites.testsuite].flat();
    expect(suites.map((s: { name: string }) => s.name)).toEqual([
      "cf-preflight example.com",
      "cf-preflight example.org",
    ]);
    expect(suites[0]).toMatchObject({ tests: "3", failures: "1", skipped: "0" });
    expect(suites[1]).toMatchObject({ tests: "1", failures: "0", skipped: "1" });
    expect([suites[0].testcase].flat()[0].failure.message).toBe(
      'origin api refuses port 8443 <tcp> & "more"',
    );
  });
});

describe("GitHub annotations", () => {
  it("escape newlines and percent signs and pick the level from the finding", () => {
    const lines = renderGithub(report).trim().split("\n");
    expect(lines[0]).toMatch(
      /^::error file=\/repo\/cdktf\.out\/stacks\/example\/cdk\.tf\.json,title=521 origin-port-scheme/,
    );
    expect(lines[1]).toMatch(/^::notice /);
    expect(lines[2]).toMatch(/^::warning title=.*::.*100%25%0Asecond line/);
    expect(lines).toHaveLength(4);
  });
});

describe("exitCode", () => {
  it("is 1 with a blocking finding, 0 without, 1 for unknowns under --strict, 4 for drift", () => {
    expect(exitCode(report)).toBe(1);
    const clean = { ...report, summary: { blocking: 0, warnings: 0, unknown: 1, passed: 0 } };
    expect(exitCode(clean)).toBe(0);
    expect(exitCode(clean, { strict: true })).toBe(1);
    expect(exitCode(clean, { drift: true })).toBe(4);
    expect(exitCode({ ...clean, drift: { dns: [], settings: [], firewall: [] } }, { drift: true })).toBe(0);
  });
});
