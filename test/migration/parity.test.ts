import { describe, expect, it } from "vitest";
import { detectMigrations } from "../../checks/migration/detect.js";
import { planPairs, planPorts } from "../../checks/migration/parity.js";
import type { Migration } from "../../checks/model/migration.js";
import type { OriginRule } from "../../checks/model/origin-rule.js";
import type { DnsRecord } from "../../checks/model/record.js";
import type { SslMode } from "../../checks/model/ssl-mode.js";
import { parseConnectToList } from "../../checks/probe/connect-to.js";
import { targetAddress } from "../../checks/probe/result.js";
import { origin, record } from "../diff/helpers.js";

const ZONE = "example.com";
const WWW = "www.example.com";

function p(type: DnsRecord["type"], content: string): DnsRecord {
  return record(WWW, type, content, { proxied: true });
}

interface Side {
  readonly records: DnsRecord[];
  readonly sslMode?: SslMode;
  readonly originRules?: OriginRule[];
}

function only(live: Side, desired: Side, connectTo: string[] = []): Migration {
  const mappings = parseConnectToList(connectTo);
  if (!mappings.ok) throw new Error(mappings.error);
  const zone = (s: Side) => ({
    name: ZONE,
    sslMode: s.sslMode ?? "strict",
    records: s.records,
    originRules: s.originRules ?? [],
    origins: [],
  });
  const migrations = detectMigrations(
    [{ name: ZONE, live: zone(live), desired: zone(desired) }],
    mappings.value,
  );
  expect(migrations).toHaveLength(1);
  return migrations[0]!;
}

const addressOf = targetAddress;

describe("planPairs", () => {
  it("pairs IPv4 with IPv4 and IPv6 with IPv6 when both families move", () => {
    const m = only(
      { records: [p("A", "127.0.0.1"), p("AAAA", "::1")] },
      { records: [p("A", "127.0.0.2"), p("AAAA", "::2")] },
    );
    const pairs = m.hostnames.flatMap(planPairs);
    expect(pairs.map((x) => [x.family, addressOf(x.old), addressOf(x.new)])).toEqual([
      ["ipv4", "127.0.0.1", "127.0.0.2"],
      ["ipv6", "::1", "::2"],
    ]);
    expect(pairs.every((x) => x.unknownReason === undefined)).toBe(true);
  });

  it("leaves out the family that did not move", () => {
    const m = only(
      { records: [p("A", "127.0.0.1"), p("AAAA", "::1")] },
      { records: [p("A", "127.0.0.2"), p("AAAA", "::1")] },
    );
    expect(m.hostnames.flatMap(planPairs).map((x) => x.family)).toEqual(["ipv4"]);
  });

  it("pairs a new AAAA record with the old IPv4 site when the old one had no IPv6", () => {
    const m = only({ records: [p("A", "127.0.0.1")] }, { records: [p("A", "127.0.0.1"), p("AAAA", "::2")] });
    const pairs = m.hostnames.flatMap(planPairs);
    expect(pairs.map((x) => [x.family, addressOf(x.old), addressOf(x.new)])).toEqual([
      ["ipv6", "127.0.0.1", "::2"],
    ]);
  });

  it("carries a side's plan problem as the pair's unknown reason", () => {
    const m = only({ records: [p("A", "192.0.2.1")] }, { records: [p("A", "127.0.0.2")] });
    expect(m.hostnames.flatMap(planPairs)[0]?.unknownReason).toContain("documentation address");
  });

  it("is unknown when --connect-to sends both sides to the same address and port", () => {
    const m = only({ records: [p("A", "127.0.0.1")] }, { records: [p("A", "127.0.0.2")] }, [
      `${WWW}:443:127.0.0.9:8443`,
    ]);
    expect(m.hostnames.flatMap(planPairs)[0]?.unknownReason).toContain("cannot be compared");
  });

  it("compares when --connect-to keeps the addresses apart", () => {
    const m = only({ records: [p("A", "127.0.0.1")] }, { records: [p("A", "127.0.0.2")] }, [":443::8443"]);
    const [pair] = m.hostnames.flatMap(planPairs);
    expect(pair?.unknownReason).toBeUndefined();
    expect([pair?.old.connectTo?.address, pair?.new.connectTo?.address]).toEqual(["127.0.0.1", "127.0.0.2"]);
  });
});

describe("planPorts", () => {
  it("compares the old ports and the old origin's declared ports on the first address of each family", () => {
    const m = only(
      { records: [p("A", "127.0.0.1"), p("AAAA", "::1")] },
      { records: [p("A", "127.0.0.2"), p("AAAA", "::2")] },
    );
    const old = origin("old", {
      ipv4: ["127.0.0.1"],
      ports: [
        { port: 8443, scheme: "https" },
        { port: 443, scheme: "https" },
      ],
    });
    expect(planPorts(m, old)).toEqual([
      { port: 443, family: "ipv4", oldAddress: "127.0.0.1", newAddress: "127.0.0.2" },
      { port: 8443, family: "ipv4", oldAddress: "127.0.0.1", newAddress: "127.0.0.2" },
      { port: 443, family: "ipv6", oldAddress: "::1", newAddress: "::2" },
      { port: 8443, family: "ipv6", oldAddress: "::1", newAddress: "::2" },
    ]);
    expect(planPorts(m, undefined).map((x) => x.port)).toEqual([443, 443]);
  });

  it("compares a family only when both sides have it", () => {
    const m = only({ records: [p("A", "127.0.0.1")] }, { records: [p("A", "127.0.0.2"), p("AAAA", "::2")] });
    expect(planPorts(m, undefined).map((x) => x.family)).toEqual(["ipv4"]);
  });

  it("compares nothing when the host stays the same (an origin-port or SSL mode move)", () => {
    const records = [p("A", "127.0.0.1")];
    const rule: OriginRule = {
      expression: `http.host eq "${WWW}"`,
      hostnames: [WWW],
      port: 8443,
      enabled: true,
    };
    expect(planPorts(only({ records }, { records, originRules: [rule] }), undefined)).toEqual([]);
    expect(
      planPorts(only({ records, sslMode: "flexible" }, { records, sslMode: "strict" }), undefined),
    ).toEqual([]);
  });

  it("leaves out redirected and unprobeable targets", () => {
    const redirected = only({ records: [p("A", "127.0.0.1")] }, { records: [p("A", "127.0.0.2")] }, [
      ":443::8443",
    ]);
    expect(planPorts(redirected, undefined)).toEqual([]);
    const documentation = only({ records: [p("A", "192.0.2.1")] }, { records: [p("A", "127.0.0.2")] });
    expect(planPorts(documentation, undefined)).toEqual([]);
  });
});
