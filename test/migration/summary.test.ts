import { describe, expect, it } from "vitest";
import { detectMigrations, type MigrationZoneInput } from "../../checks/migration/detect.js";
import type { MigrationParity } from "../../checks/migration/parity.js";
import { summarizeMigrations, tagMigrationFindings } from "../../checks/migration/summary.js";
import type { Finding, FindingStatus, Subject } from "../../checks/model/finding.js";
import { DEFAULT_MIGRATION_POLICY, type Migration } from "../../checks/model/migration.js";
import type { Origin } from "../../checks/model/origin.js";
import type { DnsRecord } from "../../checks/model/record.js";
import { origin, record } from "../diff/helpers.js";

const ORIGINS: Origin[] = [
  origin("old", { ipv4: ["192.0.2.1"] }),
  origin("new", { ipv4: ["198.51.100.1"] }),
  origin("api-old", { ipv4: ["192.0.2.2"] }),
  origin("api-new", { ipv4: ["198.51.100.2"] }),
];

function zoneInput(name: string, live: DnsRecord[], desired: DnsRecord[]): MigrationZoneInput {
  const side = (records: DnsRecord[]) => ({
    name,
    sslMode: "strict" as const,
    records,
    originRules: [],
    origins: ORIGINS,
  });
  return { name, live: side(live), desired: side(desired) };
}

const p = (fqdn: string, content: string) => record(fqdn, "A", content, { proxied: true });

/** example.com: www moves old -> new, api moves api-old -> api-new; example.org: www moves old -> new. */
const MIGRATIONS: Migration[] = detectMigrations([
  zoneInput(
    "example.com",
    [
      p("www.example.com", "192.0.2.1"),
      p("api.example.com", "192.0.2.2"),
      p("static.example.com", "192.0.2.1"),
    ],
    [
      p("www.example.com", "198.51.100.1"),
      p("api.example.com", "198.51.100.2"),
      p("static.example.com", "192.0.2.1"),
    ],
  ),
  zoneInput("example.org", [p("www.example.org", "192.0.2.1")], [p("www.example.org", "198.51.100.1")]),
]);
const WWW_COM = "example.com: old -> new";
const API_COM = "example.com: api-old -> api-new";
const WWW_ORG = "example.org: old -> new";

function f(rule: string, status: FindingStatus, subject: Subject, extra: Partial<Finding> = {}): Finding {
  return {
    rule,
    status,
    blocking: status === "fail",
    predicts: null,
    subject,
    message: `${rule} ${status}`,
    evidence: {},
    fix: "fix it",
    ...extra,
  };
}

