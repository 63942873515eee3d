import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { byFamily, intersect, isEveryone, union } from "../../checks/diff/cidr-set.js";
import { chainFirewalls, enforcedFromCloudFirewall } from "../../checks/diff/cloud-firewall.js";
import { admittedOn, uncertainOn } from "../../checks/diff/enforced-firewall.js";
import { enforcedDrift } from "../../checks/diff/firewall.js";
import { parseFirewallExport } from "../../checks/diff/firewall-export.js";
import type {
  CloudFirewall,
  CloudFirewallRule,
  OriginCloudFirewall,
  RuleModel,
} from "../../checks/model/cloud-firewall.js";
import type { CloudflareRanges } from "../../checks/model/zone.js";
import { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6, origin, RANGES } from "./helpers.js";

/** The evaluation of cloud firewall rules (pure): order, deny, undecided parts, units, chaining. */

const CF = {
  kind: "cloudflare" as const,
  families: [4, 6] as const,
  expression: "data.cloudflare_ip_ranges.cf.cidr_blocks",
};
const EVERYONE = { kind: "cidrs" as const, cidrs: ["0.0.0.0/0", "::/0"] };

function rule(extra: Partial<CloudFirewallRule> = {}): CloudFirewallRule {
  return { where: "r", action: "allow", protocol: "tcp", ports: [[443, 443]], sources: [CF], ...extra };
}

function firewall(
  model: RuleModel,
  rules: CloudFirewallRule[],
  extra: Partial<CloudFirewall> = {},
): CloudFirewall {
  const type = model === "priority" ? "google_compute_firewall" : "aws_security_group";
  return {
    address: `${type}.f`,
    type,
    model,
    unit: model === "priority" ? "gcp" : "aws",
    rules,
    source: { file: "main.tf" },
    ...extra,
  };
}

function enforced(firewalls: CloudFirewall[], ports = [443], ranges: CloudflareRanges = RANGES) {
  const cloud: OriginCloudFirewall = { resources: firewalls.map((f) => f.address), firewalls };
  return enforcedFromCloudFirewall(cloud, ports, ranges);
}

const ALL = [...CLOUDFLARE_IPV4, ...CLOUDFLARE_IPV6].sort();
const sorted = (cidrs: string[]) => [...cidrs].sort();

describe("allow-only firewalls (security groups, Hetzner, DigitalOcean)", () => {
  it("admits Cloudflare's ranges from a cloudflare_ip_ranges reference, and nothing else", () => {
    const e = enforced([firewall("allow-only", [rule()])]);
    expect(sorted(admittedOn(e, 443))).toEqual(ALL);
    expect(uncertainOn(e, 443).cidrs).toEqual([]);
    expect(e.defaultPolicy).toBe("drop");
  });

  it("resolves the reference to the ranges the run uses, not to a list frozen in the code", () => {
    const live: CloudflareRanges = { ...RANGES, ipv4: [...CLOUDFLARE_IPV4, "198.51.100.0/24"] };
    const byReference = enforced([firewall("allow-only", [rule()])], [443], live);
    expect(admittedOn(byReference, 443)).toContain("198.51.100.0/24");
    const written = rule({ sources: [{ kind: "cidrs", cidrs: [...CLOUDFLARE_IPV4, ...CLOUDFLARE_IPV6] }] });
    const byList = enforced([firewall("allow-only", [written])], [443], live);
    expect(enforcedDrift({ origin: origin("web") }, byList, live)).toMatchObject([
      { kind: "enforced-missing", cidrs: ["198.51.100.0/24"], predicts: "522" },
    ]);
  });

  it("unites the rules of several groups (IPv4 in one, IPv6 in another)", () => {
    const v4 = firewall("allow-only", [rule({ sources: [{ ...CF, families: [4] }] })]);
    const v6 = firewall("allow-only", [rule({ sources: [{ ...CF, families: [6] }] })], {
      address: "aws_security_group.g",
    });
    expect(sorted(admittedOn(enforced([v4, v6]), 443))).toEqual(ALL);
  });

  it("reads ports and protocols: ranges include their ends, -1 is every port, other protocols nothing", () => {
    const e = enforced(
      [
        firewall("allow-only", [
          rule({ ports: [[80, 443]], sources: [{ kind: "cidrs", cidrs: ["203.0.113.0/24"] }] }),
          rule({ protocol: "all", ports: "all", sources: [{ kind: "cidrs", cidrs: ["198.51.100.0/24"] }] }),
          rule({ protocol: "other", ports: [[443, 443]], sources: [EVERYONE] }),
        ]),
      ],
      [80, 443, 8443],
    );
    expect(admittedOn(e, 80)).toEqual(["198.51.100.0/24", "203.0.113.0/24"]);
    expect(admittedOn(e, 443)).toEqual(["198.51.100.0/24", "203.0.113.0/24"]);
    expect(admittedOn(e, 8443)).toEqual(["198.51.100.0/24"]);
  });

  it("keeps what is certain and makes the rest uncertain when a rule's sources are undecided", () => {
    const cause = "aws_security_group.f.ingress[1].security_groups: security group(s) as sources";
    const e = enforced([firewall("allow-only", [rule(), rule({ sources: [{ kind: "undecided", cause }] })])]);
    expect(sorted(admittedOn(e, 443))).toEqual(ALL);
    const doubt = uncertainOn(e, 443);
    expect(doubt.causes).toEqual([cause]);
    // Everyone else is in doubt: the uncertain part and Cloudflare's ranges together are everyone.
    const v4 = byFamily(doubt.cidrs)[4];
    expect(intersect(v4, CLOUDFLARE_IPV4)).toEqual([]);
    expect(isEveryone(union(v4, CLOUDFLARE_IPV4), 4)).toBe(true);
  });

  it("makes every source uncertain, on every port, for a group nothing is known about", () => {
    const cause = "aws_security_group.g: count is not known";
    const e = enforced(
      [firewall("allow-only", [rule()]), firewall("allow-only", [], { undecided: [cause] })],
      [22, 443],
    );
    expect(sorted(admittedOn(e, 443))).toEqual(ALL);
    expect(admittedOn(e, 22)).toEqual([]);
    expect(uncertainOn(e, 22)).toEqual({ cidrs: ["0.0.0.0/0", "::/0"], causes: [cause] });
  });

  it("does not let an undecided rule on another port cast doubt on this one", () => {
    const cause = "hcloud_firewall.f.rule[1].source_ips: variable office has no value";
    const e = enforced([
      firewall("allow-only", [rule(), rule({ ports: [[22, 22]], sources: [{ kind: "undecided", cause }] })]),
    ]);
    expect(uncertainOn(e, 443)).toEqual({ cidrs: [], causes: [] });
    expect(e.unknowns).toEqual([cause]);
  });
});

