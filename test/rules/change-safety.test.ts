import { describe, expect, it } from "vitest";
import { computeDrift, pairZones } from "../../checks/diff/drift.js";
import type { Finding } from "../../checks/model/finding.js";
import type { DnsRecord } from "../../checks/model/record.js";
import type { LiveState, LiveZone } from "../../checks/model/zone.js";
import { SNAPSHOT_RANGES } from "../../checks/preflight.js";
import { applyAcknowledgements } from "../../checks/rules/acknowledgements.js";
import { apexNsChange } from "../../checks/rules/apex-ns-change.js";
import { changeThreshold } from "../../checks/rules/change-threshold.js";
import type { RuleContext } from "../../checks/rules/rule.js";
import { contextFor, ZONE_REF } from "../helpers/rule-context.js";

/** A live record as the API reader builds it. */
function liveRecord(
  fqdn: string,
  type: DnsRecord["type"],
  content: string,
  extra: Partial<DnsRecord> = {},
): DnsRecord {
  return { fqdn, type, content, proxied: false, ttl: 300, id: `id-${type}-${fqdn}-${content}`, ...extra };
}

/** The same record as the code declares it (Terraform JSON). */
function declared(fqdn: string, type: string, content: string) {
  return { zone_id: ZONE_REF, name: fqdn, type, content, proxied: false, ttl: 300 };
}

interface Scenario {
  /** Live A records host0..host{size-1}.example.com, all declared unless updated or removed below. */
  readonly size: number;
  /** The first `update` of them get a new address in code. */
  readonly update?: number;
  /** The next `remove` of them are no longer declared. */
  readonly remove?: number;
  /** New records only the code has. */
  readonly create?: number;
  /** Read-only (Cloudflare-managed) live records the code never declares. */
  readonly readOnly?: number;
  /** Further live records, and further declared records (by Terraform resource name). */
  readonly liveExtra?: readonly DnsRecord[];
  readonly declaredExtra?: Record<string, ReturnType<typeof declared>>;
  /** The zone's `migration` declaration and acknowledgements. */
  readonly migration?: Record<string, unknown>;
  readonly acknowledgements?: readonly Record<string, unknown>[];
}

/** A rule context with desired state from Terraform JSON, a live zone, and the real diff between them. */
async function scenario(s: Scenario): Promise<RuleContext> {
  const update = s.update ?? 0;
  const remove = s.remove ?? 0;
  const live: DnsRecord[] = [];
  const records: Record<string, ReturnType<typeof declared>> = {};
  for (let i = 0; i < s.size; i++) {
    const fqdn = `host${String(i)}.example.com`;
    live.push(liveRecord(fqdn, "A", `192.0.2.${String(i % 250)}`));
    if (i < update) records[`h${String(i)}`] = declared(fqdn, "A", `198.51.100.${String(i % 250)}`);
    else if (i >= update + remove)
      records[`h${String(i)}`] = declared(fqdn, "A", `192.0.2.${String(i % 250)}`);
  }
  for (let i = 0; i < (s.create ?? 0); i++) {
    records[`new${String(i)}`] = declared(`new${String(i)}.example.com`, "A", "203.0.113.1");
  }
  for (let i = 0; i < (s.readOnly ?? 0); i++) {
    live.push(
      liveRecord(`managed${String(i)}.example.com`, "TXT", `managed ${String(i)}`, { readOnly: true }),
    );
  }
  live.push(...(s.liveExtra ?? []));
  Object.assign(records, s.declaredExtra ?? {});
  const document = {
    "//": {
      cf_preflight: {
        schemaVersion: 2,
        zones: [
          {
            zone: "example.com",
            zoneId: ZONE_REF,
            ...(s.migration ? { migration: s.migration } : {}),
            ...(s.acknowledgements ? { acknowledgements: s.acknowledgements } : {}),
          },
        ],
      },
    },
    data: { cloudflare_zone: { main: { filter: { name: "example.com" } } } },
    resource: { cloudflare_dns_record: records },
  };
  const liveZone: LiveZone = {
    id: "0123456789abcdef0123456789abcdef",
    name: "example.com",
    status: "active",
    sslMode: "strict",
    records: live,
    originRules: [],
  };
  const liveState: LiveState = { zones: [liveZone], ranges: SNAPSHOT_RANGES, ipLists: [], requestCount: 0 };
  const base = await contextFor(document, { live: liveState });
  const drift = computeDrift({
    zones: pairZones(base.desired.zones, liveState.zones).pairs,
    ranges: SNAPSHOT_RANGES,
  });
  return { ...base, drift };
}

function only(findings: readonly Finding[]): Finding {
  expect(findings).toHaveLength(1);
  return findings[0]!;
}

