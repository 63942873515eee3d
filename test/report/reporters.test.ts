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
import { sampleMigrationReport, sampleReport } from "./sample-report.js";

const report = sampleReport();
const moving = sampleMigrationReport();
const require = createRequire(import.meta.url);

/** The SARIF 2.1.0 JSON schema's validator, compiled once. */
function sarifValidator() {
  const schema = require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
  const Ajv = require("ajv-draft-04") as typeof import("ajv-draft-04").default;
  sarifValidator.compiled ??= new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(
    schema,
  );
  return sarifValidator.compiled;
}
sarifValidator.compiled = undefined as ReturnType<import("ajv-draft-04").default["compile"]> | undefined;

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

describe("reporters render the migrations section (golden files)", () => {
  it("pretty, without colour", async () => {
    await expect(renderPretty(moving, { color: false })).toMatchFileSnapshot("golden/migrations.txt");
  });
  it("json", async () => {
    await expect(renderJson(moving)).toMatchFileSnapshot("golden/migrations.json");
  });
  it("markdown", async () => {
    await expect(renderMarkdown(moving)).toMatchFileSnapshot("golden/migrations.md");
  });
  it("sarif", async () => {
    await expect(renderSarif(moving, { baseDir: "/repo", rules: catalogue() })).toMatchFileSnapshot(
      "golden/migrations.sarif",
    );
  });
  it("junit", async () => {
    await expect(renderJunit(moving)).toMatchFileSnapshot("golden/migrations.junit.xml");
  });
  it("github annotations", async () => {
    await expect(renderGithub(moving)).toMatchFileSnapshot("golden/migrations.github.txt");
  });
});

