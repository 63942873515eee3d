import { describe, expect, it } from "vitest";
import { computeRoutes, type EdgeRoute, type EdgeZone } from "../../checks/edge/route.js";
import { createRulesDecide } from "../../checks/edge/rules-decide.js";
import type { DnsRecord, RecordType } from "../../checks/model/record.js";
import { unresolved } from "../../checks/model/value.js";
import { SNAPSHOT_RANGES } from "../../checks/preflight.js";

function record(
  fqdn: string,
  type: RecordType,
  content: string | ReturnType<typeof unresolved>,
  proxied = true,
): DnsRecord {
  return { fqdn, type, content, proxied, ttl: 1 };
}

function zone(extra: Partial<EdgeZone>): EdgeZone {
  return { name: "example.com", sslMode: "full", records: [], originRules: [], ...extra };
}

function routes(zones: EdgeZone[], extra: { tunnelAddresses?: string[] } = {}): Map<string, EdgeRoute> {
  const list = computeRoutes({ zones, ranges: SNAPSHOT_RANGES, decide: createRulesDecide(), ...extra });
  return new Map(list.map((r) => [r.hostname, r]));
}

const WEB = record("www.example.com", "A", "198.18.1.10");
const API = record("api.example.com", "A", "198.18.1.20");

describe("the edge's route for each hostname", () => {
  it("takes the SSL mode from the zone, then Page Rules, then Configuration Rules, saying which", () => {
    const r = routes([
      zone({
        sslMode: "full",
        records: [WEB, API, record("legacy.example.com", "A", "198.18.1.30")],
        pageRules: [
          { target: "legacy.example.com/*", ssl: "flexible", priority: 1, enabled: true },
          { target: "api.example.com/*", ssl: "off", priority: 2, enabled: true },
        ],
        configRules: [
          {
            expression: 'http.host eq "api.example.com"',
            ssl: "strict",
            enabled: true,
            description: "api strict",
          },
        ],
      }),
    ]);
    expect(r.get("www.example.com")!.sslMode).toEqual({ value: "full", by: "the zone setting" });
    expect(r.get("www.example.com")!.certificate).toBe("warn");
    // A Configuration Rule overrides the Page Rule that matches api too.
    expect(r.get("api.example.com")!.sslMode).toEqual({
      value: "strict",
      by: "configuration rule 'api strict'",
    });
    expect(r.get("api.example.com")).toMatchObject({
      certificate: "enforce",
      scheme: "https",
      port: { value: 443 },
    });
    expect(r.get("legacy.example.com")!.sslMode).toEqual({
      value: "flexible",
      by: "page rule 'legacy.example.com/*'",
    });
    expect(r.get("legacy.example.com")).toMatchObject({
      scheme: "http",
      port: { value: 80 },
      certificate: "none",
    });
  });

  it("relaxes a hostname to Full in a Strict zone, and reaches an origin rule's port, Host and SNI", () => {
    const r = routes([
      zone({
        sslMode: "strict",
        records: [WEB, API],
        configRules: [{ expression: 'http.host in {"www.example.com"}', ssl: "full", enabled: true }],
        originRules: [
          {
            expression: 'http.host eq "api.example.com" and starts_with(http.request.uri.path, "/")',
            hostnames: undefined,
            port: 8443,
            hostHeader: "backend.internal.example",
            description: "api to backend",
            enabled: true,
          },
        ],
      }),
    ]);
    expect(r.get("www.example.com")!.certificate).toBe("warn");
    expect(r.get("api.example.com")).toMatchObject({
      port: { value: 8443, by: "origin rule 'api to backend'" },
      hostHeader: { value: "backend.internal.example" },
      // A Host override changes the SNI too, unless SNI is overridden.
      sni: { value: "backend.internal.example" },
    });
  });

  it("answers a CNAME or an origin rule's host inside the account from the zones' records, not DNS", () => {
    const r = routes([
      zone({
        records: [
          record("app.example.com", "CNAME", "backend.example.com"),
          record("backend.example.com", "A", "198.18.2.1", false),
          record("backend.example.com", "AAAA", "2001:2::1", false),
          record("shop.example.com", "A", "198.18.2.9"),
          record("ext.example.com", "CNAME", "origin.example.net"),
        ],
        originRules: [
          {
            expression: 'http.host eq "shop.example.com"',
            hostnames: ["shop.example.com"],
            host: "backend.example.com",
            enabled: true,
          },
        ],
      }),
    ]);
    const app = r.get("app.example.com")!;
    expect(app.target).toMatchObject({
      kind: "addresses",
      addresses: [
        { address: "198.18.2.1", family: 4, fallback: false },
        { address: "2001:2::1", family: 6, fallback: true },
      ],
    });
    expect(r.get("shop.example.com")!.target).toMatchObject({
      kind: "addresses",
      addresses: [{ address: "198.18.2.1" }, { address: "2001:2::1" }],
    });
    expect(r.get("shop.example.com")!.notes).toContain(
      "origin backend.example.com from origin rule 'http.host eq \"shop.example.com\"'",
    );
    expect(r.get("ext.example.com")!.target).toMatchObject({ kind: "name", name: "origin.example.net" });
  });

  it("prefers IPv4: an AAAA beside an A is a fallback; an AAAA-only name is reached over IPv6", () => {
    const r = routes([
      zone({
        records: [
          record("dual.example.com", "A", "198.18.3.1"),
          record("dual.example.com", "AAAA", "2001:2::3"),
          record("v6.example.com", "AAAA", "2001:2::6"),
        ],
      }),
    ]);
    expect(r.get("dual.example.com")!.target).toMatchObject({
      addresses: [
        { family: 4, fallback: false },
        { family: 6, fallback: true },
      ],
    });
    expect(r.get("v6.example.com")!.target).toMatchObject({ addresses: [{ family: 6, fallback: false }] });
  });

  it("routes a CNAME to <uuid>.cfargotunnel.com, or to a tunnel resource of the code, through the tunnel", () => {
    const id = "6ff42ae2-765d-4adf-8112-31c55c1551ef";
    const r = routes(
      [
        zone({
          records: [
            record("t.example.com", "CNAME", `${id}.cfargotunnel.com`),
            record(
              "u.example.com",
              "CNAME",
              unresolved("${cloudflare_tunnel.edge.cname}", ["cloudflare_tunnel.edge"]),
            ),
          ],
        }),
      ],
      { tunnelAddresses: ["cloudflare_tunnel.edge"] },
    );
    expect(r.get("t.example.com")!.target).toEqual({
      kind: "tunnel",
      tunnelId: id,
      name: `${id}.cfargotunnel.com`,
    });
    expect(r.get("u.example.com")!.target).toMatchObject({
      kind: "tunnel",
      tunnelAddress: "cloudflare_tunnel.edge",
    });
    expect(r.get("u.example.com")!.unknown).toBeUndefined();
  });

  it("names Cloudflare's own addresses, in-account names without records, and loops", () => {
    const r = routes([
      zone({
        records: [
          record("cf.example.com", "A", "104.16.1.1"),
          record("gone.example.com", "CNAME", "removed.example.com"),
          record("a.example.com", "CNAME", "b.example.com"),
          record("b.example.com", "CNAME", "a.example.com", false),
        ],
      }),
    ]);
    expect(r.get("cf.example.com")!.target).toEqual({
      kind: "cloudflare",
      address: "104.16.1.1",
      range: "104.16.0.0/13",
    });
    expect(r.get("gone.example.com")!.target).toMatchObject({ kind: "missing", name: "removed.example.com" });
    expect(r.get("a.example.com")!.target).toEqual({
      kind: "loop",
      chain: ["b.example.com", "a.example.com", "b.example.com"],
    });
  });

  it("makes the route unknown, naming the rule, when an expression cannot be decided", () => {
    const r = routes([
      zone({
        records: [WEB],
        configRules: [
          {
            expression: "ip.src in {192.0.2.0/24}",
            ssl: "strict",
            enabled: true,
            description: "office strict",
          },
        ],
        originRules: [
          {
            expression: 'http.host eq "other.example.com"',
            hostnames: ["other.example.com"],
            port: 9000,
            enabled: true,
          },
        ],
      }),
    ]);
    expect(r.get("www.example.com")!.unknown).toMatch(
      /^configuration rule 'office strict' may set the SSL mode for www\.example\.com: /,
    );
    // A rule that decidably does not apply changes nothing.
    expect(r.get("www.example.com")!.port.value).toBe(443);
  });

  it("presents the origin-pull certificate only in Full and Strict, per hostname first", () => {
    const r = routes([
      zone({
        sslMode: "strict",
        records: [WEB, API],
        originPulls: { zone: true, hostnames: [{ hostname: "api.example.com", enabled: false }] },
      }),
      zone({
        name: "example.org",
        sslMode: "flexible",
        records: [record("www.example.org", "A", "198.18.4.1")],
        originPulls: { zone: true, hostnames: [] },
      }),
      zone({ name: "example.net", records: [record("www.example.net", "A", "198.18.4.2")] }),
    ]);
    expect(r.get("www.example.com")!.originPulls).toEqual({
      value: "on",
      by: "the zone's Authenticated Origin Pulls setting",
    });
    expect(r.get("api.example.com")!.originPulls).toEqual({
      value: "off",
      by: "per-hostname Authenticated Origin Pulls",
    });
    expect(r.get("www.example.org")!.originPulls.value).toBe("n/a");
    expect(r.get("www.example.net")!.originPulls.value).toBe("unknown");
  });

  it("applies only the highest-priority matching Page Rule, whose overrides Origin Rules override", () => {
    const r = routes([
      zone({
        records: [
          WEB,
          API,
          record("backend.example.com", "A", "198.18.6.1", false),
          record("other.example.com", "A", "198.18.6.2", false),
        ],
        pageRules: [
          // The higher-priority rule matches www and sets no SSL mode: the lower one does not apply.
          { target: "www.example.com/*", priority: 10, enabled: true, hostHeader: "www.internal.example" },
          { target: "*example.com/*", ssl: "flexible", priority: 1, enabled: true },
          {
            target: "api.example.com/*",
            priority: 20,
            enabled: true,
            resolveOverride: "backend.example.com",
          },
        ],
        originRules: [
          {
            expression: 'http.host eq "api.example.com"',
            hostnames: ["api.example.com"],
            host: "other.example.com",
            enabled: true,
            description: "api to other",
          },
        ],
      }),
    ]);
    expect(r.get("www.example.com")!.sslMode.by).toBe("the zone setting");
    expect(r.get("www.example.com")!.hostHeader).toEqual({
      value: "www.internal.example",
      by: "page rule 'www.example.com/*'",
    });
    expect(r.get("api.example.com")!.target).toMatchObject({ addresses: [{ address: "198.18.6.2" }] });
    expect(r.get("api.example.com")!.originVia).toBe("origin rule 'api to other'");
  });

  it("leaves DNS-only names out", () => {
    expect(routes([zone({ records: [record("mail.example.com", "A", "198.18.5.1", false)] })]).size).toBe(0);
  });
});