describe("change-threshold", () => {
  it("fails when a change updates and deletes more than 30% of a zone of 10 records or more", async () => {
    const context = await scenario({ size: 12, update: 3, remove: 2 });
    const f = only(changeThreshold.evaluate(context));
    expect(f).toMatchObject({
      rule: "change-threshold",
      status: "fail",
      blocking: true,
      predicts: null,
      subject: { zone: "example.com" },
      evidence: { updates: 3, deletes: 2, records: 12, threshold: 0.3, minZoneRecords: 10 },
    });
    expect(f.message).toBe(
      "example.com: the change updates 3 and deletes 2 of 12 records (41.7%), over the 30% threshold",
    );
    expect(f.evidence.share).toBeCloseTo(5 / 12);
    expect(f.evidence.sample).toEqual([
      { action: "delete", fqdn: "host3.example.com", type: "A" },
      { action: "delete", fqdn: "host4.example.com", type: "A" },
      { action: "update", fqdn: "host0.example.com", type: "A" },
      { action: "update", fqdn: "host1.example.com", type: "A" },
      { action: "update", fqdn: "host2.example.com", type: "A" },
    ]);
    expect(f.fix).toMatch(/split/i);
    expect(f.fix).toContain('rule: "change-threshold"');
  });

  it("passes when the change stays within the threshold, saying the share and the threshold", async () => {
    const f = only(changeThreshold.evaluate(await scenario({ size: 12, update: 1, remove: 1 })));
    expect(f).toMatchObject({
      status: "pass",
      blocking: false,
      evidence: { updates: 1, deletes: 1, records: 12 },
    });
    expect(f.message).toBe(
      "example.com: the change updates 1 and deletes 1 of 12 records (16.7%), within the 30% threshold",
    );
  });

  it("passes at exactly 30% and fails just over it", async () => {
    expect(only(changeThreshold.evaluate(await scenario({ size: 10, update: 3 }))).status).toBe("pass");
    expect(only(changeThreshold.evaluate(await scenario({ size: 10, update: 2, remove: 2 }))).status).toBe(
      "fail",
    );
    expect(only(changeThreshold.evaluate(await scenario({ size: 100, update: 20, remove: 10 }))).status).toBe(
      "pass",
    );
    const justOver = only(changeThreshold.evaluate(await scenario({ size: 100, update: 20, remove: 11 })));
    expect(justOver).toMatchObject({ status: "fail", evidence: { updates: 20, deletes: 11, records: 100 } });
    expect(justOver.message).toContain("(31%), over the 30% threshold");
  });

  it("exempts zones under 10 records, however much changes", async () => {
    const f = only(changeThreshold.evaluate(await scenario({ size: 9, update: 4, remove: 5 })));
    expect(f).toMatchObject({ status: "pass", evidence: { updates: 4, deletes: 5, records: 9 } });
    expect(f.message).toContain("exempt");
    expect(f.message).toContain("under 10 records");
  });

  it("does not count creates", async () => {
    const f = only(changeThreshold.evaluate(await scenario({ size: 10, update: 2, create: 25 })));
    expect(f).toMatchObject({ status: "pass", evidence: { updates: 2, deletes: 0, records: 10 } });
    const failing = only(changeThreshold.evaluate(await scenario({ size: 10, update: 4, create: 5 })));
    expect(failing).toMatchObject({ status: "fail", evidence: { updates: 4, deletes: 0, records: 10 } });
    expect(failing.evidence.sample).not.toContainEqual(expect.objectContaining({ action: "create" }));
  });

  it("does not count read-only records in the zone's size", async () => {
    // 4 of 10 editable records is 40%; counting the 5 managed ones would make it 26.7% and pass.
    const f = only(changeThreshold.evaluate(await scenario({ size: 10, update: 4, readOnly: 5 })));
    expect(f).toMatchObject({ status: "fail", evidence: { records: 10 } });
    // Nine editable records plus managed ones stay under the minimum size.
    expect(
      only(changeThreshold.evaluate(await scenario({ size: 9, remove: 9, readOnly: 5 }))).message,
    ).toContain("exempt");
  });

  it("honours the zone's own policy", async () => {
    const migration = { maxChangeShare: 0.5, minZoneRecords: 4 };
    // 50% of 10 passes under the custom share (it would fail the default 30%).
    expect(
      only(changeThreshold.evaluate(await scenario({ size: 10, update: 3, remove: 2, migration }))).status,
    ).toBe("pass");
    expect(
      only(changeThreshold.evaluate(await scenario({ size: 10, update: 3, remove: 3, migration }))),
    ).toMatchObject({
      status: "fail",
      evidence: { threshold: 0.5, minZoneRecords: 4 },
      message: "example.com: the change updates 3 and deletes 3 of 10 records (60%), over the 50% threshold",
    });
    // A zone of 4 records is no longer exempt; one of 3 still is.
    expect(only(changeThreshold.evaluate(await scenario({ size: 4, update: 3, migration }))).status).toBe(
      "fail",
    );
    expect(
      only(changeThreshold.evaluate(await scenario({ size: 3, remove: 3, migration }))).message,
    ).toContain("under 4 records are exempt");
  });

  it("is suppressed by a zone-level acknowledgement with a reason", async () => {
    const context = await scenario({
      size: 10,
      remove: 8,
      acknowledgements: [
        { rule: "change-threshold", reason: "retiring the old host: the zone shrinks on purpose" },
      ],
    });
    const findings = applyAcknowledgements(changeThreshold.evaluate(context), context.desired, context.now);
    expect(findings).toEqual([
      expect.objectContaining({
        rule: "change-threshold",
        status: "fail",
        blocking: false,
        acknowledged: { reason: "retiring the old host: the zone shrinks on purpose" },
      }),
    ]);
    // Without the acknowledgement the same change blocks.
    const bare = await scenario({ size: 10, remove: 8 });
    expect(applyAcknowledgements(changeThreshold.evaluate(bare), bare.desired, bare.now)).toEqual([
      expect.objectContaining({ status: "fail", blocking: true }),
    ]);
  });

  it("says nothing about desired zones that have no live zone", async () => {
    const context = await scenario({ size: 12, remove: 12 });
    const elsewhere = {
      ...context.live!,
      zones: context.live!.zones.map((z) => ({ ...z, name: "other.test", id: "x" })),
    };
    expect(changeThreshold.evaluate({ ...context, live: elsewhere })).toEqual([]);
  });
});

