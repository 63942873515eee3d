import type { SourceRef } from "./source.js";

/**
 * An origin's cloud firewall as the configuration declares it (AWS security groups, GCP VPC
 * firewall rules, Hetzner and DigitalOcean firewalls, Azure network security groups): plain ingress
 * rules. Whatever the configuration does not decide (a CIDR list from a variable without a value, a
 * security group or tag as a source, an Azure service tag) is kept as `Undecided` with its cause,
 * never read as "everyone" or "no one".
 */

/** A part of a rule the configuration does not decide; the cause reads "<address.attribute>: <why>". */
export interface Undecided {
  readonly undecided: string;
}

export function isUndecided(value: unknown): value is Undecided {
  return typeof value === "object" && value !== null && "undecided" in value;
}

export type IpFamily = 4 | 6;

/** Where a rule admits (or denies) traffic from. */
export type RuleSource =
  | { readonly kind: "cidrs"; readonly cidrs: readonly string[] }
  /** Cloudflare's ranges through the `cloudflare_ip_ranges` data source: resolved to the ranges the run uses. */
  | { readonly kind: "cloudflare"; readonly families: readonly IpFamily[]; readonly expression: string }
  | { readonly kind: "undecided"; readonly cause: string };

/** Inclusive TCP port ranges, or every port. */
export type RulePorts = "all" | readonly (readonly [number, number])[] | Undecided;
/** `tcp`, every protocol, or one that is not TCP (and so never carries Cloudflare's connections). */
export type RuleProtocol = "tcp" | "all" | "other" | Undecided;
export type RuleAction = "allow" | "deny" | Undecided;

export interface CloudFirewallRule {
  /** Where the rule is written: `aws_security_group.web.ingress[1]`. */
  readonly where: string;
  readonly action: RuleAction;
  /** Evaluation order where the provider has one: lower first, deny before allow at equal priority. */
  readonly priority?: number | Undecided;
  readonly protocol: RuleProtocol;
  readonly ports: RulePorts;
  readonly sources: readonly RuleSource[];
  /** Set when the rule may or may not apply at all (an unknown `disabled`, a destination restriction). */
  readonly applies?: Undecided;
}

/**
 * How a provider combines rules. `allow-only`: every rule allows, a connection any rule matches is
 * admitted, the rest is dropped (AWS security groups, Hetzner, DigitalOcean). `priority`: rules are
 * taken by priority, the first that matches decides, deny wins a tie, and what none matches is
 * dropped (GCP VPC firewall rules, Azure network security groups).
 */
export type RuleModel = "allow-only" | "priority";

export interface CloudFirewall {
  /** The resource address (`aws_security_group.web`). */
  readonly address: string;
  readonly type: string;
  readonly model: RuleModel;
  /**
   * Firewalls of one unit are evaluated together (the security groups of an instance, the VPC
   * firewall rules of a network); a connection must pass every unit (an Azure subnet's and NIC's
   * network security groups, or a cloud firewall in front of a host firewall).
   */
  readonly unit: string;
  readonly rules: readonly CloudFirewallRule[];
  /** Causes that leave the whole firewall undecided (its count/for_each, a rule resource not expanded). */
  readonly undecided?: readonly string[];
  /** What was taken from the declaration rather than the configuration (a GCP rule's target tags). */
  readonly assumptions?: readonly string[];
  readonly source: SourceRef;
}

/** An origin's allowlist given as cloud firewall resources of the same configuration. */
export interface OriginCloudFirewall {
  /** The resource addresses as the declaration names them. */
  readonly resources: readonly string[];
  readonly firewalls: readonly CloudFirewall[];
}

/** Every cause of doubt a rule carries. */
export function ruleCauses(rule: CloudFirewallRule): string[] {
  const out: string[] = [];
  for (const part of [rule.action, rule.priority, rule.protocol, rule.ports, rule.applies])
    if (isUndecided(part)) out.push(part.undecided);
  for (const source of rule.sources) if (source.kind === "undecided") out.push(source.cause);
  return out;
}
