import { describe, expect, it } from "vitest";
import { detectMigrations, type MigrationZoneInput, migrationId } from "../../checks/migration/detect.js";
import type { Origin } from "../../checks/model/origin.js";
import type { OriginRule } from "../../checks/model/origin-rule.js";
import type { DnsRecord } from "../../checks/model/record.js";
import type { SslMode } from "../../checks/model/ssl-mode.js";
import { parseConnectToList } from "../../checks/probe/connect-to.js";
import type { ProbePlanZone } from "../../checks/probe/plan.js";
import { origin, record } from "../diff/helpers.js";

const ZONE = "example.com";
const WWW = "www.example.com";
const APP = "app.example.com";

/** A proxied record (what Cloudflare routes through its edge). */
function proxied(fqdn: string, type: DnsRecord["type"], content: string): DnsRecord {
  return record(fqdn, type, content, { proxied: true });
}

interface Side {
  readonly records: readonly DnsRecord[];
  readonly sslMode?: SslMode;
  readonly originRules?: readonly OriginRule[];
  readonly origins?: readonly Origin[];
}

function side(s: Side): ProbePlanZone {
  return {
    name: ZONE,
    sslMode: s.sslMode ?? "strict",
    records: s.records,
    originRules: s.originRules ?? [],
    origins: s.origins ?? [],
  };
}

function zone(live: Side, desired: Side): MigrationZoneInput {
  return { name: ZONE, live: side(live), desired: side(desired) };
}

function rule(hostnames: string[], extra: Partial<OriginRule>): OriginRule {
  return {
    expression: `http.host in {${hostnames.map((h) => `"${h}"`).join(" ")}}`,
    hostnames,
    enabled: true,
    ...extra,
  };
}

