import type { CloudFirewall } from "../../model/cloud-firewall.js";

/**
 * What the cloud firewall adapters make of one resource: its own ingress rules, and for a rule
 * resource (`aws_vpc_security_group_ingress_rule`, `aws_security_group_rule`,
 * `azurerm_network_security_rule`) the firewall it adds them to. Nothing here is reported unless an
 * origin's allowlist names the firewall: a security group no origin uses is not cf-preflight's
 * business, and its odd values are not bad input of ours.
 */
export interface CloudFirewallFact {
  readonly firewall: CloudFirewall;
  /** Literal identities the resource is known by (an AWS security group's id in a plan, an Azure group's name). */
  readonly ids: readonly string[];
  readonly attachTo?: FirewallAttachment;
  /** Values of a type Terraform would refuse: bad input, but only once an allowlist names the firewall. */
  readonly problems: readonly FirewallProblem[];
  /**
   * Attributes the evaluator lists as unresolved (`for_each`, `dynamic.ingress`) that were read in
   * full all the same: one rule per Cloudflare range, whatever the ranges are.
   */
  readonly understood: readonly string[];
}

export interface FirewallAttachment {
  /** The firewall resource types the rule can belong to. */
  readonly groupTypes: readonly string[];
  /** The attribute that names the firewall (`security_group_id`, `network_security_group_name`). */
  readonly attribute: string;
  /** Resource addresses the attribute refers to. */
  readonly addresses: readonly string[];
  /** The attribute's literal value, when it has one (a `sg-…` id, a group name). */
  readonly literal?: string;
}

export interface FirewallProblem {
  /** `aws_security_group.web.ingress[0].from_port`. */
  readonly path: string;
  readonly expected: string;
  readonly got?: string;
}
