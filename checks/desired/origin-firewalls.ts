import { InputError } from "../errors.js";
import {
  type CloudFirewall,
  type CloudFirewallRule,
  type OriginCloudFirewall,
  ruleCauses,
} from "../model/cloud-firewall.js";
import type { InputFirewallSummary } from "../model/zone.js";
import type { AllowlistDeclaration } from "./declarations.js";
import type { UnresolvedInput } from "./instance.js";
import type { CloudFirewallFact } from "./providers/cloud-firewall-fact.js";
import {
  CLOUD_FIREWALL_RULE_TYPES,
  CLOUD_FIREWALL_TYPES,
  modelOf,
  unitOf,
} from "./providers/cloud-firewalls.js";
import type { Unknown } from "./terraform/value.js";
import { formatPath } from "./zod-issue.js";

/**
 * An origin's allowlist given as cloud firewall resources (`{ "resource": "aws_security_group.web" }`):
 * the named resources found among the configuration's firewalls, with the rules that separate rule
 * resources add to them (`aws_vpc_security_group_ingress_rule.security_group_id =
 * aws_security_group.web.id`). A name the configuration does not declare is bad input; a resource
 * whose count/for_each (or module) is not known is an undecided firewall, not an error.
 */
export interface FirewallContext {
  readonly facts: readonly CloudFirewallFact[];
  /** What the readers could not evaluate (a resource's unknown count/for_each, an unreadable module). */
  readonly unresolved: readonly UnresolvedInput[];
  /** Addresses of the firewalls and rule resources some allowlist uses (filled in here). */
  readonly used: Set<string>;
  /** `address\u0000attribute` of unresolved entries a used firewall's template read in full (filled in here). */
  readonly understood: Set<string>;
  /** What each origin's firewall is read from, for the report's inputs (filled in here). */
  readonly summaries: InputFirewallSummary[];
}

export function firewallContext(
  facts: readonly CloudFirewallFact[],
  unresolved: readonly UnresolvedInput[],
): FirewallContext {
  return { facts, unresolved, used: new Set(), understood: new Set(), summaries: [] };
}

/** Where the allowlist was declared, for errors. */
export interface DeclaredAt {
  readonly file: string;
  /** Path of the `resource` key inside the file. */
  readonly path: readonly PropertyKey[];
  /** Values the declaration held as Terraform expressions, by their text (`${aws_security_group.web.id}`). */
  readonly unknowns: ReadonlyMap<string, Unknown>;
  readonly stack?: string;
}

