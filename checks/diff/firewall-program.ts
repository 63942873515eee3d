import { EVERYONE, type IpFamily, intersect, subtract, union } from "./cidr-set.js";
import { DEFAULT_FIREWALL_PORTS, type EnforcedFirewall } from "./enforced-firewall.js";

/**
 * The common model both firewall parsers (nftables JSON, iptables-save text) translate into, and
 * its evaluation for new inbound TCP connections. A rule is a list of conditions and a verdict; a
 * chain is a list of rules, a base chain also has a policy. Evaluation follows one port and one
 * address family at a time and carries sets of source addresses (merged CIDRs) through the rules,
 * so it is exact for the matches it models, whatever the order of accepts, drops and jumps.
 */

export type Condition =
  /** Source address in (or, negated, outside) the given CIDRs of one family. */
  | {
      readonly kind: "source";
      readonly family: IpFamily;
      readonly cidrs: readonly string[];
      readonly negate: boolean;
    }
  /** TCP destination port in (or, negated, outside) inclusive ranges. */
  | {
      readonly kind: "port";
      readonly ranges: readonly (readonly [number, number])[];
      readonly negate: boolean;
    }
  /** The layer-4 protocol: `tcp` false means the rule matches only other protocols. */
  | { readonly kind: "protocol"; readonly tcp: boolean }
  /** Only this address family. */
  | { readonly kind: "family"; readonly family: IpFamily }
  /** Never matches a new inbound connection from outside (established/related, loopback). */
  | { readonly kind: "never" }
  /** Not modelled; treated as matching, and noted. */
  | { readonly kind: "unknown"; readonly note: string }
  /** A source set the export does not contain (an ipset); treated as matching nothing, and noted. */
  | { readonly kind: "unknown-source"; readonly note: string };

export type Verdict =
  | { readonly kind: "accept" | "drop" | "reject" | "return" | "none" }
  | { readonly kind: "jump" | "goto"; readonly target: string };

export interface ProgramRule {
  /** Where the rule is in the export, for notes ("nftables[12]", "line 14"). */
  readonly where: string;
  readonly conditions: readonly Condition[];
  readonly verdict: Verdict;
}

export interface ProgramChain {
  /** Chains jump to chains of the same table. */
  readonly table: string;
  readonly name: string;
  /** The address families the chain sees (inet tables see both). */
  readonly families: readonly IpFamily[];
  /** Set for chains hooked where inbound traffic passes (input, prerouting filter). */
  readonly policy?: "accept" | "drop";
  readonly rules: ProgramRule[];
}

export interface FirewallProgram {
  readonly chains: readonly ProgramChain[];
  /** Notes the parser made while reading (things it skipped). */
  readonly notes: readonly string[];
}

export interface EvaluateOptions {
  /** The origin's TCP ports; default 80 and 443. Ports named by accept rules are evaluated too. */
  readonly ports?: readonly number[];
}

const FAMILIES: readonly IpFamily[] = [4, 6];
const MAX_JUMP_DEPTH = 32;

/** Evaluate a program into the common shape. Pure. */
export function evaluateProgram(program: FirewallProgram, options: EvaluateOptions = {}): EnforcedFirewall {
  const unknowns = new Set<string>(program.notes);
  const chainsByKey = new Map(program.chains.map((chain) => [chainKey(chain.table, chain.name), chain]));
  const ports = portsOfInterest(program, options.ports ?? DEFAULT_FIREWALL_PORTS);
  const admitted = [...ports, "any" as const].map((port) => {
    const cidrs: string[] = [];
    for (const family of FAMILIES) {
      cidrs.push(...admittedFor(program, chainsByKey, family, port, unknowns));
    }
    return { port, cidrs };
  });
  const dropsEverywhere = FAMILIES.every((family) =>
    program.chains.some((chain) => chain.policy === "drop" && chain.families.includes(family)),
  );
  return { admitted, defaultPolicy: dropsEverywhere ? "drop" : "accept", unknowns: [...unknowns] };
}

function chainKey(table: string, name: string): string {
  return `${table}\u0000${name}`;
}

