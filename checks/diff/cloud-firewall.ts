import {
  type CloudFirewall,
  type CloudFirewallRule,
  type IpFamily,
  isUndecided,
  type OriginCloudFirewall,
  type RuleModel,
  ruleCauses,
} from "../model/cloud-firewall.js";
import type { Origin } from "../model/origin.js";
import type { CloudflareRanges } from "../model/zone.js";
import { byFamily, EVERYONE, intersect, subtract, union } from "./cidr-set.js";
import {
  type AdmittedSources,
  admittedOn,
  DEFAULT_FIREWALL_PORTS,
  type EnforcedFirewall,
  uncertainOn,
} from "./enforced-firewall.js";

/**
 * What an origin's cloud firewall (as the configuration declares it) admits on each of its TCP
 * ports, in the `EnforcedFirewall` shape the nft and iptables exports produce, so that it is
 * compared with the declared allowlist exactly as they are. Pure.
 *
 * Every address of a port starts undecided by the rules ("open"); rules are taken in the
 * provider's order, each certainly or possibly matching some sources; a source a rule certainly
 * matches while open gets that rule's action, one it possibly matches gets it as one more possible
 * outcome. What no rule matched is dropped (every provider here denies by default). A source is
 * admitted when every possible outcome admits it, uncertain when some do, and the rules that made
 * it so are its causes. Firewalls of one unit are evaluated together; a connection must pass every
 * unit.
 */

type Sets = Record<IpFamily, string[]>;

const FAMILIES: readonly IpFamily[] = [4, 6];
const OPEN = 1;
const ALLOW = 2;
const DENY = 4;

function empty(): Sets {
  return { 4: [], 6: [] };
}

function everyone(): Sets {
  return { 4: [EVERYONE[4]], 6: [EVERYONE[6]] };
}

function mapSets(a: Sets, b: Sets, op: (x: readonly string[], y: readonly string[]) => string[]): Sets {
  return { 4: op(a[4], b[4]), 6: op(a[6], b[6]) };
}

function isEmpty(s: Sets): boolean {
  return s[4].length === 0 && s[6].length === 0;
}

/** How one rule meets one port: the sources it certainly matches, those it may match, and why "may". */
interface RuleOnPort {
  readonly action: number;
  readonly certain: Sets;
  readonly maybe: Sets;
  readonly causes: readonly string[];
}

/** Sources of a rule as sets, Cloudflare's resolved to the run's ranges; undecided ones are everyone. */
function sourcesOf(rule: CloudFirewallRule, ranges: CloudflareRanges): { known: Sets; undecided: string[] } {
  const cidrs: string[] = [];
  const undecided: string[] = [];
  for (const source of rule.sources) {
    if (source.kind === "cidrs") cidrs.push(...source.cidrs);
    else if (source.kind === "cloudflare") {
      if (source.families.includes(4)) cidrs.push(...ranges.ipv4);
      if (source.families.includes(6)) cidrs.push(...ranges.ipv6);
    } else undecided.push(source.cause);
  }
  return { known: byFamily(cidrs), undecided };
}

function portMatch(rule: CloudFirewallRule, port: number): "yes" | "no" | string {
  if (isUndecided(rule.protocol)) return rule.protocol.undecided;
  if (rule.protocol === "other") return "no";
  if (rule.ports === "all") return "yes";
  if (isUndecided(rule.ports)) return rule.ports.undecided;
  return rule.ports.some(([low, high]) => port >= low && port <= high) ? "yes" : "no";
}

function onPort(rule: CloudFirewallRule, port: number, ranges: CloudflareRanges): RuleOnPort | undefined {
  const match = portMatch(rule, port);
  if (match === "no") return undefined;
  const conditions: string[] = [];
  if (match !== "yes") conditions.push(match);
  if (rule.applies) conditions.push(rule.applies.undecided);
  if (isUndecided(rule.priority)) conditions.push(rule.priority.undecided);
  const action = isUndecided(rule.action) ? ALLOW | DENY : rule.action === "allow" ? ALLOW : DENY;
  const actionCauses = isUndecided(rule.action) ? [rule.action.undecided] : [];
  const { known, undecided } = sourcesOf(rule, ranges);
  if (conditions.length > 0) {
    // The rule may not match at all: every source it names is only a possibility.
    return {
      action,
      certain: empty(),
      maybe: undecided.length > 0 ? everyone() : known,
      causes: [...conditions, ...undecided, ...actionCauses],
    };
  }
  return {
    action,
    certain: known,
    maybe: undecided.length > 0 ? mapSets(everyone(), known, subtract) : empty(),
    causes: [...undecided, ...actionCauses],
  };
}

