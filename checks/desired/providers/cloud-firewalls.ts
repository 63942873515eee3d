import { cidrFamily } from "../../diff/cidr-set.js";
import {
  type CloudFirewall,
  type CloudFirewallRule,
  isUndecided,
  type RuleAction,
  type RuleModel,
  type RulePorts,
  type RuleProtocol,
  type RuleSource,
  ruleCauses,
  type Undecided,
} from "../../model/cloud-firewall.js";
import type { ResourceInstance } from "../instance.js";
import { isTfList, type TfObject, type TfValue, Unknown } from "../terraform/value.js";
import type { CloudFirewallFact, FirewallAttachment } from "./cloud-firewall-fact.js";
import { type BlockReading, everyone, FirewallReader, portsOf } from "./cloud-firewall-reader.js";

/**
 * Cloud firewalls an origin's allowlist may name, one function per resource type (argument names
 * and semantics checked 2026-11-30 against each provider's documentation: hashicorp/aws
 * `aws_security_group`, `aws_vpc_security_group_ingress_rule`, `aws_security_group_rule`;
 * hashicorp/google `google_compute_firewall`; hetznercloud/hcloud `hcloud_firewall`;
 * digitalocean/digitalocean `digitalocean_firewall`; hashicorp/azurerm
 * `azurerm_network_security_group`, `azurerm_network_security_rule`).
 */
export type CloudFirewallAdapter = (instance: ResourceInstance) => CloudFirewallFact;

/** Security groups: allow-only; `-1` (or `all`) is every protocol and port; `6` is TCP. */
const AWS_SECURITY_GROUP_TYPES = ["aws_security_group"] as const;

export const CLOUD_FIREWALL_ADAPTERS: Readonly<Record<string, CloudFirewallAdapter>> = {
  aws_security_group: readAwsSecurityGroup,
  aws_vpc_security_group_ingress_rule: readAwsVpcIngressRule,
  aws_security_group_rule: readAwsSecurityGroupRule,
  google_compute_firewall: readGoogleComputeFirewall,
  hcloud_firewall: readHcloudFirewall,
  digitalocean_firewall: readDigitalOceanFirewall,
  azurerm_network_security_group: readAzureNetworkSecurityGroup,
  azurerm_network_security_rule: readAzureNetworkSecurityRule,
};

export const CLOUD_FIREWALL_TYPES: ReadonlySet<string> = new Set(Object.keys(CLOUD_FIREWALL_ADAPTERS));

/** Resource types that add rules to a firewall declared by another resource. */
export const CLOUD_FIREWALL_RULE_TYPES: Readonly<Record<string, readonly string[]>> = {
  aws_vpc_security_group_ingress_rule: AWS_SECURITY_GROUP_TYPES,
  aws_security_group_rule: AWS_SECURITY_GROUP_TYPES,
  azurerm_network_security_rule: ["azurerm_network_security_group"],
};

/** The model and evaluation unit of each type (see `CloudFirewall.unit`). */
export function modelOf(type: string): RuleModel {
  return type.startsWith("google_") || type.startsWith("azurerm_") ? "priority" : "allow-only";
}

export function unitOf(type: string, address: string): string {
  if (type.startsWith("aws_")) return "aws";
  if (type.startsWith("google_")) return "gcp";
  if (type.startsWith("hcloud_")) return "hetzner";
  if (type.startsWith("digitalocean_")) return "digitalocean";
  return `azure:${address}`;
}