describe("an origin rule that does something cf-preflight does not model", () => {
  it("makes the route unknown for the hostnames it matches, and leaves the others alone", () => {
    const r = routes([
      zone({
        records: [WEB, API],
        originRules: [
          {
            expression: 'http.host eq "api.example.com"',
            hostnames: ["api.example.com"],
            enabled: true,
            port: 8443,
            unmodelled: "sets future_option",
          },
        ],
      }),
    ]);
    expect(r.get("api.example.com")?.unknown).toContain(
      "sets future_option, which cf-preflight does not model",
    );
    expect(r.get("www.example.com")?.unknown).toBeUndefined();
  });
});

describe("an origin rule of the code whose values are known only after apply", () => {
  it("is kept with what it does not know, so the hostnames it matches get an unknown route", async () => {
    const { readDesired } = await import("../../checks/desired/read.js");
    const { tfFolder } = await import("../desired/tf-folder.js");
    const dir = tfFolder({
      "main.tf": [
        'terraform {\n  required_providers {\n    cloudflare = {\n      source  = "cloudflare/cloudflare"\n      version = "~> 5.0"\n    }\n  }\n}',
        'variable "port" {\n  type = number\n}',
        'resource "cloudflare_ruleset" "origin" {\n  zone_id = "0123456789abcdef0123456789abcdef"\n  name    = "origin"\n  kind    = "zone"\n  phase   = "http_request_origin"\n  rules = [{\n    expression = "http.host eq \\"api.example.com\\""\n    action     = "route"\n    action_parameters = {\n      origin = { port = var.port }\n    }\n  }]\n}',
        "",
      ].join("\n\n"),
    });
    const desired = await readDesired(dir);
    const rule = desired.zones[0]?.originRules[0];
    expect(rule?.unmodelled).toBe("sets origin.port to values known only after apply");
    expect(rule?.port).toBeUndefined();
  });
});