describe("detectMigrations: what moves", () => {
  it("an A record's new address is a migration with reason address", () => {
    const migrations = detectMigrations([
      zone({ records: [proxied(WWW, "A", "192.0.2.1")] }, { records: [proxied(WWW, "A", "198.51.100.1")] }),
    ]);
    expect(migrations).toHaveLength(1);
    const [m] = migrations;
    expect(m).toMatchObject({
      zone: ZONE,
      from: { addresses: ["192.0.2.1"], ports: [443], scheme: "https", sslMode: "strict" },
      to: { addresses: ["198.51.100.1"], ports: [443], scheme: "https", sslMode: "strict" },
    });
    expect(m?.from.origin).toBeUndefined();
    expect(m?.hostnames.map((h) => [h.hostname, h.reasons])).toEqual([[WWW, ["address"]]]);
    expect(m?.hostnames[0]?.old.map((t) => t.origin)).toEqual([
      { kind: "ip", address: "192.0.2.1", family: 4 },
    ]);
    expect(m?.hostnames[0]?.new.map((t) => t.origin)).toEqual([
      { kind: "ip", address: "198.51.100.1", family: 4 },
    ]);
  });

  it("an AAAA record's new address is a migration with reason address, the A record kept", () => {
    const migrations = detectMigrations([
      zone(
        { records: [proxied(WWW, "A", "192.0.2.1"), proxied(WWW, "AAAA", "2001:db8::1")] },
        { records: [proxied(WWW, "A", "192.0.2.1"), proxied(WWW, "AAAA", "2001:db8::2")] },
      ),
    ]);
    expect(migrations).toHaveLength(1);
    expect(migrations[0]?.from.addresses).toEqual(["192.0.2.1", "2001:db8::1"]);
    expect(migrations[0]?.to.addresses).toEqual(["192.0.2.1", "2001:db8::2"]);
    expect(migrations[0]?.hostnames[0]?.reasons).toEqual(["address"]);
  });

  it("a new IPv6 spelling of the same address is not a migration", () => {
    expect(
      detectMigrations([
        zone(
          { records: [proxied(WWW, "AAAA", "2001:db8:0:0::1")] },
          { records: [proxied(WWW, "AAAA", "2001:DB8::1")] },
        ),
      ]),
    ).toEqual([]);
  });

  it("a CNAME's new target is a migration with reason cname-target", () => {
    const migrations = detectMigrations([
      zone(
        { records: [proxied(WWW, "CNAME", "old.provider.test")] },
        { records: [proxied(WWW, "CNAME", "new.provider.test.")] },
      ),
    ]);
    expect(migrations).toHaveLength(1);
    expect(migrations[0]?.from.addresses).toEqual(["old.provider.test"]);
    expect(migrations[0]?.to.addresses).toEqual(["new.provider.test"]);
    expect(migrations[0]?.hostnames[0]?.reasons).toEqual(["cname-target"]);
    expect(migrations[0]?.id).toBe(`${ZONE}: old.provider.test -> new.provider.test`);
  });

  it("an origin rule's new port is a migration with reason origin-port", () => {
    const records = [proxied(WWW, "A", "192.0.2.1")];
    const migrations = detectMigrations([
      zone(
        { records, originRules: [rule([WWW], { port: 8443 })] },
        { records, originRules: [rule([WWW], { port: 9443 })] },
      ),
    ]);
    expect(migrations).toHaveLength(1);
    expect(migrations[0]?.from.ports).toEqual([8443]);
    expect(migrations[0]?.to.ports).toEqual([9443]);
    expect(migrations[0]?.hostnames[0]?.reasons).toEqual(["origin-port"]);
  });

  it("an origin rule added with a port is a migration with reason origin-port", () => {
    const records = [proxied(WWW, "A", "192.0.2.1")];
    const migrations = detectMigrations([
      zone({ records }, { records, originRules: [rule([WWW], { port: 8443 })] }),
    ]);
    expect(migrations[0]?.from.ports).toEqual([443]);
    expect(migrations[0]?.to.ports).toEqual([8443]);
    expect(migrations[0]?.hostnames[0]?.reasons).toEqual(["origin-port"]);
  });

  it("an origin rule for another hostname moves nothing", () => {
    const records = [proxied(WWW, "A", "192.0.2.1")];
    expect(
      detectMigrations([zone({ records }, { records, originRules: [rule([APP], { port: 8443 })] })]),
    ).toEqual([]);
  });

  it("an SSL mode change from flexible to strict is reason ssl-mode, not origin-port", () => {
    const records = [proxied(WWW, "A", "192.0.2.1")];
    const migrations = detectMigrations([
      zone({ records, sslMode: "flexible" }, { records, sslMode: "strict" }),
    ]);
    expect(migrations).toHaveLength(1);
    const [m] = migrations;
    expect(m?.from).toMatchObject({ ports: [80], scheme: "http", sslMode: "flexible" });
    expect(m?.to).toMatchObject({ ports: [443], scheme: "https", sslMode: "strict" });
    expect(m?.hostnames[0]?.reasons).toEqual(["ssl-mode"]);
    expect(m?.hostnames[0]?.new[0]?.certificate).toBe("enforce");
  });

  it("an SSL mode change with an origin rule's port on the new side is both ssl-mode and origin-port", () => {
    const records = [proxied(WWW, "A", "192.0.2.1")];
    const migrations = detectMigrations([
      zone(
        { records, sslMode: "flexible" },
        { records, sslMode: "strict", originRules: [rule([WWW], { port: 8443 })] },
      ),
    ]);
    expect(migrations[0]?.hostnames[0]?.reasons).toEqual(["origin-port", "ssl-mode"]);
  });

  it("an SSL mode change that keeps the port and scheme (full -> strict) is still a migration", () => {
    const records = [proxied(WWW, "A", "192.0.2.1")];
    const migrations = detectMigrations([zone({ records, sslMode: "full" }, { records, sslMode: "strict" })]);
    expect(migrations).toHaveLength(1);
    expect(migrations[0]?.hostnames[0]?.reasons).toEqual(["ssl-mode"]);
    expect(migrations[0]?.id).toBe(`${ZONE}: 192.0.2.1 (https 443, full) -> 192.0.2.1 (https 443, strict)`);
  });

  it("an origin rule's host override is reason origin-host", () => {
    const records = [proxied(WWW, "A", "192.0.2.1")];
    const migrations = detectMigrations([
      zone({ records }, { records, originRules: [rule([WWW], { host: "198.51.100.7" })] }),
    ]);
    expect(migrations).toHaveLength(1);
    expect(migrations[0]?.to.addresses).toEqual(["198.51.100.7"]);
    expect(migrations[0]?.hostnames[0]?.reasons).toEqual(["origin-host"]);
  });

  it("a host override to a name is reason origin-host", () => {
    const records = [proxied(WWW, "A", "192.0.2.1")];
    const migrations = detectMigrations([
      zone({ records }, { records, originRules: [rule([WWW], { host: "new.provider.test" })] }),
    ]);
    expect(migrations[0]?.to.addresses).toEqual(["new.provider.test"]);
    expect(migrations[0]?.hostnames[0]?.reasons).toEqual(["origin-host"]);
  });
});