const ADDRESS =
  /^((?:module\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?\.)*([A-Za-z][A-Za-z0-9_-]*)\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?)(?:\.[A-Za-z0-9_.[\]"-]+)?$/;

/** Attributes under which an unexpanded resource or module is listed as unresolved. */
const EXPANSION_ATTRIBUTES = new Set(["count", "for_each", "source"]);

/** A reference matches an address when it is the address, or the address without an instance key. */
function refMatches(reference: string, address: string): boolean {
  return reference === address || (address.startsWith(reference) && address[reference.length] === "[");
}

function typeOfAddress(address: string): string | undefined {
  return ADDRESS.exec(address)?.[2];
}

/** The cloud firewall an origin's declared allowlist names, if it names one (its summary recorded). */
export function originCloudFirewall(
  allowlist: AllowlistDeclaration,
  context: FirewallContext,
  zone: string | null,
  origin: string,
  at: DeclaredAt,
): OriginCloudFirewall | undefined {
  if (typeof allowlist !== "object" || !("resource" in allowlist)) return undefined;
  const names = allowlist.resource;
  const firewall = resolveOriginFirewall(
    typeof names === "string" ? [names] : names,
    context,
    at,
    typeof names !== "string",
  );
  context.summaries.push(firewallSummary(zone, origin, firewall));
  return firewall;
}

function resolveOriginFirewall(
  names: readonly string[],
  context: FirewallContext,
  at: DeclaredAt,
  nameIsList: boolean,
): OriginCloudFirewall {
  const firewalls = names.map((name, i) =>
    resolveOne(name, context, { ...at, path: nameIsList ? [...at.path, i] : at.path }),
  );
  return { resources: names, firewalls };
}

function resolveOne(name: string, context: FirewallContext, at: DeclaredAt): CloudFirewall {
  const where = formatPath(at.path);
  const candidates = context.facts.filter(
    (f) =>
      at.stack === undefined || f.firewall.source.stack === undefined || f.firewall.source.stack === at.stack,
  );
  const byId =
    !ADDRESS.test(name) && !name.includes("${") ? candidates.filter((f) => f.ids.includes(name)) : [];
  const address = byId.length === 1 ? byId[0]!.firewall.address : addressOf(name, at, where);
  const type = typeOfAddress(address);
  if (type === undefined || !CLOUD_FIREWALL_TYPES.has(type))
    throw new InputError(
      at.file,
      where,
      `a cloud firewall resource (${[...CLOUD_FIREWALL_TYPES].join(", ")})`,
      `${address} is ${type === undefined ? "not a resource address" : `a ${type}`}`,
    );
  const matches = candidates.filter((f) => refMatches(address, f.firewall.address));
  if (matches.length === 1) return withAttachedRules(matches[0]!, context, at);
  const source = { file: at.file, address };
  if (matches.length > 1 && matches.every((m) => m.attachTo !== undefined))
    // Instances of one rule resource (`for_each` over CIDRs) named together: all their rules.
    return rulesTogether(address, matches, context);
  if (matches.length > 1) {
    context.used.add(address);
    const instances = matches.map((m) => m.firewall.address);
    return undecidedFirewall(address, type, source, [
      `${address}: ${instances.length} instances (${instances.slice(0, 3).join(", ")}${instances.length > 3 ? ", ..." : ""}); which of them the origin is behind is not said: name one`,
    ]);
  }
  const expansion = context.unresolved.find(
    (u) =>
      EXPANSION_ATTRIBUTES.has(u.attribute) &&
      (refMatches(u.address, address) || address.startsWith(`${u.address}.`)),
  );
  if (expansion) {
    context.used.add(address);
    return undecidedFirewall(address, type, source, [
      `${expansion.address}.${expansion.attribute}: ${expansion.why}`,
    ]);
  }
  const sameType = candidates.filter((f) => f.firewall.type === type).map((f) => f.firewall.address);
  throw new InputError(
    at.file,
    where,
    `a cloud firewall this configuration declares${sameType.length > 0 ? ` (${sameType.slice(0, 5).join(", ")})` : ""}`,
    `${address} is not declared`,
  );
}

/** The resource address a declared name stands for: an address, or a Terraform reference to one. */
function addressOf(name: string, at: DeclaredAt, where: string): string {
  const unknown = at.unknowns.get(name);
  if (unknown) {
    const references = [...new Set(unknown.references.map(withoutStack))];
    if (references.length === 1) return references[0]!;
    throw new InputError(
      at.file,
      where,
      'the address of one cloud firewall resource as a string ("aws_security_group.web"), or a reference to one',
      references.length === 0
        ? `${name} is known only after apply and names no resource here`
        : `${name} refers to ${references.join(", ")}`,
    );
  }
  const text = name.replace(/^\$\{([\s\S]*)\}$/, "$1").trim();
  const m = ADDRESS.exec(text);
  if (!m)
    throw new InputError(
      at.file,
      where,
      'the address of a cloud firewall resource, such as "aws_security_group.web"',
      JSON.stringify(name),
    );
  return m[1]!;
}

function withoutStack(reference: string): string {
  const split = reference.indexOf("::");
  return split >= 0 ? reference.slice(split + 2) : reference;
}

/** A firewall whose rules are not known at all: every port it covers is undecided. */
function undecidedFirewall(
  address: string,
  type: string,
  source: CloudFirewall["source"],
  undecided: string[],
): CloudFirewall {
  return { address, type, model: modelOf(type), unit: unitOf(type, address), rules: [], undecided, source };
}

function rulesTogether(
  address: string,
  matches: readonly CloudFirewallFact[],
  context: FirewallContext,
): CloudFirewall {
  for (const m of matches) {
    const problem = m.problems[0];
    if (problem) throw new InputError(m.firewall.source.file, problem.path, problem.expected, problem.got);
    context.used.add(m.firewall.address);
  }
  return { ...matches[0]!.firewall, address, rules: matches.flatMap((m) => m.firewall.rules) };
}

/** The firewall with the rules other resources add to it; its problems are bad input now. */
function withAttachedRules(
  group: CloudFirewallFact,
  context: FirewallContext,
  at: DeclaredAt,
): CloudFirewall {
  const { firewall } = group;
  const attached = context.facts.filter(
    (f) =>
      f !== group &&
      f.attachTo !== undefined &&
      f.attachTo.groupTypes.includes(firewall.type) &&
      (f.attachTo.addresses.some((a) => refMatches(a, firewall.address)) ||
        (f.attachTo.literal !== undefined && group.ids.includes(f.attachTo.literal))) &&
      (at.stack === undefined ||
        f.firewall.source.stack === undefined ||
        f.firewall.source.stack === at.stack),
  );
  for (const f of [group, ...attached]) {
    const problem = f.problems[0];
    if (problem) throw new InputError(f.firewall.source.file, problem.path, problem.expected, problem.got);
    context.used.add(f.firewall.address);
    for (const attribute of f.understood) context.understood.add(`${f.firewall.address}\u0000${attribute}`);
  }
  // Rule resources of a kind that could add to this firewall but whose instances are not known.
  const ruleTypes = Object.entries(CLOUD_FIREWALL_RULE_TYPES)
    .filter(([, groups]) => groups.includes(firewall.type))
    .map(([ruleType]) => ruleType);
  const unexpanded = context.unresolved.filter(
    (u) =>
      (u.attribute === "count" || u.attribute === "for_each") &&
      ruleTypes.includes(typeOfAddress(u.address) ?? "") &&
      // A `for_each` read as a template (one rule per Cloudflare range) is attached above, or not ours.
      !context.facts.some((f) => f.firewall.address === u.address),
  );
  for (const u of unexpanded) context.used.add(u.address);
  const undecided = [
    ...(firewall.undecided ?? []),
    ...unexpanded.map(
      (u) =>
        `${u.address}.${u.attribute}: ${u.why}; the rules it would add to ${firewall.address} (if it is the group it names) are not known`,
    ),
  ];
  const rules: CloudFirewallRule[] = [...firewall.rules, ...attached.flatMap((f) => f.firewall.rules)];
  return {
    ...firewall,
    rules,
    ...(undecided.length > 0 ? { undecided } : {}),
    ...(firewall.assumptions || attached.some((f) => f.firewall.assumptions)
      ? {
          assumptions: [
            ...(firewall.assumptions ?? []),
            ...attached.flatMap((f) => f.firewall.assumptions ?? []),
          ],
        }
      : {}),
  };
}

/**
 * What the readers could not evaluate about cloud firewalls no allowlist uses is none of the
 * report's business (a database's security group): it is left out of `inputs.unresolved`.
 */
export function withoutUnusedFirewalls(
  unresolved: readonly UnresolvedInput[],
  { used, understood }: Pick<FirewallContext, "used" | "understood">,
): UnresolvedInput[] {
  return unresolved.filter((u) => {
    const type = typeOfAddress(u.address);
    if (type === undefined || !CLOUD_FIREWALL_TYPES.has(type)) return true;
    if (understood.has(`${u.address}\u0000${u.attribute}`)) return false;
    for (const address of used)
      if (refMatches(u.address, address) || refMatches(address, u.address)) return true;
    return false;
  });
}

/** The inputs summary of one origin's cloud firewall. */
export function firewallSummary(
  zone: string | null,
  origin: string,
  firewall: OriginCloudFirewall,
): InputFirewallSummary {
  const undecided = new Set<string>();
  for (const f of firewall.firewalls) {
    for (const cause of f.undecided ?? []) undecided.add(cause);
    for (const rule of f.rules) for (const cause of ruleCauses(rule)) undecided.add(cause);
  }
  return {
    zone,
    origin,
    resources: firewall.firewalls.map((f) => f.address),
    rules: firewall.firewalls.reduce((n, f) => n + f.rules.length, 0),
    undecided: [...undecided],
  };
}