function portsOfInterest(program: FirewallProgram, wanted: readonly number[]): number[] {
  const ports = new Set(wanted);
  for (const chain of program.chains) {
    for (const rule of chain.rules) {
      if (rule.verdict.kind !== "accept") continue;
      for (const condition of rule.conditions) {
        if (condition.kind !== "port" || condition.negate) continue;
        for (const [low, high] of condition.ranges) if (low === high) ports.add(low);
      }
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/** A packet must pass every base chain that sees it: the intersection of what each admits. */
function admittedFor(
  program: FirewallProgram,
  chainsByKey: ReadonlyMap<string, ProgramChain>,
  family: IpFamily,
  port: number | "any",
  unknowns: Set<string>,
): string[] {
  let admitted: string[] = [EVERYONE[family]];
  for (const chain of program.chains) {
    if (chain.policy === undefined || !chain.families.includes(family)) continue;
    const result = evaluateChain(chain, { chainsByKey, family, port, unknowns }, [EVERYONE[family]], 0);
    const passed = chain.policy === "accept" ? union(result.accepted, result.returned) : result.accepted;
    admitted = intersect(admitted, passed);
  }
  return admitted;
}

interface Walk {
  readonly chainsByKey: ReadonlyMap<string, ProgramChain>;
  readonly family: IpFamily;
  readonly port: number | "any";
  readonly unknowns: Set<string>;
}

interface ChainResult {
  readonly accepted: string[];
  /** Sources that fall off the end of the chain or hit `return`. */
  readonly returned: string[];
}

function evaluateChain(chain: ProgramChain, walk: Walk, input: string[], depth: number): ChainResult {
  let undecided = input;
  let accepted: string[] = [];
  let returned: string[] = [];
  for (const rule of chain.rules) {
    if (undecided.length === 0) break;
    const matched = applyConditions(rule, walk, undecided);
    if (matched.length === 0) continue;
    const verdict = rule.verdict;
    switch (verdict.kind) {
      case "none":
        break;
      case "accept":
        accepted = union(accepted, matched);
        undecided = subtract(undecided, matched);
        break;
      case "drop":
      case "reject":
        undecided = subtract(undecided, matched);
        break;
      case "return":
        returned = union(returned, matched);
        undecided = subtract(undecided, matched);
        break;
      case "jump":
      case "goto": {
        const target = walk.chainsByKey.get(chainKey(chain.table, verdict.target));
        if (target === undefined || depth >= MAX_JUMP_DEPTH) {
          walk.unknowns.add(
            `${rule.where}: ${verdict.kind} to ${target === undefined ? "unknown chain" : "chain nested too deep"} ${verdict.target}; treated as falling through`,
          );
          break;
        }
        const inner = evaluateChain(target, walk, matched, depth + 1);
        accepted = union(accepted, inner.accepted);
        undecided = subtract(undecided, matched);
        if (verdict.kind === "jump") undecided = union(undecided, inner.returned);
        else returned = union(returned, inner.returned);
        break;
      }
    }
  }
  return { accepted, returned: union(returned, undecided) };
}

function applyConditions(rule: ProgramRule, walk: Walk, input: string[]): string[] {
  let matched = input;
  for (const condition of rule.conditions) {
    if (matched.length === 0) return matched;
    switch (condition.kind) {
      case "source":
        if (condition.family !== walk.family) {
          // An `ip saddr` match never matches IPv6 traffic (and the reverse), negated or not.
          return [];
        }
        matched = condition.negate ? subtract(matched, condition.cidrs) : intersect(matched, condition.cidrs);
        break;
      case "port":
        if (!portMatches(condition, walk.port)) return [];
        break;
      case "protocol":
        if (!condition.tcp) return [];
        break;
      case "family":
        if (condition.family !== walk.family) return [];
        break;
      case "never":
        return [];
      case "unknown":
        walk.unknowns.add(`${rule.where}: ${condition.note}; treated as matching`);
        break;
      case "unknown-source":
        walk.unknowns.add(`${rule.where}: ${condition.note}; treated as matching no source`);
        return [];
    }
  }
  return matched;
}

/** For `'any'` (a port no rule names) only negated port matches match. */
function portMatches(condition: Extract<Condition, { kind: "port" }>, port: number | "any"): boolean {
  const inside = port !== "any" && condition.ranges.some(([low, high]) => port >= low && port <= high);
  return condition.negate ? !inside : inside;
}