describe("priority firewalls (GCP VPC firewall rules, Azure network security groups)", () => {
  const denyAll = (priority: number) =>
    rule({ action: "deny", priority, protocol: "all", ports: "all", sources: [EVERYONE] });

  it("lets the lower priority number decide", () => {
    const first = enforced([firewall("priority", [rule({ priority: 800 }), denyAll(900)])]);
    expect(sorted(admittedOn(first, 443))).toEqual(ALL);
    const denied = enforced([firewall("priority", [rule({ priority: 1000 }), denyAll(900)])]);
    expect(admittedOn(denied, 443)).toEqual([]);
    expect(enforcedDrift({ origin: origin("web") }, denied, RANGES)).toMatchObject([
      { kind: "enforced-missing", predicts: "522" },
    ]);
  });

  it("lets a deny win a tie with an allow of the same priority", () => {
    expect(
      admittedOn(enforced([firewall("priority", [rule({ priority: 1000 }), denyAll(1000)])]), 443),
    ).toEqual([]);
  });

  it("drops what no rule matches (the implied deny)", () => {
    const e = enforced([
      firewall("priority", [
        rule({ priority: 1000, sources: [{ kind: "cidrs", cidrs: ["203.0.113.0/24"] }] }),
      ]),
    ]);
    expect(admittedOn(e, 443)).toEqual(["203.0.113.0/24"]);
    expect(uncertainOn(e, 443).cidrs).toEqual([]);
  });

  it("makes Cloudflare uncertain when a deny of unknown priority could come first", () => {
    const cause = "google_compute_firewall.deny.priority: variable p has no value";
    const e = enforced([
      firewall("priority", [
        rule({ priority: 1000 }),
        rule({ action: "deny", priority: { undecided: cause }, sources: [EVERYONE] }),
      ]),
    ]);
    expect(admittedOn(e, 443)).toEqual([]);
    expect(uncertainOn(e, 443)).toEqual({ cidrs: ALL, causes: [cause] });
    expect(enforcedDrift({ origin: origin("web") }, e, RANGES)).toMatchObject([
      { kind: "enforced-unknown", predicts: "522", rules: [cause] },
    ]);
  });

  it("keeps Cloudflare admitted when the undecided rule could only allow more", () => {
    const cause =
      "azurerm_network_security_group.f.security_rule[1].source_address_prefix: the service tag AzureLoadBalancer";
    const e = enforced([
      firewall("priority", [
        rule({ priority: 100 }),
        rule({ priority: 200, sources: [{ kind: "undecided", cause }] }),
      ]),
    ]);
    expect(sorted(admittedOn(e, 443))).toEqual(ALL);
    const [drift, ...rest] = enforcedDrift({ origin: origin("web") }, e, RANGES);
    expect(rest).toEqual([]);
    expect(drift).toMatchObject({ kind: "enforced-unknown", predicts: null });
  });

  it("reads a rule whose action is not known as possibly either", () => {
    const cause = "azurerm_network_security_rule.r.access: var.access";
    const e = enforced([firewall("priority", [rule({ priority: 100, action: { undecided: cause } })])]);
    expect(admittedOn(e, 443)).toEqual([]);
    expect(uncertainOn(e, 443)).toEqual({ cidrs: ALL, causes: [cause] });
  });

  it("reads a rule that may not apply (an unknown `disabled`) as a possibility only", () => {
    const cause = "google_compute_firewall.f.disabled: var.off";
    const e = enforced([firewall("priority", [rule({ priority: 1000, applies: { undecided: cause } })])]);
    expect(admittedOn(e, 443)).toEqual([]);
    expect(uncertainOn(e, 443).causes).toEqual([cause]);
  });

  it("requires a connection to pass every unit (a subnet's and a NIC's network security groups)", () => {
    const azure = (unit: string, rules: CloudFirewallRule[]) =>
      firewall("priority", rules, { unit, address: unit, type: "azurerm_network_security_group" });
    const subnet = azure("azure:subnet", [rule({ priority: 100 })]);
    const nicOpen = azure("azure:nic", [
      rule({ priority: 100, protocol: "all", ports: "all", sources: [EVERYONE] }),
    ]);
    const both = enforced([subnet, nicOpen]);
    expect(sorted(admittedOn(both, 443))).toEqual(ALL);
    expect(enforcedDrift({ origin: origin("web") }, both, RANGES)).toEqual([]);
    const nicHalf = azure("azure:nic", [
      rule({ priority: 100, sources: [{ kind: "cidrs", cidrs: CLOUDFLARE_IPV4.slice(0, 5) }] }),
    ]);
    const half = enforced([subnet, nicHalf]);
    expect(sorted(admittedOn(half, 443))).toEqual(sorted(CLOUDFLARE_IPV4.slice(0, 5)));
    expect(enforcedDrift({ origin: origin("web") }, half, RANGES)[0]).toMatchObject({
      kind: "enforced-missing",
    });
  });
});

