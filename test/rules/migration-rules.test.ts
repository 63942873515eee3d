import { describe, expect, it } from "vitest";
import { detectMigrations } from "../../checks/migration/detect.js";
import type {
  MigrationParity,
  ParityPair,
  ParitySample,
  PortOutcome,
  PortParity,
} from "../../checks/migration/parity.js";
import type { FirewallDrift } from "../../checks/model/change.js";
import { NO_DRIFT } from "../../checks/model/change.js";
import type { Finding } from "../../checks/model/finding.js";
import {
  DEFAULT_MIGRATION_POLICY,
  type Migration,
  type MigrationPolicy,
} from "../../checks/model/migration.js";
import type { Origin } from "../../checks/model/origin.js";
import type { DnsRecord } from "../../checks/model/record.js";
import { SNAPSHOT_RANGES } from "../../checks/preflight.js";
import type { ProbeResult, ProbeTarget } from "../../checks/probe/result.js";
import {
  migrationFirewall,
  migrationHttpParity,
  migrationLatency,
  migrationPortParity,
} from "../../checks/rules/migration-rules.js";
import type { Rule, RuleContext, Vantage } from "../../checks/rules/rule.js";
import { origin, record } from "../diff/helpers.js";

const ZONE = "example.com";
const WWW = "www.example.com";

const OLD = origin("old", {
  ipv4: ["192.0.2.1"],
  ipv6: ["2001:db8::1"],
  ports: [{ port: 443, scheme: "https" }],
});
const NEW = origin("new", { ipv4: ["198.51.100.1"], ipv6: ["2001:db8:1::1"] });

function proxied(type: DnsRecord["type"], content: string): DnsRecord {
  return record(WWW, type, content, { proxied: true });
}

/** www moves from the old origin to the new one (A and AAAA), both declared. */
function moving(): Migration {
  const zoneOf = (records: DnsRecord[]) => ({
    name: ZONE,
    sslMode: "strict" as const,
    records,
    originRules: [],
    origins: [OLD, NEW],
  });
  const [migration] = detectMigrations([
    {
      name: ZONE,
      live: zoneOf([proxied("A", "192.0.2.1"), proxied("AAAA", "2001:db8::1")]),
      desired: zoneOf([proxied("A", "198.51.100.1"), proxied("AAAA", "2001:db8:1::1")]),
    },
  ]);
  if (migration === undefined) throw new Error("the fixture should make one migration");
  return migration;
}

const MIGRATION = moving();
const ID = MIGRATION.id;
const HOST = MIGRATION.hostnames[0]!;
const OLD_V4 = HOST.old.find((t) => t.origin.kind === "ip" && t.origin.family === 4)!;
const NEW_V4 = HOST.new.find((t) => t.origin.kind === "ip" && t.origin.family === 4)!;
const OLD_V6 = HOST.old.find((t) => t.origin.kind === "ip" && t.origin.family === 6)!;
const NEW_V6 = HOST.new.find((t) => t.origin.kind === "ip" && t.origin.family === 6)!;

/** An HTTP answer from a target (200, text/html, 10 ms unless told). */
function ok(target: ProbeTarget, extra: Partial<ProbeResult> = {}): ProbeResult {
  return {
    target,
    status: "ok",
    predicts: null,
    phase: "http",
    code: null,
    message: "answers",
    address: target.origin.kind === "ip" ? target.origin.address : undefined,
    port: target.port,
    timings: { tcp: 1, tls: 4, http: 5 },
    bytesRead: 200,
    httpStatus: 200,
    headers: { contentType: "text/html; charset=utf-8" },
    ...extra,
  } as ProbeResult;
}

function failed(target: ProbeTarget, code: string, predicts: ProbeResult["predicts"]): ProbeResult {
  return {
    target,
    status: "fail",
    predicts,
    phase: "tcp",
    code,
    message: `connection failed (${code})`,
    port: target.port,
    timings: { tcp: 1 },
    bytesRead: 0,
  };
}

function sample(path: string, old: ProbeResult, next: ProbeResult): ParitySample {
  return { path, old, new: next };
}