function fact(
  r: FirewallReader,
  rules: CloudFirewallRule[],
  extra: {
    ids?: readonly (string | undefined)[];
    attachTo?: FirewallAttachment;
    assumptions?: string[];
    undecided?: string[];
  } = {},
): CloudFirewallFact {
  const { instance } = r;
  const firewall: CloudFirewall = {
    address: instance.address,
    type: instance.type,
    model: modelOf(instance.type),
    unit: unitOf(instance.type, instance.address),
    rules,
    ...(extra.undecided && extra.undecided.length > 0 ? { undecided: extra.undecided } : {}),
    ...(extra.assumptions && extra.assumptions.length > 0 ? { assumptions: extra.assumptions } : {}),
    source: instance.source,
  };
  // Templates (a `dynamic` block or a `for_each` over Cloudflare's ranges) fully read are no unknown.
  const decided = rules.every((rule) => ruleCauses(rule).length === 0) && !extra.undecided?.length;
  const understood = decided ? [...r.templates, ...(instance.expansion ? ["for_each"] : [])] : [];
  return {
    firewall,
    understood,
    ids: (extra.ids ?? []).filter((id): id is string => typeof id === "string" && id !== ""),
    ...(extra.attachTo ? { attachTo: extra.attachTo } : {}),
    problems: r.problems,
  };
}