describe("detectMigrations: what does not move", () => {
  it("finds nothing when every hostname routes as before (TTL and comment changes included)", () => {
    const live = [proxied(WWW, "A", "192.0.2.1"), proxied(APP, "CNAME", "app.provider.test")];
    const desired = [
      record(WWW, "A", "192.0.2.1", { proxied: true, ttl: 1, comment: "new comment" }),
      proxied(APP, "CNAME", "APP.provider.test."),
      record(ZONE, "TXT", "v=spf1 -all"),
    ];
    expect(detectMigrations([zone({ records: live }, { records: desired })])).toEqual([]);
  });

  it("hostnames that appear or disappear are not migrations", () => {
    const migrations = detectMigrations([
      zone(
        { records: [proxied(WWW, "A", "192.0.2.1"), proxied("old.example.com", "A", "192.0.2.2")] },
        { records: [proxied(WWW, "A", "192.0.2.1"), proxied("fresh.example.com", "A", "198.51.100.3")] },
      ),
    ]);
    expect(migrations).toEqual([]);
  });

  it("DNS-only hostnames are not migrations, nor are hostnames that stop or start being proxied", () => {
    const migrations = detectMigrations([
      zone(
        {
          records: [
            record(WWW, "A", "192.0.2.1"),
            proxied(APP, "A", "192.0.2.2"),
            record("api.example.com", "A", "192.0.2.3"),
          ],
        },
        {
          records: [
            record(WWW, "A", "198.51.100.1"),
            record(APP, "A", "198.51.100.2"),
            proxied("api.example.com", "A", "198.51.100.3"),
          ],
        },
      ),
    ]);
    expect(migrations).toEqual([]);
  });

  it("an SSL mode change moves only proxied hostnames", () => {
    const records = [record(WWW, "A", "192.0.2.1"), proxied(APP, "A", "192.0.2.2")];
    const migrations = detectMigrations([
      zone({ records, sslMode: "flexible" }, { records, sslMode: "strict" }),
    ]);
    expect(migrations.flatMap((m) => m.hostnames.map((h) => h.hostname))).toEqual([APP]);
  });
});

