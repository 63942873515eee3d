import { describe, expect, it } from "vitest";
import type { Origin } from "../../checks/model/origin.js";
import type { OriginRule } from "../../checks/model/origin-rule.js";
import type { DnsRecord, RecordType } from "../../checks/model/record.js";
import { unresolved } from "../../checks/model/value.js";
import type { ConnectToMapping } from "../../checks/probe/connect-to.js";
import { parseConnectTo } from "../../checks/probe/connect-to.js";
import type { ProbePlanZone } from "../../checks/probe/plan.js";
import { buildProbePlan, DOCUMENTATION_REASON } from "../../checks/probe/plan.js";

function record(
  fqdn: string,
  type: RecordType,
  content: DnsRecord["content"],
  proxied: DnsRecord["proxied"] = true,
): DnsRecord {
  return { fqdn, type, content, proxied, ttl: 1 };
}

function zone(extra: Partial<ProbePlanZone>): ProbePlanZone {
  return { name: "example.com", sslMode: "strict", records: [], originRules: [], origins: [], ...extra };
}

function mapping(spec: string): ConnectToMapping {
  const parsed = parseConnectTo(spec);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

const web: Origin = {
  name: "web-1",
  ipv4: ["198.18.7.10"],
  ipv6: ["2001:2:0:7::10"],
  ports: [{ port: 443, scheme: "https" }],
  allowlist: { kind: "cloudflare" },
};

describe("buildProbePlan", () => {
  it("plans each address of a proxied hostname on the SSL mode's port, with SNI and Host", () => {
    const targets = buildProbePlan({
      zones: [
        zone({
          records: [
            record("WWW.example.com.", "A", "198.18.7.10"),
            record("www.example.com", "AAAA", "2001:2:0:7:0::10"),
          ],
          origins: [web],
        }),
      ],
    });
    expect(targets).toHaveLength(2);
    expect(targets[0]).toMatchObject({
      zone: "example.com",
      hostname: "www.example.com",
      recordType: "A",
      origin: { kind: "ip", address: "198.18.7.10", family: 4 },
      port: 443,
      scheme: "https",
      sni: "www.example.com",
      hostHeader: "www.example.com",
      certificate: "enforce",
      originName: "web-1",
      allowlist: { kind: "cloudflare" },
    });
    expect(targets[1]).toMatchObject({
      origin: { kind: "ip", address: "2001:2:0:7::10", family: 6 },
      originName: "web-1",
    });
    expect(targets.every((t) => t.unknownReason === undefined)).toBe(true);
  });

  it("uses HTTP on 80 for Flexible and Off, and validates certificates only in Full (strict)", () => {
    const plan = (sslMode: ProbePlanZone["sslMode"]) =>
      buildProbePlan({
        zones: [zone({ sslMode, records: [record("a.example.com", "A", "198.18.7.10")] })],
      })[0];
    expect(plan("flexible")).toMatchObject({ scheme: "http", port: 80, certificate: "none" });
    expect(plan("off")).toMatchObject({ scheme: "http", port: 80, certificate: "none" });
    expect(plan("full")).toMatchObject({ scheme: "https", port: 443, certificate: "warn" });
    expect(plan("strict")).toMatchObject({ scheme: "https", port: 443, certificate: "enforce" });
    expect(plan(undefined)?.unknownReason).toMatch(/SSL mode is not known/);
  });

  it("skips DNS-only names and records that cannot be proxied", () => {
    const targets = buildProbePlan({
      zones: [
        zone({
          records: [
            record("dns-only.example.com", "A", "198.18.7.10", false),
            record("mail.example.com", "MX", "mx.example.com", false),
            record("txt.example.com", "TXT", "hello", false),
          ],
        }),
      ],
    });
    expect(targets).toEqual([]);
  });

  it("treats every A/AAAA of a name as proxied when one of them is", () => {
    const targets = buildProbePlan({
      zones: [
        zone({
          records: [
            record("m.example.com", "A", "198.18.7.10", true),
            record("m.example.com", "A", "198.18.7.11", false),
          ],
        }),
      ],
    });
    expect(targets.map((t) => t.origin)).toEqual([
      { kind: "ip", address: "198.18.7.10", family: 4 },
      { kind: "ip", address: "198.18.7.11", family: 4 },
    ]);
  });

  it("applies an origin rule's port to the hostnames it names, the last matching rule winning", () => {
    const rules: OriginRule[] = [
      {
        expression: 'http.host eq "api.example.com"',
        hostnames: ["api.example.com"],
        port: 8443,
        enabled: true,
      },
      {
        expression: 'http.host in {"api.example.com"}',
        hostnames: ["api.example.com"],
        port: 9443,
        enabled: true,
      },
      {
        expression: 'http.host eq "api.example.com"',
        hostnames: ["api.example.com"],
        port: 1111,
        enabled: false,
      },
      {
        expression: 'starts_with(http.request.uri.path, "/x")',
        hostnames: undefined,
        port: 7000,
        enabled: true,
      },
    ];
    const targets = buildProbePlan({
      zones: [
        zone({
          originRules: rules,
          records: [
            record("api.example.com", "A", "198.18.7.10"),
            record("www.example.com", "A", "198.18.7.10"),
          ],
        }),
      ],
    });
    expect(targets.find((t) => t.hostname === "api.example.com")?.port).toBe(9443);
    // The path rule does not apply to the probed path "/": www keeps the SSL mode's port.
    const www = targets.find((t) => t.hostname === "www.example.com");
    expect(www?.port).toBe(443);
    expect(www?.unknownReason).toBeUndefined();
    // A rule the evaluator cannot decide makes the route unknown, naming the rule: never a guess.
    const [cookie] = buildProbePlan({
      zones: [
        zone({
          originRules: [
            { expression: 'http.cookie contains "beta"', hostnames: undefined, port: 7000, enabled: true },
          ],
          records: [record("www.example.com", "A", "198.18.7.10")],
        }),
      ],
    });
    expect(cookie?.unknownReason).toMatch(
      /origin rule 'http\.cookie contains "beta"' may change the origin of www\.example\.com/,
    );
  });

  it("plans a CNAME target by name, resolved at probe time", () => {
    const [target] = buildProbePlan({
      zones: [zone({ records: [record("shop.example.com", "CNAME", "Shops.Provider.example.")] })],
    });
    expect(target).toMatchObject({
      recordType: "CNAME",
      origin: { kind: "name", name: "shops.provider.example" },
    });
    expect(target?.unknownReason).toBeUndefined();
  });

  it("marks unresolved contents and proxied flags unknown instead of guessing", () => {
    const targets = buildProbePlan({
      zones: [
        zone({
          records: [
            record("a.example.com", "A", unresolved("$" + "{aws_instance.web.public_ip}")),
            record("b.example.com", "A", "198.18.7.10", unresolved("$" + "{var.proxied}")),
          ],
        }),
      ],
    });
    expect(targets[0]?.unknownReason).toMatch(/aws_instance\.web\.public_ip/);
    expect(targets[1]?.unknownReason).toMatch(/proxied is not known/);
  });

  it("plans documentation addresses as unknown, not probed", () => {
    const targets = buildProbePlan({
      zones: [
        zone({
          records: [
            record("a.example.com", "A", "192.0.2.10"),
            record("b.example.com", "A", "198.51.100.7"),
            record("c.example.com", "A", "203.0.113.1"),
            record("d.example.com", "AAAA", "2001:db8::1"),
          ],
        }),
      ],
    });
    expect(targets).toHaveLength(4);
    for (const t of targets) expect(t.unknownReason).toBe(DOCUMENTATION_REASON);
  });

  it("applies --connect-to by hostname and port, which makes a documentation address probeable", () => {
    const targets = buildProbePlan({
      zones: [
        zone({
          records: [
            record("www.example.com", "A", "192.0.2.10"),
            record("api.example.com", "A", "192.0.2.11"),
          ],
        }),
      ],
      connectTo: [mapping("www.example.com:443:127.0.0.1:8443"), mapping("www.example.com:80:[::1]:8080")],
    });
    const www = targets.find((t) => t.hostname === "www.example.com");
    expect(www).toMatchObject({
      origin: { kind: "ip", address: "192.0.2.10" },
      port: 443,
      connectTo: { address: "127.0.0.1", port: 8443, spec: "www.example.com:443:127.0.0.1:8443" },
    });
    expect(www?.unknownReason).toBeUndefined();
    expect(targets.find((t) => t.hostname === "api.example.com")?.unknownReason).toBe(DOCUMENTATION_REASON);
  });

  it("applies a --connect-to with an empty HOST to every hostname, and one that only changes the port", () => {
    const targets = buildProbePlan({
      zones: [
        zone({
          sslMode: "flexible",
          records: [
            record("a.example.com", "A", "198.18.7.10"),
            record("b.example.com", "CNAME", "x.example.net"),
          ],
        }),
      ],
      connectTo: [mapping(":80::8080")],
    });
    expect(targets[0]?.connectTo).toEqual({ address: "198.18.7.10", port: 8080, spec: ":80::8080" });
    expect(targets[1]?.connectTo).toEqual({ address: undefined, port: 8080, spec: ":80::8080" });
  });

  it("does not map a port the mapping does not name", () => {
    const [target] = buildProbePlan({
      zones: [zone({ records: [record("www.example.com", "A", "192.0.2.10")] })],
      connectTo: [mapping("www.example.com:80:127.0.0.1:8080")],
    });
    expect(target?.connectTo).toBeUndefined();
    expect(target?.unknownReason).toBe(DOCUMENTATION_REASON);
  });
});