describe("a Page Rule of the code that overrides the origin", () => {
  it("is read with its resolve_override and host_header_override, as the live reader reads them", async () => {
    const { readDesired } = await import("../../checks/desired/read.js");
    const { tfFolder } = await import("../desired/tf-folder.js");
    const dir = tfFolder({
      "main.tf": [
        'terraform {\n  required_providers {\n    cloudflare = {\n      source  = "cloudflare/cloudflare"\n      version = "~> 4.0"\n    }\n  }\n}',
        'resource "cloudflare_page_rule" "legacy" {\n  zone_id  = "0123456789abcdef0123456789abcdef"\n  target   = "legacy.example.com/*"\n  priority = 1\n  actions {\n    resolve_override     = "backend.example.com"\n    host_header_override = "backend.example.com"\n  }\n}',
        "",
      ].join("\n\n"),
    });
    const desired = await readDesired(dir);
    expect(desired.zones[0]?.pageRules?.[0]).toMatchObject({
      target: "legacy.example.com/*",
      resolveOverride: "backend.example.com",
      hostHeader: "backend.example.com",
    });
  });
});

describe("Page Rules: only the highest-priority match applies", () => {
  it("a higher rule without route actions shadows a lower SSL rule; a forwarding rule makes the route unknown", () => {
    const r = routes([
      zone({
        sslMode: "full",
        records: [WEB, API],
        pageRules: [
          { target: "www.example.com/*", ssl: "flexible", priority: 1, enabled: true },
          { target: "www.example.com/*", priority: 2, enabled: true },
          { target: "api.example.com/*", forwards: true, priority: 1, enabled: true },
        ],
      }),
    ]);
    expect(r.get("www.example.com")?.sslMode.value).toBe("full");
    expect(r.get("www.example.com")?.unknown).toBeUndefined();
    expect(r.get("api.example.com")?.unknown).toContain(
      "redirects requests for api.example.com/ at the edge",
    );
  });
});