/** Rules in the order the provider applies them; undecided priorities first, as possibilities. */
function ordered(rules: readonly CloudFirewallRule[], model: RuleModel): CloudFirewallRule[] {
  if (model === "allow-only") return [...rules];
  const rank = (r: CloudFirewallRule): number =>
    typeof r.priority === "number" ? r.priority : Number.NEGATIVE_INFINITY;
  return [...rules].sort((a, b) => {
    const byPriority = rank(a) - rank(b);
    if (byPriority !== 0) return byPriority;
    const deny = (r: CloudFirewallRule): number => (r.action === "deny" ? 0 : 1);
    return deny(a) - deny(b);
  });
}

/** What one unit's rules make of one port: admitted, possibly admitted, and the causes of doubt. */
interface PortVerdict {
  readonly admitted: Sets;
  readonly possible: Sets;
  readonly causes: readonly string[];
}

function evaluateUnit(
  firewalls: readonly CloudFirewall[],
  port: number,
  ranges: CloudflareRanges,
): PortVerdict {
  const model = firewalls[0]!.model;
  const rules = ordered(
    firewalls.flatMap((f) => f.rules),
    model,
  );
  // A firewall nothing is known about stands for a rule that may match anyone, with any outcome.
  const wholes: CloudFirewallRule[] = firewalls.flatMap((f) =>
    (f.undecided ?? []).map((cause) => ({
      where: f.address,
      action: model === "allow-only" ? ("allow" as const) : { undecided: cause },
      protocol: { undecided: cause },
      ports: { undecided: cause },
      sources: [{ kind: "undecided" as const, cause }],
    })),
  );
  // Outcome sets (OPEN | ALLOW | DENY bits) → sources with those possible outcomes.
  let regions = new Map<number, Sets>([[OPEN, everyone()]]);
  const doubts: { maybe: Sets; causes: readonly string[] }[] = [];
  for (const rule of [...wholes, ...rules]) {
    const meets = onPort(rule, port, ranges);
    if (!meets) continue;
    const next = new Map<number, Sets>();
    const add = (mask: number, sets: Sets): void => {
      if (isEmpty(sets)) return;
      const existing = next.get(mask);
      next.set(mask, existing ? mapSets(existing, sets, union) : sets);
    };
    let touched = empty();
    for (const [mask, sets] of regions) {
      if ((mask & OPEN) === 0) {
        add(mask, sets);
        continue;
      }
      const certain = mapSets(sets, meets.certain, intersect);
      const rest = mapSets(sets, meets.certain, subtract);
      const maybe = mapSets(rest, meets.maybe, intersect);
      const untouched = mapSets(rest, meets.maybe, subtract);
      add((mask & ~OPEN) | meets.action, certain);
      add(mask | meets.action, maybe);
      add(mask, untouched);
      touched = mapSets(touched, maybe, union);
      // An action that is not known leaves even the sources the rule certainly matches in doubt.
      if (meets.action === (ALLOW | DENY)) touched = mapSets(touched, certain, union);
    }
    regions = next;
    if (!isEmpty(touched) && meets.causes.length > 0) doubts.push({ maybe: touched, causes: meets.causes });
  }
  // What no rule matched is dropped.
  let admitted = empty();
  let possible = empty();
  for (const [mask, sets] of regions) {
    const final = mask & OPEN ? (mask & ~OPEN) | DENY : mask;
    if (final & ALLOW) possible = mapSets(possible, sets, union);
    if (final === ALLOW) admitted = mapSets(admitted, sets, union);
  }
  const uncertain = mapSets(possible, admitted, subtract);
  const causes = doubts
    .filter((d) => !isEmpty(mapSets(d.maybe, uncertain, intersect)))
    .flatMap((d) => d.causes);
  return { admitted, possible, causes: [...new Set(causes)] };
}

