import { describe, expect, it } from "vitest";
import { computeDrift, pairZones } from "../../checks/diff/drift.js";
import { hasDrift } from "../../checks/model/change.js";
import { CLOUDFLARE_IPV4, desiredZone, liveZone, origin, RANGES, record, tfRef } from "./helpers.js";

describe("pairZones", () => {
  it("pairs by literal zone id first, else by name ignoring case and the trailing dot", () => {
    const a = desiredZone("Example.COM.");
    const b = desiredZone("renamed.example", { id: "id-other.org" });
    const c = desiredZone("absent.example");
    const d = desiredZone("x", {
      name: tfRef("var.zone"),
      id: tfRef("data.cloudflare_zone.z.zone_id"),
    });
    const { pairs, unpaired } = pairZones([a, b, c, d], [liveZone("example.com"), liveZone("other.org")]);
    expect(pairs.map((p) => [p.desired, p.live.name])).toEqual([
      [a, "example.com"],
      [b, "other.org"],
    ]);
    expect(unpaired).toEqual([c, d]);
  });
});

describe("computeDrift", () => {
  it("passes when code and live agree everywhere", () => {
    const desired = desiredZone("example.com", {
      sslMode: "full",
      records: [record("www.example.com", "A", "192.0.2.1")],
      origins: [origin("web")],
    });
    const live = liveZone("example.com", {
      sslMode: "full",
      records: [record("www.example.com", "A", "192.0.2.1")],
    });
    const drift = computeDrift({ zones: [{ desired, live }], ranges: RANGES });
    expect(hasDrift(drift)).toBe(false);
  });

  it("fails with every kind of drift combined, zone names taken from the live zone", () => {
    const web = origin("web", {
      allowlist: { kind: "cidrs", cidrs: CLOUDFLARE_IPV4.filter((c) => c !== "131.0.72.0/22") },
    });
    const desired = desiredZone("Example.com", {
      sslMode: "strict",
      records: [record("www.example.com", "A", "192.0.2.1")],
      origins: [web],
      hostnames: [{ fqdn: "www.example.com", origin: "web", proxied: true, edgePorts: [443] }],
    });
    const live = liveZone("example.com", {
      sslMode: "flexible",
      records: [record("old.example.com", "A", "192.0.2.9")],
    });
    const drift = computeDrift({
      zones: [{ desired, live }],
      ranges: RANGES,
      enforced: new Map([
        [
          "web",
          {
            admitted: [{ port: 443, cidrs: ["0.0.0.0/0"], uncertain: [], causes: [] }],
            defaultPolicy: "accept" as const,
            unknowns: [],
          },
        ],
      ]),
      desiredLists: [{ name: "office", accountId: "a", items: ["203.0.113.0/24"] }],
      liveLists: [{ name: "office", accountId: "a", items: [] }],
    });
    expect(drift.dns.map((c) => `${c.zone} ${c.action} ${c.fqdn}`)).toEqual([
      "example.com delete old.example.com",
      "example.com create www.example.com",
    ]);
    expect(drift.settings).toEqual([
      { zone: "example.com", setting: "ssl", desired: "strict", live: "flexible" },
    ]);
    expect(drift.firewall.map((f) => `${f.kind} ${f.origin} ${f.zone ?? "-"}`)).toEqual([
      "missing-cloudflare-ranges web example.com",
      "enforced-extra web example.com",
      "list-missing office -",
    ]);
  });

  it("checks only the origins it is given when given some", () => {
    const desired = desiredZone("example.com", {
      origins: [origin("web", { allowlist: { kind: "cidrs", cidrs: ["0.0.0.0/0"] } })],
    });
    const drift = computeDrift({
      zones: [{ desired, live: liveZone("example.com") }],
      ranges: RANGES,
      origins: [],
    });
    expect(drift.firewall).toEqual([]);
  });
});
