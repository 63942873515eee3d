import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLOUDFLARE_RANGES_SNAPSHOT } from "../../checks/data/cloudflare-ips.js";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import { runCli } from "../helpers/run-cli.js";

/**
 * `drift` exits 4 when the code and the live zone differ; every report format must say so. A CI
 * that reads the SARIF, the JUnit XML, the annotations or the verdict line must never see a clean
 * run where the exit code says drift (audit: 0 failures, 0 results and a "PASSED" notice).
 * Real CLI, real SDK, the API emulator over HTTP on loopback.
 */

const TOKEN = "tok-SECRET-df-91c4";
const ZONE_ID = "${data.cloudflare_zone.main.zone_id}";
const LEFT_OUT = "131.0.72.0/22";

let dir: string;
let emulator: Emulator;
let env: NodeJS.ProcessEnv;

/** The code: www and api in example.com, strict SSL, and a record whose content is known only at apply. */
function stack(): string {
  const file = join(dir, "main.tf.json");
  writeFileSync(
    file,
    JSON.stringify({
      "//": {
        cf_preflight: {
          schemaVersion: 1,
          zones: [
            {
              zone: "example.com",
              zoneId: ZONE_ID,
              origins: [{ name: "web", ipv4: ["192.0.2.10"], ports: [{ port: 443, scheme: "https" }] }],
              hostnames: [{ fqdn: "www.example.com", origin: "web", proxied: true }],
            },
          ],
        },
      },
      variable: { lb_ip: { type: "string" } },
      data: { cloudflare_zone: { main: { filter: { name: "example.com" } } } },
      resource: {
        cloudflare_zone_setting: { ssl: { zone_id: ZONE_ID, setting_id: "ssl", value: "strict" } },
        cloudflare_dns_record: {
          www: {
            zone_id: ZONE_ID,
            name: "www.example.com",
            type: "A",
            content: "192.0.2.10",
            proxied: true,
            ttl: 1,
          },
          api: {
            zone_id: ZONE_ID,
            name: "api.example.com",
            type: "A",
            content: "192.0.2.11",
            proxied: true,
            ttl: 1,
          },
          lb: {
            zone_id: ZONE_ID,
            name: "lb.example.com",
            type: "A",
            content: "${var.lb_ip}",
            proxied: false,
            ttl: 300,
          },
        },
      },
    }),
  );
  return file;
}

/** An iptables-save export that leaves one Cloudflare range out on 443. */
function missingRangeExport(): string {
  const file = join(dir, "web.rules");
  const sources = CLOUDFLARE_RANGES_SNAPSHOT.ipv4.filter((c) => c !== LEFT_OUT);
  writeFileSync(
    file,
    [
      "*filter",
      ":INPUT DROP [0:0]",
      `-A INPUT -s ${sources.join(",")} -p tcp -m tcp --dport 443 -j ACCEPT`,
      "COMMIT",
      "",
    ].join("\n"),
  );
  return file;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cfpl-drift-formats-"));
  // Live: www points elsewhere (update), api is missing (create), old is extra (delete), SSL is
  // full (setting), lb has a content the code leaves to apply (not decidable).
  emulator = await startEmulator({
    token: TOKEN,
    seed: {
      zones: [
        {
          name: "example.com",
          ssl: "full",
          status: "active",
          records: [
            { name: "www.example.com", type: "A", content: "192.0.2.99", proxied: true, ttl: 1 },
            { name: "old.example.com", type: "TXT", content: "left over", ttl: 300 },
            { name: "lb.example.com", type: "A", content: "192.0.2.50", proxied: false, ttl: 300 },
          ],
        },
      ],
    },
  });
  env = { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_BASE_URL: emulator.url };
});

afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

async function drift(format: string, extra: readonly string[] = []) {
  return runCli(["drift", "--synth", stack(), "--format", format, ...extra], { env });
}

/** The drift differences as the JSON report lists them: the reference every other format is held to. */
async function reference() {
  const run = await drift("json", ["--firewall", `web=${missingRangeExport()}`]);
  expect(run.code).toBe(4);
  return JSON.parse(run.stdout);
}