function pair(samples: ParitySample[], extra: Partial<ParityPair> = {}): ParityPair {
  return { hostname: WWW, family: "ipv4", old: OLD_V4, new: NEW_V4, samples, ...extra };
}

function parity(extra: Partial<MigrationParity> = {}): MigrationParity {
  return {
    migration: MIGRATION,
    policy: DEFAULT_MIGRATION_POLICY,
    probed: true,
    pairs: [],
    ports: [],
    newOrigin: NEW,
    firewallExported: false,
    ...extra,
  };
}

function context(
  migrations: readonly MigrationParity[],
  extra: { vantage?: Vantage; firewall?: FirewallDrift[] } = {},
): RuleContext {
  return {
    desired: { files: [], zones: [], ipLists: [] },
    ranges: SNAPSHOT_RANGES,
    vantage: extra.vantage ?? "unknown",
    now: new Date("2026-11-21T00:00:00Z"),
    drift: { ...NO_DRIFT, firewall: extra.firewall ?? [] },
    migrations,
  };
}

function run(rule: Rule, ctx: RuleContext): readonly Finding[] {
  const findings = rule.evaluate(ctx);
  for (const f of findings) {
    expect(f.rule).toBe(rule.id);
    expect(f.migration).toBe(ID);
  }
  return findings;
}

describe("the fixture", () => {
  it("is one migration of www from the old origin to the new one", () => {
    expect(ID).toBe(`${ZONE}: old -> new`);
    expect([OLD_V4, NEW_V4, OLD_V6, NEW_V6].every((t) => t !== undefined)).toBe(true);
  });
});

