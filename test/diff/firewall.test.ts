import { describe, expect, it } from "vitest";
import type { EnforcedFirewall } from "../../checks/diff/enforced-firewall.js";
import { allowlistDrift, enforcedDrift } from "../../checks/diff/firewall.js";
import { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6, origin, RANGES } from "./helpers.js";

const enforcedOn443 = (
  cidrs: string[],
  uncertain: string[] = [],
  causes: string[] = [],
): EnforcedFirewall => ({
  admitted: [
    { port: 443, cidrs, uncertain, causes },
    { port: "any", cidrs: [], uncertain: [], causes: [] },
  ],
  defaultPolicy: "drop",
  unknowns: causes,
});

describe("allowlistDrift: missing-cloudflare-ranges", () => {
  it("passes when the allowlist is kind cloudflare (complete by definition)", () => {
    expect(allowlistDrift({ origin: origin("web") }, RANGES)).toEqual([]);
  });
  it("passes when an explicit list covers every range, even as wider blocks", () => {
    const cidrs = [...CLOUDFLARE_IPV4.filter((c) => c !== "104.16.0.0/13"), "104.0.0.0/8"];
    expect(
      allowlistDrift({ origin: origin("web", { allowlist: { kind: "cidrs", cidrs } }) }, RANGES),
    ).toEqual([]);
  });
  it("fails when an explicit list lacks ranges, naming exactly those and predicting 522", () => {
    const cidrs = CLOUDFLARE_IPV4.filter((c) => c !== "131.0.72.0/22" && c !== "172.64.0.0/13");
    const [drift, ...rest] = allowlistDrift(
      { origin: origin("web", { allowlist: { kind: "cidrs", cidrs } }), zone: "example.com" },
      RANGES,
    );
    expect(rest).toEqual([]);
    expect(drift).toMatchObject({
      zone: "example.com",
      origin: "web",
      kind: "missing-cloudflare-ranges",
      cidrs: ["131.0.72.0/22", "172.64.0.0/13"],
      predicts: "522",
    });
    expect(drift?.message).toMatch(/522.*521/);
  });
  it("fails when the list covers only part of a range (the remainder is named)", () => {
    const cidrs = [...CLOUDFLARE_IPV4.filter((c) => c !== "173.245.48.0/20"), "173.245.48.0/21"];
    expect(
      allowlistDrift({ origin: origin("web", { allowlist: { kind: "cidrs", cidrs } }) }, RANGES)[0]?.cidrs,
    ).toEqual(["173.245.56.0/21"]);
  });
  it("checks IPv6 ranges only for an origin with IPv6 addresses", () => {
    const allowlist = { kind: "cidrs" as const, cidrs: CLOUDFLARE_IPV4 };
    expect(allowlistDrift({ origin: origin("web", { allowlist }) }, RANGES)).toEqual([]);
    const dual = origin("web", { allowlist, ipv6: ["2001:db8::10"] });
    expect(allowlistDrift({ origin: dual }, RANGES)[0]?.cidrs).toEqual(CLOUDFLARE_IPV6.map((c) => c).sort());
  });
  it("passes when every hostname routed to the origin is DNS-only (Cloudflare never connects)", () => {
    const o = origin("web", { allowlist: { kind: "cidrs", cidrs: ["203.0.113.0/24"] } });
    const routes = [{ fqdn: "direct.example.com", origin: "web", proxied: false, edgePorts: [443] }];
    expect(allowlistDrift({ origin: o, routes }, RANGES)).toEqual([]);
    expect(allowlistDrift({ origin: o, routes: [{ ...routes[0]!, proxied: true }] }, RANGES)).toHaveLength(1);
  });
});