describe("drift is stated in every report format", () => {
  it("the JSON report holds the differences and says the run gates on drift", async () => {
    const report = await reference();
    expect(report.gate).toBe("drift");
    expect(report.drift.dns.map((c: { action: string; fqdn: string }) => `${c.action} ${c.fqdn}`)).toEqual([
      "delete old.example.com",
      "create api.example.com",
      "update lb.example.com",
      "update www.example.com",
    ]);
    expect(report.drift.settings).toHaveLength(1);
    expect(report.drift.firewall.map((f: { kind: string }) => f.kind)).toEqual(["enforced-missing"]);
  });

  it("junit: a failing test case per difference, the total failures counting them", async () => {
    const run = await drift("junit", ["--firewall", `web=${missingRangeExport()}`]);
    expect(run.code).toBe(4);
    expect(XMLValidator.validate(run.stdout)).toBe(true);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(run.stdout);
    const suites = [xml.testsuites.testsuite].flat();
    const cases = suites.flatMap((s: { testcase: unknown }) => [s.testcase].flat()) as {
      name: string;
      failure?: { message: string; type: string };
    }[];
    const failed = cases.filter((c) => c.failure !== undefined);
    const names = failed.map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "dns-drift: TXT old.example.com",
        "dns-drift: A api.example.com",
        "dns-drift: A lb.example.com",
        "dns-drift: A www.example.com",
        "settings-drift: example.com ssl",
        "firewall-drift: web",
      ]),
    );
    const www = failed.find((c) => c.name === "dns-drift: A www.example.com");
    expect(www?.failure?.message).toContain("192.0.2.99");
    expect(www?.failure?.message).toContain("192.0.2.10");
    // The record the code leaves to apply is not called a difference, nor clean: it says unknown.
    const lb = failed.find((c) => c.name === "dns-drift: A lb.example.com");
    expect(lb?.failure?.message).toMatch(/unknown/);
    expect(Number(xml.testsuites.failures)).toBeGreaterThanOrEqual(6);
  });

  it("sarif: a result per difference with a stable rule id, at the level the gate has", async () => {
    const run = await drift("sarif", ["--firewall", `web=${missingRangeExport()}`]);
    expect(run.code).toBe(4);
    const sarif = JSON.parse(run.stdout);
    const results = sarif.runs[0].results as { ruleId: string; level: string; message: { text: string } }[];
    const drifted = results.filter((r) => r.ruleId.endsWith("-drift"));
    expect(drifted.map((r) => r.ruleId).sort()).toEqual([
      "dns-drift",
      "dns-drift",
      "dns-drift",
      "dns-drift",
      "firewall-drift",
      "settings-drift",
    ]);
    expect(new Set(drifted.map((r) => r.level))).toEqual(new Set(["error"]));
    const rules = sarif.runs[0].tool.driver.rules as { id: string; shortDescription: { text: string } }[];
    for (const id of ["dns-drift", "settings-drift", "firewall-drift"])
      expect(rules.find((r) => r.id === id)?.shortDescription.text).not.toBe(id);
    expect(sarif.runs[0].properties.gate).toBe("drift");
  });

  it("github: an error annotation per difference and never a PASSED notice", async () => {
    const run = await drift("github", ["--firewall", `web=${missingRangeExport()}`]);
    expect(run.code).toBe(4);
    expect(run.stdout).not.toMatch(/PASSED/);
    const errors = run.stdout.split("\n").filter((l) => l.startsWith("::error "));
    expect(errors.filter((l) => l.includes("title=dns-drift"))).toHaveLength(4);
    expect(errors.filter((l) => l.includes("title=settings-drift"))).toHaveLength(1);
    expect(errors.filter((l) => l.includes("title=firewall-drift"))).toHaveLength(1);
    expect(run.stdout).toMatch(/^::error title=cf-preflight::DRIFT: 6 difference\(s\)/m);
  });

  it("pretty and markdown: the verdict line says drift, with the count, never OK or PASSED", async () => {
    const pretty = await drift("pretty");
    expect(pretty.code).toBe(4);
    const first = pretty.stdout.split("\n")[0]!;
    expect(first).toMatch(/DRIFT/);
    expect(first).toContain("5 difference(s)");
    expect(first).not.toMatch(/\bOK\b|PASSED/);
    const markdown = await drift("markdown");
    expect(markdown.code).toBe(4);
    const heading = markdown.stdout.split("\n")[0]!;
    expect(heading).toMatch(/^## cf-preflight — DRIFT: 5 difference\(s\)/);
    expect(heading).not.toMatch(/PASSED/);
  });

  it("offline: firewall drift fails and DNS 'not compared' is unknown (skipped, a note), never passed", async () => {
    const args = ["--no-live", "--firewall", `web=${missingRangeExport()}`];
    const junit = await runCli(["drift", "--synth", stack(), "--format", "junit", ...args]);
    expect(junit.code).toBe(4);
    expect(junit.stdout).toMatch(/<testcase [^>]*name="firewall-drift: web">\s*<failure /);
    expect(junit.stdout).toMatch(/<testcase [^>]*name="live-unverified[^"]*">\s*<skipped /);
    const github = await runCli(["drift", "--synth", stack(), "--format", "github", ...args]);
    expect(github.code).toBe(4);
    expect(github.stdout).not.toMatch(/PASSED/);
    expect(github.stdout).toMatch(/^::error title=cf-preflight::DRIFT: 1 difference\(s\)/m);
    expect(github.stdout).toMatch(/^::notice title=live-unverified.*DNS and settings drift not compared/m);
  });

  it("check reports the same differences as pending changes: they do not fail check's formats", async () => {
    const run = await runCli(["check", "--synth", stack(), "--no-probes", "--format", "sarif"], { env });
    const sarif = JSON.parse(run.stdout);
    expect(sarif.runs[0].results.filter((r: { ruleId: string }) => r.ruleId.endsWith("-drift"))).toEqual([]);
    expect(sarif.runs[0].properties.gate).toBeUndefined();
  });
});