describe("migration-http-parity", () => {
  it("is unknown for a migration that was not probed, and says nothing else", () => {
    const findings = run(migrationHttpParity, context([parity({ probed: false })]));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: "unknown", blocking: false, subject: { zone: ZONE } });
    expect(findings[0]?.message).toContain("not probed");
    expect(findings[0]?.evidence).toEqual({ hostnames: [WWW] });
  });

  it("is unknown for a pair that cannot be compared, with the reason", () => {
    const findings = run(
      migrationHttpParity,
      context([parity({ pairs: [pair([], { unknownReason: "both go to the same place" })] })]),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      status: "unknown",
      subject: { zone: ZONE, hostname: WWW, address: "198.51.100.1", port: 443 },
    });
    expect(findings[0]?.message).toContain("both go to the same place");
  });

  it("passes when old and new answer alike on every path (first sample per path)", () => {
    const findings = run(
      migrationHttpParity,
      context([
        parity({
          pairs: [
            pair([
              sample("/", ok(OLD_V4), ok(NEW_V4, { headers: { contentType: "TEXT/HTML" } })),
              sample("/", ok(OLD_V4), ok(NEW_V4, { httpStatus: 500 })),
              sample("/health", ok(OLD_V4, { httpStatus: 204 }), ok(NEW_V4, { httpStatus: 204 })),
            ]),
          ],
        }),
      ]),
    );
    expect(findings.map((f) => f.status)).toEqual(["pass"]);
    expect(findings[0]?.evidence).toEqual({ paths: ["/ (200)", "/health (204)"] });
    expect(findings[0]?.message).toContain("over IPv4");
  });

  it("fails, blocking, on 404 against 200", () => {
    const findings = run(
      migrationHttpParity,
      context([
        parity({
          pairs: [
            pair([
              sample("/", ok(OLD_V4), ok(NEW_V4)),
              sample("/health", ok(OLD_V4), ok(NEW_V4, { httpStatus: 404 })),
            ]),
          ],
        }),
      ]),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: "fail", blocking: true, predicts: null });
    expect(findings[0]?.message).toContain("/health");
    expect(findings[0]?.message).toContain("status 200 on the old origin, 404 on the new");
    expect(findings[0]?.evidence.differences).toEqual([
      { field: "status", old: "200", new: "404", blocking: true },
    ]);
  });

  it("fails on a different Location and on a different Content-Type", () => {
    const findings = run(
      migrationHttpParity,
      context([
        parity({
          pairs: [
            pair([
              sample(
                "/",
                ok(OLD_V4, { httpStatus: 301, location: "/home" }),
                ok(NEW_V4, { httpStatus: 301, location: "https://elsewhere.example.net/" }),
              ),
              sample("/api", ok(OLD_V4, { headers: { contentType: "application/json" } }), ok(NEW_V4)),
            ]),
          ],
        }),
      ]),
    );
    expect(
      findings.map((f) => [f.status, (f.evidence.differences as { field: string }[])[0]?.field]),
    ).toEqual([
      ["fail", "location"],
      ["fail", "content-type"],
    ]);
  });

  it("warns, not blocking, when only HSTS differs; alike when both have none or max-age=0", () => {
    const hsts = { contentType: "text/html", strictTransportSecurity: "max-age=31536000" };
    const findings = run(
      migrationHttpParity,
      context([parity({ pairs: [pair([sample("/", ok(OLD_V4, { headers: hsts }), ok(NEW_V4))])] })]),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: "warn", blocking: false });
    expect(findings[0]?.message).toContain(
      "strict-transport-security max-age=31536000 on the old origin, (none) on the new",
    );

    const off = { contentType: "text/html", strictTransportSecurity: "max-age=0" };
    const alike = run(
      migrationHttpParity,
      context([parity({ pairs: [pair([sample("/", ok(OLD_V4, { headers: off }), ok(NEW_V4))])] })]),
    );
    expect(alike.map((f) => f.status)).toEqual(["pass"]);
  });

  it("fails when the new origin gives an error on a configured path, with its prediction", () => {
    const findings = run(
      migrationHttpParity,
      context([
        parity({
          pairs: [pair([sample("/health", ok(OLD_V4), failed(NEW_V4, "ECONNREFUSED", "521"))])],
        }),
      ]),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: "fail", blocking: true, predicts: "521" });
  });

  it("leaves an error on / to the origin-* rules (no finding at all)", () => {
    const findings = run(
      migrationHttpParity,
      context([parity({ pairs: [pair([sample("/", ok(OLD_V4), failed(NEW_V4, "ECONNREFUSED", "521"))])] })]),
    );
    expect(findings).toEqual([]);
  });

  it("passes where the old origin fails and the new one answers", () => {
    const findings = run(
      migrationHttpParity,
      context([parity({ pairs: [pair([sample("/", failed(OLD_V4, "ETIMEDOUT", "522"), ok(NEW_V4))])] })]),
    );
    expect(findings.map((f) => f.status)).toEqual(["pass"]);
    expect(findings[0]?.message).toContain("the old origin fails: 522");
  });

  it("is unknown when one side could not be judged", () => {
    const unknown: ProbeResult = {
      ...failed(NEW_V4, "ECONNREFUSED", null),
      status: "unknown",
      message: "blocked by design?",
    };
    const findings = run(
      migrationHttpParity,
      context([parity({ pairs: [pair([sample("/", ok(OLD_V4), unknown)])] })]),
    );
    expect(findings.map((f) => f.status)).toEqual(["unknown"]);
    expect(findings[0]?.message).toContain("the new origin could not be judged (blocked by design?)");
  });

  it("names the IPv6 pair in its wording and subject", () => {
    const findings = run(
      migrationHttpParity,
      context([
        parity({
          pairs: [
            pair([sample("/", ok(OLD_V6), ok(NEW_V6, { httpStatus: 404 }))], {
              family: "ipv6",
              old: OLD_V6,
              new: NEW_V6,
            }),
          ],
        }),
      ]),
    );
    expect(findings[0]).toMatchObject({ status: "fail", subject: { address: "2001:db8:1::1" } });
    expect(findings[0]?.message).toContain("over IPv6");
  });
});