describe("apex-ns-change", () => {
  const apexNs = (content: string, extra: Partial<DnsRecord> = {}) =>
    liveRecord("example.com", "NS", content, extra);

  it("fails when the change deletes an apex NS record", async () => {
    const f = only(
      apexNsChange.evaluate(await scenario({ size: 3, liveExtra: [apexNs("ns1.other-dns.test")] })),
    );
    expect(f).toMatchObject({
      rule: "apex-ns-change",
      status: "fail",
      blocking: true,
      predicts: null,
      subject: { zone: "example.com", hostname: "example.com", type: "NS" },
      evidence: { changes: [{ action: "delete", fqdn: "example.com", from: "ns1.other-dns.test" }] },
    });
    expect(f.message).toContain("deletes ns1.other-dns.test");
    expect(f.fix).toMatch(/change of their own/);
  });

  it("fails when the change updates an apex NS record", async () => {
    const f = only(
      apexNsChange.evaluate(
        await scenario({
          size: 3,
          liveExtra: [apexNs("ns1.other-dns.test")],
          declaredExtra: { ns: declared("example.com", "NS", "ns2.other-dns.test") },
        }),
      ),
    );
    expect(f).toMatchObject({
      status: "fail",
      evidence: {
        changes: [
          { action: "update", fqdn: "example.com", from: "ns1.other-dns.test", to: "ns2.other-dns.test" },
        ],
      },
    });
  });

  it("fails when the change creates an apex NS record", async () => {
    const f = only(
      apexNsChange.evaluate(
        await scenario({
          size: 3,
          declaredExtra: { ns: declared("example.com", "NS", "ns1.other-dns.test") },
        }),
      ),
    );
    expect(f).toMatchObject({
      status: "fail",
      evidence: { changes: [{ action: "create", to: "ns1.other-dns.test" }] },
    });
  });

  it("passes when only a subdomain's NS delegation changes", async () => {
    const f = only(
      apexNsChange.evaluate(
        await scenario({
          size: 3,
          liveExtra: [liveRecord("sub.example.com", "NS", "ns1.delegated.test")],
          declaredExtra: { sub: declared("sub.example.com", "NS", "ns2.delegated.test") },
        }),
      ),
    );
    expect(f).toMatchObject({
      status: "pass",
      blocking: false,
      subject: { zone: "example.com", hostname: "example.com", type: "NS" },
    });
  });

  it("passes when the apex NS records stay as they are, and ignores Cloudflare's read-only ones", async () => {
    const context = await scenario({
      size: 3,
      update: 3,
      liveExtra: [
        apexNs("ns1.other-dns.test"),
        apexNs("ada.ns.cloudflare.com", { readOnly: true }),
        apexNs("bob.ns.cloudflare.com", { readOnly: true }),
      ],
      declaredExtra: { ns: declared("example.com", "NS", "ns1.other-dns.test") },
    });
    expect(only(apexNsChange.evaluate(context)).status).toBe("pass");
  });

  it("is suppressed by an acknowledgement naming the apex", async () => {
    const context = await scenario({
      size: 3,
      liveExtra: [apexNs("ns1.other-dns.test")],
      acknowledgements: [
        {
          rule: "apex-ns-change",
          hostname: "example.com",
          reason: "leaving the second DNS provider, registrar already updated",
        },
      ],
    });
    const findings = applyAcknowledgements(apexNsChange.evaluate(context), context.desired, context.now);
    expect(findings).toEqual([
      expect.objectContaining({ status: "fail", blocking: false, acknowledged: expect.any(Object) }),
    ]);
  });
});