describe("tagMigrationFindings", () => {
  it("has the three migrations the fixture means", () => {
    expect(MIGRATIONS.map((m) => m.id).sort()).toEqual([API_COM, WWW_COM, WWW_ORG].sort());
  });

  it("ties origin-* findings to the migration of their zone and hostname", () => {
    const findings = [
      f("origin-tcp", "fail", { zone: "example.com", hostname: "www.example.com", port: 443 }),
      f("origin-certificate", "fail", { zone: "example.com", hostname: "api.example.com" }),
      f("origin-tcp", "pass", { zone: "example.org", hostname: "www.example.org" }),
      f("origin-http", "pass", { hostname: "api.example.com" }),
    ];
    expect(tagMigrationFindings(findings, MIGRATIONS).map((x) => x.migration)).toEqual([
      WWW_COM,
      API_COM,
      WWW_ORG,
      API_COM,
    ]);
  });

  it("leaves untagged what no migration is about", () => {
    const findings = [
      f("origin-tcp", "fail", { zone: "example.com", hostname: "static.example.com" }),
      f("origin-tcp", "fail", { zone: "example.net", hostname: "www.example.com" }),
      f("origin-tcp", "fail", { zone: "example.com" }),
      f("proxied-ttl-not-auto", "warn", { zone: "example.com", hostname: "www.example.com" }),
      f("allowlist-missing-ranges", "fail", { zone: "example.com" }, { evidence: { origin: "old" } }),
      f("firewall-enforcement", "fail", {}, { evidence: {} }),
    ];
    expect(tagMigrationFindings(findings, MIGRATIONS).map((x) => x.migration)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("ties firewall findings to the migration whose new origin they are about", () => {
    const findings = [
      f("allowlist-missing-ranges", "fail", { zone: "example.com" }, { evidence: { origin: "api-new" } }),
      f("firewall-enforcement", "fail", { zone: "example.org" }, { evidence: { origin: "new" } }),
      f("allowlist-exposed", "warn", {}, { evidence: { origin: "api-new" } }),
    ];
    expect(tagMigrationFindings(findings, MIGRATIONS).map((x) => x.migration)).toEqual([
      API_COM,
      WWW_ORG,
      API_COM,
    ]);
  });

  it("keeps the tag a finding already has, and returns the findings unchanged without migrations", () => {
    const tagged = f(
      "origin-tcp",
      "fail",
      { zone: "example.com", hostname: "www.example.com" },
      { migration: "x" },
    );
    expect(tagMigrationFindings([tagged], MIGRATIONS)[0]?.migration).toBe("x");
    const plain = f("origin-tcp", "fail", { zone: "example.com", hostname: "www.example.com" });
    expect(tagMigrationFindings([plain], [])).toEqual([plain]);
  });

  it("does not change the findings it is given", () => {
    const plain = f("origin-tcp", "fail", { zone: "example.com", hostname: "www.example.com" });
    tagMigrationFindings([plain], MIGRATIONS);
    expect(plain.migration).toBeUndefined();
  });
});

describe("summarizeMigrations", () => {
  const migration = MIGRATIONS.find((m) => m.id === WWW_COM)!;
  const parity = (probed = true): MigrationParity => ({
    migration,
    policy: DEFAULT_MIGRATION_POLICY,
    probed,
    pairs: [],
    ports: [],
    firewallExported: false,
  });
  const mine = (status: FindingStatus, extra: Partial<Finding> = {}) =>
    f("migration-http-parity", status, { zone: "example.com" }, { migration: WWW_COM, ...extra });

  it("shows the migration with its hostnames and reasons, ready when everything passed", () => {
    const [summary] = summarizeMigrations([parity()], [mine("pass"), mine("pass")]);
    expect(summary).toEqual({
      id: WWW_COM,
      zone: "example.com",
      from: migration.from,
      to: migration.to,
      hostnames: [{ hostname: "www.example.com", reasons: ["address"] }],
      verdict: "ready",
      checks: { failed: 0, warnings: 0, unknown: 0, passed: 2 },
    });
  });

  it("is ready with warnings only", () => {
    expect(summarizeMigrations([parity()], [mine("warn"), mine("pass")])[0]?.verdict).toBe("ready");
  });

  it("is blocked by a blocking finding, before anything else", () => {
    const [summary] = summarizeMigrations([parity(false)], [mine("fail"), mine("unknown"), mine("warn")]);
    expect(summary?.verdict).toBe("blocked");
    expect(summary?.checks).toEqual({ failed: 1, warnings: 1, unknown: 1, passed: 0 });
  });

  it("is blocked by a blocking finding whatever its status", () => {
    expect(summarizeMigrations([parity()], [mine("warn", { blocking: true })])[0]?.verdict).toBe("blocked");
  });

  it("is not-probed when not probed and nothing blocks, before unverified", () => {
    expect(summarizeMigrations([parity(false)], [mine("unknown")])[0]?.verdict).toBe("not-probed");
  });

  it("is unverified when probed with unknown findings and nothing blocks", () => {
    expect(summarizeMigrations([parity()], [mine("unknown"), mine("pass")])[0]?.verdict).toBe("unverified");
  });

  it("ignores acknowledged findings and findings about other migrations", () => {
    const acknowledged = mine("fail", { acknowledged: { reason: "the old origin is retired anyway" } });
    const other = f("origin-tcp", "fail", { zone: "example.com" }, { migration: API_COM });
    const [summary] = summarizeMigrations([parity()], [acknowledged, other, mine("pass")]);
    expect(summary?.verdict).toBe("ready");
    expect(summary?.checks).toEqual({ failed: 0, warnings: 0, unknown: 0, passed: 1 });
  });

  it("gives one summary per parity, in order", () => {
    const api = MIGRATIONS.find((m) => m.id === API_COM)!;
    const summaries = summarizeMigrations(
      [parity(), { ...parity(), migration: api }],
      [f("origin-tcp", "fail", {}, { migration: API_COM })],
    );
    expect(summaries.map((s) => [s.id, s.verdict])).toEqual([
      // Nothing was found about it at all: not proven ready.
      [WWW_COM, "unverified"],
      [API_COM, "blocked"],
    ]);
  });

  it("lets the new origin's firewall decide every migration to it, not only the one its finding names", () => {
    const api = MIGRATIONS.find((m) => m.id === API_COM)!;
    const www = MIGRATIONS.find((m) => m.id === WWW_COM)!;
    const sameNew = { ...api, to: www.to, zone: www.zone };
    const firewall = f("firewall-enforcement", "fail", {}, { migration: WWW_COM });
    const withOrigin = { ...firewall, evidence: { origin: www.to.origin }, subject: { zone: www.zone } };
    const summaries = summarizeMigrations(
      [parity(), { ...parity(), migration: sameNew }],
      [withOrigin, f("migration-http-parity", "pass", {}, { migration: API_COM })],
    );
    expect(summaries.map((s) => s.verdict)).toEqual(["blocked", "blocked"]);
  });
});