describe("migration-latency", () => {
  const timed = (http: number) => ({ tcp: 1, tls: 1, http });
  const policy: MigrationPolicy = { ...DEFAULT_MIGRATION_POLICY, latencyFactor: 2, latencySlackMs: 50 };

  it("fails when the new origin's fastest answer is over the factor and the slack", () => {
    const findings = run(
      migrationLatency,
      context([
        parity({
          policy,
          pairs: [
            pair([
              sample("/", ok(OLD_V4, { timings: timed(30) }), ok(NEW_V4, { timings: timed(400) })),
              sample("/", ok(OLD_V4, { timings: timed(8) }), ok(NEW_V4, { timings: timed(300) })),
            ]),
          ],
        }),
      ]),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: "fail", blocking: true, predicts: null });
    expect(findings[0]?.evidence.measured).toEqual([{ path: "/", oldMs: 10, newMs: 302 }]);
  });

  it("passes within the slack, and within the factor", () => {
    const findings = run(
      migrationLatency,
      context([
        parity({
          policy,
          pairs: [
            pair([
              sample("/", ok(OLD_V4, { timings: timed(1) }), ok(NEW_V4, { timings: timed(40) })),
              sample("/slow", ok(OLD_V4, { timings: timed(900) }), ok(NEW_V4, { timings: timed(1500) })),
            ]),
          ],
        }),
      ]),
    );
    expect(findings.map((f) => f.status)).toEqual(["pass"]);
    expect((findings[0]?.evidence.measured as unknown[]).length).toBe(2);
  });

  it("judges each path on its own: one slow path fails the pair", () => {
    const findings = run(
      migrationLatency,
      context([
        parity({
          policy,
          pairs: [
            pair([
              sample("/", ok(OLD_V4, { timings: timed(5) }), ok(NEW_V4, { timings: timed(5) })),
              sample("/search", ok(OLD_V4, { timings: timed(5) }), ok(NEW_V4, { timings: timed(500) })),
            ]),
          ],
        }),
      ]),
    );
    expect(findings.map((f) => f.status)).toEqual(["fail"]);
    expect(findings[0]?.message).toContain("/search");
    expect(findings[0]?.message).not.toContain("/ in");
  });

  it("says nothing without measurements: not probed, not comparable, or no answers", () => {
    expect(run(migrationLatency, context([parity({ probed: false })]))).toEqual([]);
    expect(
      run(migrationLatency, context([parity({ pairs: [pair([], { unknownReason: "same place" })] })])),
    ).toEqual([]);
    expect(
      run(
        migrationLatency,
        context([
          parity({ pairs: [pair([sample("/", ok(OLD_V4), failed(NEW_V4, "ECONNREFUSED", "521"))])] }),
        ]),
      ),
    ).toEqual([]);
  });
});

describe("migration-port-parity", () => {
  const answered: PortOutcome = { answered: true };
  const refusedPort: PortOutcome = { answered: false, code: "ECONNREFUSED" };
  const timedOut: PortOutcome = { answered: false, code: "ETIMEDOUT" };
  const port = (n: number, old: PortOutcome, next: PortOutcome): PortParity => ({
    port: n,
    family: "ipv4",
    oldAddress: "192.0.2.1",
    newAddress: "198.51.100.1",
    old,
    new: next,
  });

  it("passes on the ports both origins answer", () => {
    const findings = run(
      migrationPortParity,
      context([parity({ ports: [port(443, answered, answered), port(8443, answered, answered)] })]),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: "pass", predicts: null });
    expect(findings[0]?.evidence).toEqual({ ports: ["443 (IPv4)", "8443 (IPv4)"] });
  });

  it("ignores ports the old origin does not answer either", () => {
    expect(
      run(migrationPortParity, context([parity({ ports: [port(8443, refusedPort, refusedPort)] })])),
    ).toEqual([]);
  });

  it("leaves the ports the moving hostnames use to the origin probes", () => {
    expect(MIGRATION.to.ports).toEqual([443]);
    expect(
      run(
        migrationPortParity,
        context([parity({ ports: [port(443, answered, refusedPort)] })], { vantage: "allowed" }),
      ),
    ).toEqual([]);
  });

  it("warns (521 refused, 522 timed out) from an admitted vantage", () => {
    const findings = run(
      migrationPortParity,
      context([parity({ ports: [port(8443, answered, refusedPort), port(2053, answered, timedOut)] })], {
        vantage: "allowed",
      }),
    );
    expect(findings.map((f) => [f.status, f.predicts, f.subject.port, f.blocking])).toEqual([
      ["warn", "521", 8443, false],
      ["warn", "522", 2053, false],
    ]);
    expect(findings[0]?.subject).toEqual({ zone: ZONE, address: "198.51.100.1", port: 8443 });
  });

  it("is unknown when the new origin admits only Cloudflare and the vantage is not allowed", () => {
    for (const vantage of ["unknown", "outside"] as const) {
      const findings = run(
        migrationPortParity,
        context([parity({ ports: [port(8443, answered, refusedPort)] })], { vantage }),
      );
      expect(findings.map((f) => [f.status, f.predicts])).toEqual([["unknown", null]]);
    }
  });

  it("warns from any vantage when the new origin declares no firewall", () => {
    const open: Origin = { ...NEW, allowlist: { kind: "none" } };
    const findings = run(
      migrationPortParity,
      context([parity({ newOrigin: open, ports: [port(8443, answered, refusedPort)] })], {
        vantage: "outside",
      }),
    );
    expect(findings.map((f) => f.status)).toEqual(["warn"]);
  });

  it("is unknown for an undeclared new origin unless the vantage is allowed", () => {
    const { newOrigin: _, ...undeclared } = parity({ ports: [port(8443, answered, refusedPort)] });
    expect(run(migrationPortParity, context([undeclared])).map((f) => f.status)).toEqual(["unknown"]);
    expect(
      run(migrationPortParity, context([undeclared], { vantage: "allowed" })).map((f) => f.status),
    ).toEqual(["warn"]);
  });
});