describe("a cloud firewall in front of the host's own ruleset (--firewall with a resource allowlist)", () => {
  const nft = readFileSync(join(import.meta.dirname, "fixtures", "origin-firewall.nft.json"), "utf8");
  const host = parseFirewallExport(nft, { file: "origin-firewall.nft.json", ports: [443] });

  it("admits only what both admit: an open security group does not open a closed host", () => {
    const open = enforced([firewall("allow-only", [rule({ sources: [EVERYONE] })])]);
    const chained = chainFirewalls(open, host, [443]);
    const extraOf = (f: typeof host) =>
      enforcedDrift({ origin: origin("web") }, f, RANGES)
        .filter((d) => d.kind === "enforced-extra")
        .flatMap((d) => d.cidrs);
    expect(extraOf(open)).toEqual(["0.0.0.0/0"]);
    // Through both, only what the host's ruleset itself admits beyond Cloudflare gets in.
    expect(extraOf(chained)).toEqual(extraOf(host));
    expect(extraOf(chained)).not.toContain("0.0.0.0/0");
    const drift = enforcedDrift({ origin: origin("web") }, chained, RANGES);
    // The host ruleset's own gap (131.0.72.0/22 is not in its set) is still found through the chain.
    expect(drift).toContainEqual(
      expect.objectContaining({ kind: "enforced-missing", cidrs: ["131.0.72.0/22"] }),
    );
  });

  it("keeps a range the security group misses missing, whatever the host admits", () => {
    const partial = enforced([
      firewall("allow-only", [
        rule({ sources: [{ kind: "cidrs", cidrs: CLOUDFLARE_IPV4.filter((c) => c !== "104.16.0.0/13") }] }),
      ]),
    ]);
    const missing = enforcedDrift({ origin: origin("web") }, chainFirewalls(partial, host, [443]), RANGES)
      .filter((d) => d.kind === "enforced-missing")
      .flatMap((d) => d.cidrs);
    expect(missing).toEqual(expect.arrayContaining(["104.16.0.0/13", "131.0.72.0/22"]));
  });
});