describe("allowlistDrift: exposed-to-everyone", () => {
  it("warns when the list admits 0.0.0.0/0, predicting nothing", () => {
    const drifts = allowlistDrift(
      { origin: origin("web", { allowlist: { kind: "cidrs", cidrs: ["0.0.0.0/0"] } }) },
      RANGES,
    );
    expect(drifts).toEqual([
      expect.objectContaining({ kind: "exposed-to-everyone", cidrs: ["0.0.0.0/0"], predicts: null }),
    ]);
    expect(drifts[0]?.message).toMatch(/bypass Cloudflare/);
  });
  it("warns when the list admits ::/0", () => {
    const cidrs = [...CLOUDFLARE_IPV4, "::/0"];
    expect(
      allowlistDrift({ origin: origin("web", { allowlist: { kind: "cidrs", cidrs } }) }, RANGES),
    ).toEqual([expect.objectContaining({ kind: "exposed-to-everyone", cidrs: ["::/0"] })]);
  });
  it("passes when the list is only Cloudflare's ranges", () => {
    const cidrs = [...CLOUDFLARE_IPV4, ...CLOUDFLARE_IPV6];
    expect(
      allowlistDrift({ origin: origin("web", { allowlist: { kind: "cidrs", cidrs } }) }, RANGES),
    ).toEqual([]);
  });
});

describe("enforcedDrift", () => {
  it("passes when the firewall admits exactly Cloudflare's ranges on the origin's port", () => {
    expect(enforcedDrift({ origin: origin("web") }, enforcedOn443(CLOUDFLARE_IPV4), RANGES)).toEqual([]);
  });
  it("fails with enforced-missing (522) for ranges the firewall does not admit", () => {
    const admitted = CLOUDFLARE_IPV4.filter((c) => c !== "198.41.128.0/17");
    const [drift, ...rest] = enforcedDrift({ origin: origin("web") }, enforcedOn443(admitted), RANGES);
    expect(rest).toEqual([]);
    expect(drift).toMatchObject({
      kind: "enforced-missing",
      cidrs: ["198.41.128.0/17"],
      ports: [443],
      predicts: "522",
    });
  });
  it("fails with enforced-extra for sources admitted beyond the declaration", () => {
    const [drift] = enforcedDrift(
      { origin: origin("web") },
      enforcedOn443([...CLOUDFLARE_IPV4, "192.0.2.0/24"]),
      RANGES,
    );
    expect(drift).toMatchObject({ kind: "enforced-extra", cidrs: ["192.0.2.0/24"], predicts: null });
  });
  it("says anyone can bypass Cloudflare when the firewall admits everyone", () => {
    const [drift] = enforcedDrift({ origin: origin("web") }, enforcedOn443(["0.0.0.0/0"]), RANGES);
    expect(drift).toMatchObject({ kind: "enforced-extra", cidrs: ["0.0.0.0/0"] });
    expect(drift?.message).toMatch(/admits everyone over IPv4 on port 443/);
  });
  it("reports declared non-Cloudflare sources the firewall lacks without predicting an error", () => {
    const o = origin("web", { allowlist: { kind: "cidrs", cidrs: [...CLOUDFLARE_IPV4, "203.0.113.0/24"] } });
    expect(enforcedDrift({ origin: o }, enforcedOn443(CLOUDFLARE_IPV4), RANGES)).toEqual([
      expect.objectContaining({ kind: "enforced-missing", cidrs: ["203.0.113.0/24"], predicts: null }),
    ]);
  });
  it("leaves ranges the declaration itself lacks to missing-cloudflare-ranges", () => {
    const declared = CLOUDFLARE_IPV4.filter((c) => c !== "131.0.72.0/22");
    const o = origin("web", { allowlist: { kind: "cidrs", cidrs: declared } });
    expect(enforcedDrift({ origin: o }, enforcedOn443(declared), RANGES)).toEqual([]);
  });
  it("groups ports with the same finding", () => {
    const o = origin("web", {
      ports: [
        { port: 80, scheme: "http" },
        { port: 443, scheme: "https" },
      ],
    });
    const fw: EnforcedFirewall = {
      admitted: [{ port: "any", cidrs: [], uncertain: [], causes: [] }],
      defaultPolicy: "drop",
      unknowns: [],
    };
    const [drift, ...rest] = enforcedDrift({ origin: o }, fw, RANGES);
    expect(rest).toEqual([]);
    expect(drift).toMatchObject({ kind: "enforced-missing", ports: [80, 443], predicts: "522" });
    expect(drift?.cidrs).toHaveLength(CLOUDFLARE_IPV4.length);
    expect(drift?.message).toMatch(/on ports 80, 443/);
  });
  it("expects Cloudflare's ranges through a firewall declared as none", () => {
    const o = origin("web", { allowlist: { kind: "none" } });
    expect(enforcedDrift({ origin: o }, enforcedOn443(["0.0.0.0/0"]), RANGES)).toEqual([]);
    expect(enforcedDrift({ origin: o }, enforcedOn443([]), RANGES)[0]?.predicts).toBe("522");
  });
});