describe("migration-firewall", () => {
  const missing: FirewallDrift = {
    zone: ZONE,
    origin: "new",
    kind: "missing-cloudflare-ranges",
    cidrs: ["173.245.48.0/20"],
    message: "misses 173.245.48.0/20",
    predicts: "522",
  };

  it("is unknown when the new origin is not declared", () => {
    const { newOrigin: _, ...undeclared } = parity();
    const findings = run(migrationFirewall, context([undeclared]));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: "unknown", subject: { zone: ZONE } });
    expect(findings[0]?.message).toContain("198.51.100.1");
    expect(findings[0]?.message).toContain("not declared");
  });

  it("passes when the new origin declares no firewall", () => {
    const findings = run(
      migrationFirewall,
      context([parity({ newOrigin: { ...NEW, allowlist: { kind: "none" } } })]),
    );
    expect(findings.map((f) => [f.status, f.predicts])).toEqual([["pass", null]]);
  });

  it("leaves missing ranges and unenforced allowlists to the firewall rules (no finding here)", () => {
    expect(
      run(migrationFirewall, context([parity({ firewallExported: true })], { firewall: [missing] })),
    ).toEqual([]);
    const enforced: FirewallDrift = { ...missing, kind: "enforced-missing", ports: [443] };
    expect(run(migrationFirewall, context([parity()], { firewall: [enforced] }))).toEqual([]);
  });

  it("never passes a new origin whose export holds rules the checker cannot decide (firewall-enforcement says unknown)", () => {
    const undecided: FirewallDrift = {
      ...missing,
      kind: "enforced-unknown",
      ports: [80, 443],
      rules: ["nftables[4] (ip filter INPUT handle 3): iptables match multiport (an xt expression)"],
    };
    expect(
      run(migrationFirewall, context([parity({ firewallExported: true })], { firewall: [undecided] })),
    ).toEqual([]);
  });

  it("ignores firewall drift about other origins", () => {
    const findings = run(
      migrationFirewall,
      context([parity({ firewallExported: true })], { firewall: [{ ...missing, origin: "old" }] }),
    );
    expect(findings.map((f) => f.status)).toEqual(["pass"]);
  });

  it("is unknown when the allowlist is fine but no export of the real firewall was given", () => {
    const findings = run(migrationFirewall, context([parity({ firewallExported: false })]));
    expect(findings.map((f) => [f.status, f.predicts])).toEqual([["unknown", null]]);
    expect(findings[0]?.message).toContain("--firewall new=FILE");
  });

  it("passes when the export was given and no drift is left", () => {
    const findings = run(migrationFirewall, context([parity({ firewallExported: true })]));
    expect(findings.map((f) => f.status)).toEqual(["pass"]);
  });
});