function literalOf(value: string | Undecided | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A rule for a block nothing is known about (a `dynamic` over an unknown collection, an unknown block). */
function undecidedRule(where: string, cause: string, model: RuleModel): CloudFirewallRule {
  const undecided = { undecided: cause };
  return {
    where,
    action: model === "allow-only" ? "allow" : undecided,
    ...(model === "priority" ? { priority: undecided } : {}),
    protocol: undecided,
    ports: undecided,
    sources: [{ kind: "undecided", cause }],
  };
}

// --- AWS ---

function awsProtocol(r: FirewallReader, from: TfObject, key: string, where: string): RuleProtocol {
  const value = r.string(from, key, `${where}.${key}`);
  if (value === undefined) {
    r.problem(`${where}.${key}`, "a protocol (tcp, udp, icmp, -1 or a protocol number)", undefined);
    return r.undecided(`${where}.${key}`, "no protocol");
  }
  if (isUndecided(value)) return value;
  const p = value.trim().toLowerCase();
  if (p === "-1" || p === "all") return "all";
  if (p === "tcp" || p === "6") return "tcp";
  return "other";
}

/** `from_port`..`to_port` for TCP; every port for `-1`. */
function awsPorts(r: FirewallReader, from: TfObject, where: string, protocol: RuleProtocol): RulePorts {
  if (protocol === "all") return "all";
  const low = r.number(from, "from_port", `${where}.from_port`);
  const high = r.number(from, "to_port", `${where}.to_port`);
  if (isUndecided(low)) return low;
  if (isUndecided(high)) return high;
  if (protocol !== "tcp") return [];
  if (low === undefined || high === undefined) {
    r.problem(`${where}.from_port`, "from_port and to_port for a TCP rule", undefined);
    return r.undecided(where, "a TCP rule without from_port and to_port");
  }
  if (low < 0 || high > 65535 || low > high) {
    r.problem(
      `${where}.from_port`,
      "a TCP port range within 0-65535 (from_port <= to_port)",
      `${low}-${high}`,
    );
    return r.undecided(where, `the port range ${low}-${high} is not valid`);
  }
  return [[low, high]];
}

/** Sources of an inline `ingress` block or an `aws_security_group_rule`. */
function awsGroupRuleSources(
  r: FirewallReader,
  block: TfObject,
  where: string,
  sourceGroupKey: string,
): RuleSource[] {
  const sources: RuleSource[] = [
    ...r.sources(block, "cidr_blocks", `${where}.cidr_blocks`, [4]),
    ...r.sources(block, "ipv6_cidr_blocks", `${where}.ipv6_cidr_blocks`, [6]),
  ];
  const prefixLists = r.names(block, "prefix_list_ids", `${where}.prefix_list_ids`, "prefix list(s)");
  if (prefixLists) sources.push({ kind: "undecided", cause: prefixLists.undecided });
  const groups = r.names(block, sourceGroupKey, `${where}.${sourceGroupKey}`, "security group(s) as sources");
  if (groups) sources.push({ kind: "undecided", cause: groups.undecided });
  const self = r.bool(block, "self", `${where}.self`);
  if (self === true)
    sources.push({
      kind: "undecided",
      cause: r.cause(
        `${where}.self`,
        "the group's own members as sources: which addresses they have is not in this configuration",
      ),
    });
  else if (isUndecided(self)) sources.push({ kind: "undecided", cause: self.undecided });
  return sources;
}

function awsIngressRule(r: FirewallReader, reading: BlockReading, sourceGroupKey: string): CloudFirewallRule {
  if (reading.kind === "undecided") return undecidedRule(reading.where, reading.cause, "allow-only");
  const { values, where } = reading;
  const protocol = awsProtocol(r, values, "protocol", where);
  return {
    where,
    action: "allow",
    protocol,
    ports: awsPorts(r, values, where, protocol),
    sources: awsGroupRuleSources(r, values, where, sourceGroupKey),
  };
}

/** `aws_security_group`: inline `ingress` blocks (egress is not Cloudflare's way in). */
export function readAwsSecurityGroup(instance: ResourceInstance): CloudFirewallFact {
  const r = new FirewallReader(instance);
  const rules = r
    .blocks(instance.values, "ingress", `${instance.address}.ingress`)
    .map((reading) => awsIngressRule(r, reading, "security_groups"));
  return fact(r, rules, { ids: [literalOf(r.string(instance.values, "id", `${instance.address}.id`))] });
}

/** `aws_vpc_security_group_ingress_rule`: one source per rule. */
export function readAwsVpcIngressRule(instance: ResourceInstance): CloudFirewallFact {
  const r = new FirewallReader(instance);
  const v = instance.values;
  const where = instance.address;
  const protocol = awsProtocol(r, v, "ip_protocol", where);
  const sources: RuleSource[] = [
    ...r.sources(v, "cidr_ipv4", `${where}.cidr_ipv4`, [4]),
    ...r.sources(v, "cidr_ipv6", `${where}.cidr_ipv6`, [6]),
  ];
  const prefixList = r.names(v, "prefix_list_id", `${where}.prefix_list_id`, "a prefix list");
  if (prefixList) sources.push({ kind: "undecided", cause: prefixList.undecided });
  const group = r.names(
    v,
    "referenced_security_group_id",
    `${where}.referenced_security_group_id`,
    "a security group as source",
  );
  if (group) sources.push({ kind: "undecided", cause: group.undecided });
  const rule: CloudFirewallRule = {
    where,
    action: "allow",
    protocol,
    ports: awsPorts(r, v, where, protocol),
    sources,
  };
  return fact(r, [rule], {
    attachTo: r.attachment("security_group_id", AWS_SECURITY_GROUP_TYPES),
  });
}

/** `aws_security_group_rule`: only `type = "ingress"` rules admit anything. */
export function readAwsSecurityGroupRule(instance: ResourceInstance): CloudFirewallFact {
  const r = new FirewallReader(instance);
  const v = instance.values;
  const where = instance.address;
  const attachTo = r.attachment("security_group_id", AWS_SECURITY_GROUP_TYPES);
  const type = r.string(v, "type", `${where}.type`);
  if (type !== undefined && !isUndecided(type) && type.toLowerCase() !== "ingress")
    return fact(r, [], { attachTo });
  const rule = awsIngressRule(r, { kind: "block", where, values: v }, "source_security_group_id");
  return fact(r, [isUndecided(type) ? { ...rule, applies: type } : rule], { attachTo });
}

/** A list of port texts (`["80", "8000-9000"]`) as `RulePorts`; `whenEmpty` when none is given. */
function listedPorts(
  r: FirewallReader,
  from: TfObject,
  key: string,
  where: string,
  whenEmpty: RulePorts,
): RulePorts {
  const items = r.list(from, key, `${where}.${key}`);
  if (isUndecided(items)) return items;
  const texts = items.flatMap((item, i) => {
    const text = r.string({ item }, "item", `${where}.${key}[${i}]`);
    return text === undefined || text === "" ? [] : [text];
  });
  return texts.length === 0 ? whenEmpty : portsOf(r, texts, `${where}.${key}`);
}

// --- Google Cloud ---

/** GCP's default rule priority when none is given (hashicorp/google documentation, checked 2026-11-30). */
export const GCP_DEFAULT_PRIORITY = 1000;

function gcpProtocol(value: string | Undecided | undefined): RuleProtocol {
  if (value === undefined) return "other";
  if (isUndecided(value)) return value;
  const p = value.trim().toLowerCase();
  if (p === "all") return "all";
  if (p === "tcp" || p === "6") return "tcp";
  return "other";
}

/**
 * `google_compute_firewall`: one rule per `allow`/`deny` block, sharing the resource's direction,
 * priority and sources. An ingress rule with no `source_ranges`, `source_tags` nor
 * `source_service_accounts` applies to 0.0.0.0/0 (Google's documented default, and a known trap:
 * hashicorp/terraform-provider-google#6789). Target tags are taken to include the origin, since its
 * allowlist names the rule.
 */
export function readGoogleComputeFirewall(instance: ResourceInstance): CloudFirewallFact {
  const r = new FirewallReader(instance);
  const v = instance.values;
  const at = instance.address;
  const direction = r.string(v, "direction", `${at}.direction`);
  const disabled = r.bool(v, "disabled", `${at}.disabled`);
  if ((typeof direction === "string" && direction.toUpperCase() !== "INGRESS") || disabled === true)
    return fact(r, []);
  const appliesCauses: string[] = [];
  if (isUndecided(direction)) appliesCauses.push(direction.undecided);
  if (isUndecided(disabled)) appliesCauses.push(disabled.undecided);
  const destinations = r.list(v, "destination_ranges", `${at}.destination_ranges`);
  if (isUndecided(destinations) || destinations.length > 0)
    appliesCauses.push(
      r.cause(
        `${at}.destination_ranges`,
        "the rule applies only to some destination addresses, which may or may not be the origin's",
      ),
    );
  const priority = r.number(v, "priority", `${at}.priority`) ?? GCP_DEFAULT_PRIORITY;

  const sources = r.sources(v, "source_ranges", `${at}.source_ranges`, [4, 6]);
  const tags = r.names(v, "source_tags", `${at}.source_tags`, "instances with network tags as sources");
  const accounts = r.names(
    v,
    "source_service_accounts",
    `${at}.source_service_accounts`,
    "instances with service accounts as sources",
  );
  const rangesGiven =
    v.source_ranges !== undefined &&
    v.source_ranges !== null &&
    !(Array.isArray(v.source_ranges) && v.source_ranges.length === 0);
  if (!rangesGiven && !tags && !accounts) sources.push(everyone([4]));
  if (tags) sources.push({ kind: "undecided", cause: tags.undecided });
  if (accounts) sources.push({ kind: "undecided", cause: accounts.undecided });

  const assumptions: string[] = [];
  for (const key of ["target_tags", "target_service_accounts"]) {
    const targets = r.list(v, key, `${at}.${key}`);
    if (isUndecided(targets) || targets.length > 0)
      assumptions.push(
        `${at}.${key}: the rule applies only to some instances; taken to include the origin, whose allowlist names it`,
      );
  }
  const applies = appliesCauses.length > 0 ? { undecided: appliesCauses.join("; ") } : undefined;
  const rules: CloudFirewallRule[] = [];
  for (const [key, action] of [
    ["deny", "deny"],
    ["allow", "allow"],
  ] as const) {
    for (const reading of r.blocks(v, key, `${at}.${key}`)) {
      if (reading.kind === "undecided") {
        rules.push({ ...undecidedRule(reading.where, reading.cause, "priority"), action, priority });
        continue;
      }
      const protocol = gcpProtocol(r.string(reading.values, "protocol", `${reading.where}.protocol`));
      rules.push({
        where: reading.where,
        action,
        priority,
        protocol,
        // No `ports`: every port of the protocol.
        ports: protocol === "all" ? "all" : listedPorts(r, reading.values, "ports", reading.where, "all"),
        sources,
        ...(applies ? { applies } : {}),
      });
    }
  }
  return fact(r, rules, { assumptions });
}

// --- Allow-only rules with a protocol name and one port text (Hetzner Cloud, DigitalOcean) ---

/** `protocol`: "tcp" (any case), another protocol, or undecided. */
function tcpOrOther(r: FirewallReader, values: TfObject, where: string): RuleProtocol {
  const text = r.string(values, "protocol", `${where}.protocol`);
  if (isUndecided(text)) return text;
  return text?.toLowerCase() === "tcp" ? "tcp" : "other";
}

/**
 * The ports of a rule from its one port attribute (`key`): none for a rule of another protocol; a
 * TCP rule without one is an input problem and undecided; `isAll` names a provider's spelling of
 * every port besides the ones `portsOf` reads.
 */
function tcpRulePorts(
  r: FirewallReader,
  values: TfObject,
  protocol: RuleProtocol,
  key: string,
  where: string,
  examples: string,
  isAll: (text: string) => boolean,
): RulePorts {
  if (protocol === "other") return [];
  const text = r.string(values, key, `${where}.${key}`);
  if (text === undefined) {
    r.problem(`${where}.${key}`, `a ${key} for a TCP rule ${examples}`, undefined);
    return r.undecided(`${where}.${key}`, `a TCP rule without a ${key}`);
  }
  return typeof text === "string" && isAll(text) ? "all" : portsOf(r, [text], `${where}.${key}`);
}

// --- Hetzner Cloud ---

/** `hcloud_firewall`: allow-only `rule` blocks; `direction = "in"`, `port` "80", "80-85" or "any". */
export function readHcloudFirewall(instance: ResourceInstance): CloudFirewallFact {
  const r = new FirewallReader(instance);
  const rules: CloudFirewallRule[] = [];
  for (const reading of r.blocks(instance.values, "rule", `${instance.address}.rule`)) {
    if (reading.kind === "undecided") {
      rules.push(undecidedRule(reading.where, reading.cause, "allow-only"));
      continue;
    }
    const { values, where } = reading;
    const direction = r.string(values, "direction", `${where}.direction`);
    if (typeof direction === "string" && direction.toLowerCase() !== "in") continue;
    const protocol = tcpOrOther(r, values, where);
    const ports = tcpRulePorts(r, values, protocol, "port", where, '("443", "80-85" or "any")', () => false);
    rules.push({
      where,
      action: "allow",
      protocol,
      ports,
      sources: r.sources(values, "source_ips", `${where}.source_ips`, [4, 6]),
      ...(isUndecided(direction) ? { applies: direction } : {}),
    });
  }
  return fact(r, rules, { ids: [literalOf(r.string(instance.values, "id", `${instance.address}.id`))] });
}

// --- DigitalOcean ---

/** `digitalocean_firewall`: allow-only `inbound_rule` blocks; `port_range` "80", "8000-9000", "1-65535" or "all". */
export function readDigitalOceanFirewall(instance: ResourceInstance): CloudFirewallFact {
  const r = new FirewallReader(instance);
  const rules: CloudFirewallRule[] = [];
  for (const reading of r.blocks(instance.values, "inbound_rule", `${instance.address}.inbound_rule`)) {
    if (reading.kind === "undecided") {
      rules.push(undecidedRule(reading.where, reading.cause, "allow-only"));
      continue;
    }
    const { values, where } = reading;
    const protocol = tcpOrOther(r, values, where);
    const ports = tcpRulePorts(
      r,
      values,
      protocol,
      "port_range",
      where,
      '("443", "8000-9000" or "all")',
      (text) => text === "0",
    );
    const sources = r.sources(values, "source_addresses", `${where}.source_addresses`, [4, 6]);
    for (const [key, what] of [
      ["source_droplet_ids", "Droplets as sources"],
      ["source_tags", "Droplets with tags as sources"],
      ["source_load_balancer_uids", "load balancers as sources"],
      ["source_kubernetes_ids", "Kubernetes clusters as sources"],
    ] as const) {
      const named = r.names(values, key, `${where}.${key}`, what);
      if (named) sources.push({ kind: "undecided", cause: named.undecided });
    }
    rules.push({ where, action: "allow", protocol, ports, sources });
  }
  return fact(r, rules, { ids: [literalOf(r.string(instance.values, "id", `${instance.address}.id`))] });
}

// --- Azure ---

/**
 * Source address prefixes that stand for every address (checked 2026-11-30, Azure network security
 * group documentation): `*` and `Any` match all; the `Internet` service tag is every address outside
 * the virtual network, which is where Cloudflare and every visitor connect from.
 */
export const AZURE_EVERYONE_PREFIXES: ReadonlySet<string> = new Set(["*", "any", "internet"]);
/** Destination prefixes that cover the network's own hosts, the origin among them. */
const AZURE_ANY_DESTINATION: ReadonlySet<string> = new Set(["*", "any", "virtualnetwork"]);

function azureProtocol(value: string | Undecided | undefined): RuleProtocol {
  if (value === undefined) return "other";
  if (isUndecided(value)) return value;
  const p = value.trim().toLowerCase();
  if (p === "*" || p === "all") return "all";
  if (p === "tcp") return "tcp";
  return "other";
}

function azurePrefixes(
  r: FirewallReader,
  v: TfObject,
  where: string,
  single: string,
  plural: string,
): (string | Undecided)[] {
  const out: (string | Undecided)[] = [];
  const one = r.string(v, single, `${where}.${single}`);
  if (one !== undefined && one !== "") out.push(one);
  const many = r.list(v, plural, `${where}.${plural}`);
  if (isUndecided(many)) out.push(many);
  else
    many.forEach((item, i) => {
      const text = r.string({ item }, "item", `${where}.${plural}[${i}]`);
      // Plans write the form not used as "" or [].
      if (text !== undefined && text !== "") out.push(text);
    });
  return out;
}

/**
 * Source prefixes as texts, with unknown ones already read as sources (Cloudflare's ranges through
 * `cloudflare_ip_ranges`, or undecided).
 */
function azureSourcePrefixes(r: FirewallReader, v: TfObject, where: string): (string | RuleSource)[] {
  const out: (string | RuleSource)[] = [];
  const read = (value: TfValue | undefined, at: string): void => {
    if (value === undefined || value === null || value === "") return;
    if (value instanceof Unknown) out.push(r.unknownSource(value, at, [4, 6]));
    else if (isTfList(value))
      value.forEach((item, i) => {
        read(item, `${at}[${i}]`);
      });
    else {
      const text = r.string({ value }, "value", at);
      if (typeof text === "string") out.push(text);
    }
  };
  read(v.source_address_prefix, `${where}.source_address_prefix`);
  read(v.source_address_prefixes, `${where}.source_address_prefixes`);
  return out;
}

/** One Azure security rule (a `security_rule` block or an `azurerm_network_security_rule`). */
function azureRule(r: FirewallReader, v: TfObject, where: string): CloudFirewallRule | undefined {
  const direction = r.string(v, "direction", `${where}.direction`);
  if (typeof direction === "string" && direction.toLowerCase() !== "inbound") return undefined;
  const access = r.string(v, "access", `${where}.access`);
  let action: RuleAction;
  if (access === undefined || isUndecided(access))
    action = access ?? r.undecided(`${where}.access`, "no access given");
  else if (access.toLowerCase() === "allow") action = "allow";
  else if (access.toLowerCase() === "deny") action = "deny";
  else {
    r.problem(`${where}.access`, "Allow or Deny", access);
    action = r.undecided(`${where}.access`, `${access} is neither Allow nor Deny`);
  }
  const priority =
    r.number(v, "priority", `${where}.priority`) ?? r.undecided(`${where}.priority`, "no priority given");
  const protocol = azureProtocol(r.string(v, "protocol", `${where}.protocol`));
  const portTexts = azurePrefixes(r, v, where, "destination_port_range", "destination_port_ranges");
  const ports: RulePorts =
    protocol === "other"
      ? []
      : portTexts.length === 0
        ? "all"
        : portsOf(r, portTexts, `${where}.destination_port_range`);

  const sources: RuleSource[] = [];
  const cidrs: string[] = [];
  for (const prefix of azureSourcePrefixes(r, v, where)) {
    if (typeof prefix !== "string") {
      sources.push(prefix);
      continue;
    }
    if (AZURE_EVERYONE_PREFIXES.has(prefix.toLowerCase())) {
      sources.push(everyone());
      continue;
    }
    if (cidrFamily(prefix) !== undefined) {
      cidrs.push(prefix.trim());
      continue;
    }
    // Not a CIDR: a service tag (VirtualNetwork, AzureLoadBalancer, AzureCloud, Storage, ...).
    sources.push({
      kind: "undecided",
      cause: r.cause(
        `${where}.source_address_prefix`,
        `the service tag ${prefix}: which addresses it stands for is not in this configuration`,
      ),
    });
  }
  if (cidrs.length > 0) sources.push({ kind: "cidrs", cidrs });
  const groups = r.names(
    v,
    "source_application_security_group_ids",
    `${where}.source_application_security_group_ids`,
    "application security groups as sources",
  );
  if (groups) sources.push({ kind: "undecided", cause: groups.undecided });

  const appliesCauses: string[] = [];
  if (isUndecided(direction)) appliesCauses.push(direction.undecided);
  for (const port of azurePrefixes(r, v, where, "source_port_range", "source_port_ranges")) {
    if (isUndecided(port)) appliesCauses.push(port.undecided);
    else if (port !== "*")
      appliesCauses.push(
        r.cause(
          `${where}.source_port_range`,
          `matches only source ports ${port}; Cloudflare connects from ephemeral ports`,
        ),
      );
  }
  for (const destination of azurePrefixes(
    r,
    v,
    where,
    "destination_address_prefix",
    "destination_address_prefixes",
  )) {
    if (isUndecided(destination)) appliesCauses.push(destination.undecided);
    else if (!AZURE_ANY_DESTINATION.has(destination.toLowerCase()))
      appliesCauses.push(
        r.cause(
          `${where}.destination_address_prefix`,
          `applies only to ${destination}, which may or may not be the origin's address`,
        ),
      );
  }
  return {
    where,
    action,
    priority,
    protocol,
    ports,
    sources,
    ...(appliesCauses.length > 0 ? { applies: { undecided: appliesCauses.join("; ") } } : {}),
  };
}

/** `azurerm_network_security_group`: inline `security_rule` blocks, by priority, deny or allow. */
export function readAzureNetworkSecurityGroup(instance: ResourceInstance): CloudFirewallFact {
  const r = new FirewallReader(instance);
  const rules: CloudFirewallRule[] = [];
  for (const reading of r.blocks(instance.values, "security_rule", `${instance.address}.security_rule`)) {
    if (reading.kind === "undecided") {
      rules.push(undecidedRule(reading.where, reading.cause, "priority"));
      continue;
    }
    const rule = azureRule(r, reading.values, reading.where);
    if (rule) rules.push(rule);
  }
  return fact(r, rules, {
    ids: [
      literalOf(r.string(instance.values, "name", `${instance.address}.name`)),
      literalOf(r.string(instance.values, "id", `${instance.address}.id`)),
    ],
  });
}

/** `azurerm_network_security_rule`: one rule added to the group named by `network_security_group_name`. */
export function readAzureNetworkSecurityRule(instance: ResourceInstance): CloudFirewallFact {
  const r = new FirewallReader(instance);
  const rule = azureRule(r, instance.values, instance.address);
  return fact(r, rule ? [rule] : [], {
    attachTo: r.attachment("network_security_group_name", ["azurerm_network_security_group"]),
  });
}