describe("detectMigrations: grouping and ids", () => {
  it("groups hostnames with the same old and new endpoints into one migration, sorted", () => {
    const migrations = detectMigrations([
      zone(
        { records: [proxied(WWW, "A", "192.0.2.1"), proxied(APP, "A", "192.0.2.1")] },
        { records: [proxied(WWW, "A", "198.51.100.1"), proxied(APP, "A", "198.51.100.1")] },
      ),
    ]);
    expect(migrations).toHaveLength(1);
    expect(migrations[0]?.hostnames.map((h) => h.hostname)).toEqual([APP, WWW]);
    expect(migrations[0]?.id).toBe(`${ZONE}: 192.0.2.1 -> 198.51.100.1`);
  });

  it("splits hostnames with different new endpoints into two migrations, sorted by id", () => {
    const migrations = detectMigrations([
      zone(
        { records: [proxied(WWW, "A", "192.0.2.1"), proxied(APP, "A", "192.0.2.1")] },
        { records: [proxied(WWW, "A", "198.51.100.2"), proxied(APP, "A", "198.51.100.1")] },
      ),
    ]);
    expect(migrations.map((m) => [m.id, m.hostnames.map((h) => h.hostname)])).toEqual([
      [`${ZONE}: 192.0.2.1 -> 198.51.100.1`, [APP]],
      [`${ZONE}: 192.0.2.1 -> 198.51.100.2`, [WWW]],
    ]);
  });

  it("names old and new addresses by their declared origins", () => {
    const origins = [
      origin("old", { ipv4: ["192.0.2.1"], ipv6: ["2001:db8::1"] }),
      origin("new", { ipv4: ["198.51.100.1"], ipv6: ["2001:db8:1::1"] }),
    ];
    const migrations = detectMigrations([
      zone(
        {
          records: [proxied(WWW, "A", "192.0.2.1"), proxied(WWW, "AAAA", "2001:db8::1")],
          origins,
        },
        {
          records: [proxied(WWW, "A", "198.51.100.1"), proxied(WWW, "AAAA", "2001:db8:1::1")],
          origins,
        },
      ),
    ]);
    expect(migrations).toHaveLength(1);
    expect(migrations[0]?.from.origin).toBe("old");
    expect(migrations[0]?.to.origin).toBe("new");
    expect(migrations[0]?.id).toBe(`${ZONE}: old -> new`);
    expect(migrations[0]?.hostnames[0]?.old.map((t) => t.originName)).toEqual(["old", "old"]);
  });

  it("leaves the origin unnamed when the old addresses belong to two declared origins", () => {
    const origins = [origin("a", { ipv4: ["192.0.2.1"] }), origin("b", { ipv4: ["192.0.2.2"] })];
    const migrations = detectMigrations([
      zone(
        { records: [proxied(WWW, "A", "192.0.2.1"), proxied(WWW, "A", "192.0.2.2")], origins },
        { records: [proxied(WWW, "A", "198.51.100.1")], origins },
      ),
    ]);
    expect(migrations[0]?.from.origin).toBeUndefined();
    expect(migrations[0]?.id).toBe(`${ZONE}: 192.0.2.1, 192.0.2.2 -> 198.51.100.1`);
  });

  it("gives two migrations with the same names distinct ids", () => {
    const origins = [
      origin("old", { ipv4: ["192.0.2.1", "192.0.2.2"] }),
      origin("new", { ipv4: ["198.51.100.1"] }),
    ];
    const migrations = detectMigrations([
      zone(
        { records: [proxied(WWW, "A", "192.0.2.1"), proxied(APP, "A", "192.0.2.2")], origins },
        { records: [proxied(WWW, "A", "198.51.100.1"), proxied(APP, "A", "198.51.100.1")], origins },
      ),
    ]);
    expect(migrations).toHaveLength(2);
    const ids = migrations.map((m) => m.id);
    expect(new Set(ids).size).toBe(2);
    expect(ids).toEqual([`${ZONE}: old -> new`, `${ZONE}: old -> new #2`]);
  });

  it("keeps migrations of different zones apart, each with its zone in the id", () => {
    const other: MigrationZoneInput = {
      name: "example.org",
      live: { ...side({ records: [proxied("www.example.org", "A", "192.0.2.1")] }), name: "example.org" },
      desired: {
        ...side({ records: [proxied("www.example.org", "A", "198.51.100.1")] }),
        name: "example.org",
      },
    };
    const migrations = detectMigrations([
      zone({ records: [proxied(WWW, "A", "192.0.2.1")] }, { records: [proxied(WWW, "A", "198.51.100.1")] }),
      other,
    ]);
    expect(migrations.map((m) => [m.zone, m.id])).toEqual([
      [ZONE, `${ZONE}: 192.0.2.1 -> 198.51.100.1`],
      ["example.org", "example.org: 192.0.2.1 -> 198.51.100.1"],
    ]);
  });

  it("migrationId adds port, scheme and SSL mode only when the names alone are equal", () => {
    const a = { origin: "web", addresses: ["192.0.2.1"], ports: [443], scheme: "https" as const };
    expect(migrationId(ZONE, a, { ...a, origin: "web2" })).toBe(`${ZONE}: web -> web2`);
    expect(migrationId(ZONE, a, { ...a, ports: [8443], sslMode: "strict" })).toBe(
      `${ZONE}: web (https 443, ?) -> web (https 8443, strict)`,
    );
  });

  it("applies --connect-to when planning both sides, without making it a migration", () => {
    const connectTo = parseConnectToList([":443:127.0.0.1:8443"]);
    if (!connectTo.ok) throw new Error(connectTo.error);
    const migrations = detectMigrations(
      [zone({ records: [proxied(WWW, "A", "192.0.2.1")] }, { records: [proxied(WWW, "A", "198.51.100.1")] })],
      connectTo.value,
    );
    expect(migrations).toHaveLength(1);
    expect(migrations[0]?.hostnames[0]?.old[0]?.connectTo).toMatchObject({
      address: "127.0.0.1",
      port: 8443,
    });
    expect(migrations[0]?.hostnames[0]?.new[0]?.connectTo).toMatchObject({
      address: "127.0.0.1",
      port: 8443,
    });
    const same = detectMigrations(
      [zone({ records: [proxied(WWW, "A", "192.0.2.1")] }, { records: [proxied(WWW, "A", "192.0.2.1")] })],
      connectTo.value,
    );
    expect(same).toEqual([]);
  });
});