/** A connection must pass every unit: admitted where all admit, possible where all may. */
function intersectVerdicts(verdicts: readonly PortVerdict[]): PortVerdict {
  let admitted = everyone();
  let possible = everyone();
  for (const v of verdicts) {
    admitted = mapSets(admitted, v.admitted, intersect);
    possible = mapSets(possible, v.possible, intersect);
  }
  const uncertain = mapSets(possible, admitted, subtract);
  const causes = isEmpty(uncertain)
    ? []
    : verdicts
        .filter((v) => !isEmpty(mapSets(mapSets(v.possible, v.admitted, subtract), uncertain, intersect)))
        .flatMap((v) => v.causes);
  return { admitted, possible, causes: [...new Set(causes)] };
}

function entry(port: number, verdict: PortVerdict): AdmittedSources {
  const uncertain = mapSets(verdict.possible, verdict.admitted, subtract);
  return {
    port,
    cidrs: FAMILIES.flatMap((f) => verdict.admitted[f]),
    uncertain: FAMILIES.flatMap((f) => uncertain[f]),
    causes: FAMILIES.some((f) => uncertain[f].length > 0) ? [...verdict.causes] : [],
  };
}

/**
 * The cloud firewall an origin's allowlist names, evaluated on the origin's TCP ports against the
 * run's Cloudflare ranges (live `/ips`, or the bundled snapshot).
 */
export function enforcedFromCloudFirewall(
  firewall: OriginCloudFirewall,
  ports: readonly number[],
  ranges: CloudflareRanges,
): EnforcedFirewall {
  const units = new Map<string, CloudFirewall[]>();
  for (const f of firewall.firewalls) units.set(f.unit, [...(units.get(f.unit) ?? []), f]);
  const admitted = [...new Set(ports)]
    .sort((a, b) => a - b)
    .map((port) =>
      entry(port, intersectVerdicts([...units.values()].map((u) => evaluateUnit(u, port, ranges)))),
    );
  const unknowns = new Set<string>();
  for (const f of firewall.firewalls) {
    for (const cause of f.undecided ?? []) unknowns.add(cause);
    for (const rule of f.rules) for (const cause of ruleCauses(rule)) unknowns.add(cause);
  }
  return { admitted, defaultPolicy: "drop", unknowns: [...unknowns] };
}

/**
 * Two firewalls a connection passes one after the other (a cloud firewall in front of the host's
 * own nft/iptables ruleset): admitted where both admit, uncertain where both may.
 */
export function chainFirewalls(
  first: EnforcedFirewall,
  second: EnforcedFirewall,
  ports: readonly number[],
): EnforcedFirewall {
  const verdictOf = (f: EnforcedFirewall, port: number): PortVerdict => {
    const admitted = byFamily(admittedOn(f, port));
    const doubt = uncertainOn(f, port);
    return {
      admitted,
      possible: mapSets(admitted, byFamily(doubt.cidrs), union),
      causes: doubt.causes,
    };
  };
  const admitted = [...new Set(ports)]
    .sort((a, b) => a - b)
    .map((port) => entry(port, intersectVerdicts([verdictOf(first, port), verdictOf(second, port)])));
  return {
    admitted,
    defaultPolicy: first.defaultPolicy === "drop" || second.defaultPolicy === "drop" ? "drop" : "accept",
    unknowns: [...first.unknowns, ...second.unknowns],
  };
}

/**
 * The firewalls each origin is behind: its exported host ruleset (`--firewall ORIGIN=FILE`), its
 * cloud firewall from the configuration, or both one after the other.
 */
export function withCloudFirewalls(
  origins: readonly Origin[],
  ranges: CloudflareRanges,
  exported: ReadonlyMap<string, EnforcedFirewall>,
): Map<string, EnforcedFirewall> {
  const out = new Map(exported);
  for (const origin of origins) {
    if (!origin.cloudFirewall) continue;
    const ports = origin.ports.length > 0 ? origin.ports.map((p) => p.port) : [...DEFAULT_FIREWALL_PORTS];
    const cloud = enforcedFromCloudFirewall(origin.cloudFirewall, ports, ranges);
    const host = exported.get(origin.name);
    out.set(origin.name, host ? chainFirewalls(cloud, host, ports) : cloud);
  }
  return out;
}