describe("enforcedDrift: rules the checker cannot decide", () => {
  const limit = "line 7 (iptables *filter INPUT): -m limit --limit 5/sec (not modelled)";
  it("reports Cloudflare's ranges in doubt as enforced-unknown, naming the rule and the ports, never as a pass", () => {
    const doubtful = ["173.245.48.0/20", "103.21.244.0/22"];
    const admitted = CLOUDFLARE_IPV4.filter((c) => !doubtful.includes(c));
    const drifts = enforcedDrift(
      { origin: origin("web") },
      enforcedOn443(admitted, doubtful, [limit]),
      RANGES,
    );
    expect(drifts).toEqual([
      expect.objectContaining({
        kind: "enforced-unknown",
        ports: [443],
        cidrs: ["103.21.244.0/22", "173.245.48.0/20"],
        rules: [limit],
        predicts: "522",
      }),
    ]);
    expect(drifts[0]?.message).toMatch(
      /cannot tell whether 2 of Cloudflare's ranges .* are admitted on port 443/,
    );
    expect(drifts[0]?.message).toContain(
      "a rule it cannot decide: -m limit --limit 5/sec (not modelled) (at line 7 (iptables *filter INPUT))",
    );
  });
  it("reports the certain part as usual beside the uncertain part", () => {
    const admitted = CLOUDFLARE_IPV4.filter((c) => c !== "198.41.128.0/17" && c !== "173.245.48.0/20");
    const drifts = enforcedDrift(
      { origin: origin("web") },
      enforcedOn443(admitted, ["173.245.48.0/20"], [limit]),
      RANGES,
    );
    expect(drifts.map((d) => `${d.kind} ${d.cidrs.join(",")}`)).toEqual([
      "enforced-missing 198.41.128.0/17",
      "enforced-unknown 173.245.48.0/20",
    ]);
  });
  it("reports undeclared sources in doubt (possible exposure) without predicting an error", () => {
    const drifts = enforcedDrift(
      { origin: origin("web") },
      enforcedOn443(CLOUDFLARE_IPV4, ["10.0.0.0/8"], [limit]),
      RANGES,
    );
    // Cloudflare's ranges are certainly admitted; whether 10.0.0.0/8 is too, is the question.
    expect(drifts).toHaveLength(1);
    expect(drifts[0]).toMatchObject({
      kind: "enforced-unknown",
      predicts: null,
      cidrs: ["10.0.0.0/8"],
      rules: [limit],
    });
    expect(drifts[0]?.message).toMatch(/beyond its declared allowlist/);
  });
  it("says who is admitted is unknown when every source is in doubt, and points at iptables-save for xt", () => {
    const xt =
      "nftables[4] (ip filter INPUT handle 4): iptables match multiport (an xt expression, whose options nft -j does not print)";
    const [drift] = enforcedDrift({ origin: origin("web") }, enforcedOn443([], ["0.0.0.0/0"], [xt]), RANGES);
    expect(drift).toMatchObject({ kind: "enforced-unknown", predicts: "522", cidrs: ["0.0.0.0/0"] });
    expect(drift?.message).toMatch(/cannot tell who is admitted over IPv4 on port 443/);
    expect(drift?.message).toMatch(/export it with `iptables-save`/);
  });
  it("ignores doubt about sources that do not matter to an origin declared without a firewall", () => {
    const o = origin("web", { allowlist: { kind: "none" } });
    expect(enforcedDrift({ origin: o }, enforcedOn443(["0.0.0.0/0"], [], []), RANGES)).toEqual([]);
    const doubt = enforcedDrift(
      { origin: o },
      enforcedOn443(["10.0.0.0/8"], ["192.168.0.0/16"], [limit]),
      RANGES,
    );
    expect(doubt.map((d) => d.kind)).toEqual(["enforced-missing"]);
  });
});