describe("the migrations section", () => {
  it("is absent from every format when the change moves no hostnames", () => {
    expect(report.migrations).toEqual([]);
    expect(renderPretty(report, { color: false })).not.toContain("Migrations");
    expect(renderMarkdown(report)).not.toContain("Migrations");
    expect(renderJunit(report)).not.toContain('name="migrations"');
    expect(renderGithub(report)).not.toContain("title=migration ");
    const sarif = JSON.parse(renderSarif(report, { baseDir: "/repo", rules: catalogue() }));
    expect(Object.keys(sarif.runs[0].properties)).toEqual(["summary", "coverage"]);
  });

  it("pretty: a block after the findings with verdict, zone, route, hostnames, counts and failing findings", () => {
    const text = renderPretty(moving, { color: false });
    const section = text.slice(text.indexOf("\nMigrations\n"));
    expect(text.indexOf("\nMigrations\n")).toBeGreaterThan(text.indexOf("[origin-certificate]"));
    expect(section).toContain("  BLOCKED    example.com: old -> new\n");
    expect(section).toContain("zone:      example.com");
    expect(section).toContain("from:      old (198.18.211.2) port 443 https\n");
    expect(section).toContain("to:        new (198.18.212.2, 2001:2:0:d4::2) port 443 https\n");
    expect(section).toContain("hostnames: www.example.com (address), api.example.com (address, origin port)");
    expect(section).toContain("checks:    1 failed, 0 warning(s), 0 unknown, 4 passed");
    expect(section).toMatch(
      /✖ 526 +www\.example\.com {2}the new origin's certificate does not cover www\.example\.com {2}\[origin-certificate\]/,
    );
    expect(section).toContain("  UNVERIFIED example.net");
    expect(section).toContain("  READY      example.org");
    // A passing finding about a migration is counted, not listed; findings without an id stay out.
    expect(section).not.toContain("migration-http-parity");
    expect(section).not.toContain("proxied-ttl-not-auto");
  });

  it("pretty: verdicts are coloured like statuses, and not at all without colour", () => {
    const coloured = renderPretty(moving, { color: true });
    expect(coloured).toContain("\u001b[31m\u001b[1mBLOCKED");
    expect(coloured).toContain("\u001b[33mUNVERIFIED");
    expect(coloured).toContain("\u001b[32mREADY");
    expect(renderPretty(moving, { color: false })).not.toContain("\u001b[");
  });

  it("markdown: a table of migrations and the failing findings of each blocked one", () => {
    const md = renderMarkdown(moving);
    expect(md).toContain("## Migrations\n\n| migration | from | to | hostnames | verdict |");
    expect(md).toContain(
      "| `example.com: old -> new` | old (198.18.211.2) port 443 https | new (198.18.212.2, 2001:2:0:d4::2) port 443 https | www.example.com (address), api.example.com (address, origin port) | ❌ BLOCKED |",
    );
    expect(md).toContain("| ✅ READY |");
    expect(md).toContain("### Blocked: `example.com: old -> new`");
    expect(md).toContain(
      "- ❌ **526** `origin-certificate` www.example.com: the new origin's certificate does not cover www.example.com",
    );
    expect(md).not.toContain("### Blocked: `example.org");
  });

  it("json: keeps the migrations and each finding's migration id", () => {
    const json = JSON.parse(renderJson(moving));
    expect(json.migrations.map((m: { id: string; verdict: string }) => [m.id, m.verdict])).toEqual([
      ["example.com: old -> new", "blocked"],
      ["example.net: web (full) -> web (strict)", "unverified"],
      ["example.org: lb-old.example.net -> lb-new.example.net", "ready"],
    ]);
    expect(json.migrations[0]).toEqual(moving.migrations[0]);
    expect(json.findings[0]).toMatchObject({
      rule: "origin-certificate",
      migration: "example.com: old -> new",
    });
    expect(JSON.parse(renderJson(report)).migrations).toEqual([]);
  });

  it("sarif: migrations in the run's properties, the id on each result about one, still valid 2.1.0", () => {
    const validate = sarifValidator();
    const log = JSON.parse(renderSarif(moving, { baseDir: "/repo", rules: catalogue() }));
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    const run = log.runs[0];
    expect(run.properties.migrations).toEqual(moving.migrations);
    const byRule = Object.fromEntries(
      run.results.map((r: { ruleId: string; properties: { migration?: string } }) => [
        r.ruleId,
        r.properties.migration,
      ]),
    );
    expect(byRule).toEqual({
      "origin-certificate": "example.com: old -> new",
      "migration-port-parity": "example.net: web (full) -> web (strict)",
      "proxied-ttl-not-auto": undefined,
    });
  });

  it("junit: a 'migrations' suite, failing the blocked one and skipping the unverified one", () => {
    const text = renderJunit(moving);
    expect(XMLValidator.validate(text)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(text);
    expect(doc.testsuites).toMatchObject({ tests: "7", failures: "2" });
    const suites = [doc.testsuites.testsuite].flat();
    const suite = suites.find((s: { name: string }) => s.name === "migrations");
    expect(suite).toMatchObject({ tests: "3", failures: "1", skipped: "1" });
    const cases = [suite.testcase].flat();
    expect(cases.map((c: { name: string }) => c.name)).toEqual(moving.migrations.map((m) => m.id));
    expect(cases[0].failure.type).toBe("migration-blocked");
    expect(cases[0].failure.message).toMatch(/^BLOCKED: www\.example\.com, api\.example\.com from old/);
    expect(cases[0].failure["#text"]).toContain("526 origin-certificate www.example.com");
    expect(cases[1].skipped.message).toMatch(/^UNVERIFIED: /);
    expect(cases[2].failure).toBeUndefined();
    expect(cases[2].skipped).toBeUndefined();
  });

  it("github: one annotation per migration, at the level its verdict earns", () => {
    const lines = renderGithub(moving).trim().split("\n");
    const migrations = lines.filter((l) => l.includes(" title=migration "));
    expect(migrations).toHaveLength(3);
    expect(migrations[0]).toMatch(/^::error title=migration example\.com%3A old -> new::BLOCKED: /);
    expect(migrations[0]).toContain("%0A526 origin-certificate www.example.com");
    expect(migrations[1]).toMatch(/^::warning title=migration example\.net%3A .*::UNVERIFIED: /);
    expect(migrations[2]).toMatch(/^::notice title=migration example\.org%3A .*::READY: /);
    // The per-finding annotations stay, and the verdict stays last.
    expect(lines.filter((l) => l.startsWith("::error title=526 origin-certificate"))).toHaveLength(1);
    expect(lines.at(-1)).toMatch(/^::notice title=cf-preflight::BLOCKED/);
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
    const validate = sarifValidator();
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
