import { EVERYONE, type IpFamily, intersect, subtract, union } from "./cidr-set.js";
import { DEFAULT_FIREWALL_PORTS, type EnforcedFirewall } from "./enforced-firewall.js";

/**
 * The common model both firewall parsers (nftables JSON, iptables-save text) translate into, and
 * its evaluation for the first packet (the SYN) of a new inbound TCP connection from Cloudflare. A
 * rule is a list of conditions and a verdict; a chain is a list of rules, a base chain also has a
 * policy. Evaluation follows one port and one address family at a time and carries sets of source
 * addresses (merged CIDRs) through the rules, so it is exact for the matches it models, whatever
 * the order of accepts, drops and jumps.
 *
 * What it cannot model is never guessed. An `unknown` condition may or may not match, an `unknown`
 * verdict may accept, drop or go on: the evaluation carries, for every source, each outcome that is
 * possible, so a port's sources come out as certainly admitted, certainly not, or uncertain, and
 * the uncertain ones name the rules that made them so.
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
      readonly ranges: readonly PortRange[];
      readonly negate: boolean;
    }
  /** (source, destination port) pairs of one family, from a concatenated set (`ip saddr . tcp dport @set`). */
  | {
      readonly kind: "source-port";
      readonly family: IpFamily;
      readonly pairs: readonly { readonly cidrs: readonly string[]; readonly ports: readonly PortRange[] }[];
      readonly negate: boolean;
    }
  /** The layer-4 protocol: `tcp` false means the rule matches only other protocols. */
  | { readonly kind: "protocol"; readonly tcp: boolean }
  /** Only this address family. */
  | { readonly kind: "family"; readonly family: IpFamily }
  /** Never matches a new inbound connection from Cloudflare (established/related, loopback, not a SYN). */
  | { readonly kind: "never" }
  /** Not modelled: may or may not match. `note` says what it is. */
  | { readonly kind: "unknown"; readonly note: string };

export type PortRange = readonly [number, number];

export type Verdict =
  | { readonly kind: "accept" | "drop" | "reject" | "return" | "none" }
  | { readonly kind: "jump" | "goto"; readonly target: string }
  /** Not modelled (DNAT, a queue to user space, an unknown target): may accept, drop or go on. */
  | { readonly kind: "unknown"; readonly note: string };

export interface ProgramRule {
  /** Where the rule is in the export, for notes ("nftables[12] (inet filter input handle 7)", "line 14 (...)"). */
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
  /** Set for chains hooked where inbound traffic passes (input, prerouting, ingress). */
  readonly policy?: "accept" | "drop";
  readonly rules: ProgramRule[];
}

export interface FirewallProgram {
  readonly chains: readonly ProgramChain[];
}

export interface EvaluateOptions {
  /** The origin's TCP ports; default 80 and 443. Ports named by accept rules are evaluated too. */
  readonly ports?: readonly number[];
}

const FAMILIES: readonly IpFamily[] = [4, 6];
const MAX_JUMP_DEPTH = 32;

/** A rule the evaluation could not decide, and the sources (of one family) it left in doubt. */
interface Cause {
  readonly text: string;
  readonly cidrs: readonly string[];
}

/** Evaluate a program into the common shape. Pure. */
export function evaluateProgram(program: FirewallProgram, options: EvaluateOptions = {}): EnforcedFirewall {
  const chainsByKey = new Map(program.chains.map((chain) => [chainKey(chain.table, chain.name), chain]));
  const ports = portsOfInterest(program, options.ports ?? DEFAULT_FIREWALL_PORTS);
  const unknowns = new Set<string>();
  const admitted = [...ports, "any" as const].map((port) => {
    const cidrs: string[] = [];
    const uncertain: string[] = [];
    const causes = new Set<string>();
    for (const family of FAMILIES) {
      const found: Cause[] = [];
      const result = admittedFor(program, chainsByKey, family, port, found);
      cidrs.push(...result.certain);
      uncertain.push(...result.uncertain);
      for (const cause of found) {
        unknowns.add(cause.text);
        if (result.uncertain.length > 0 && intersect(cause.cidrs, result.uncertain).length > 0) {
          causes.add(cause.text);
        }
      }
    }
    return { port, cidrs, uncertain, causes: [...causes] };
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
  const add = (ranges: readonly PortRange[]) => {
    for (const [low, high] of ranges) if (low === high) ports.add(low);
  };
  for (const chain of program.chains) {
    for (const rule of chain.rules) {
      if (rule.verdict.kind !== "accept") continue;
      for (const condition of rule.conditions) {
        if ("negate" in condition && condition.negate) continue;
        if (condition.kind === "port") add(condition.ranges);
        if (condition.kind === "source-port") for (const pair of condition.pairs) add(pair.ports);
      }
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/**
 * A packet must pass every base chain that sees it. Certainly admitted: certain to pass each one;
 * possibly admitted: possibly passing each one. The rest of the possible ones are uncertain.
 */
function admittedFor(
  program: FirewallProgram,
  chainsByKey: ReadonlyMap<string, ProgramChain>,
  family: IpFamily,
  port: number | "any",
  causes: Cause[],
): { certain: string[]; uncertain: string[] } {
  let certain: string[] = [EVERYONE[family]];
  let possible: string[] = [EVERYONE[family]];
  for (const chain of program.chains) {
    if (chain.policy === undefined || !chain.families.includes(family)) continue;
    const walk: Walk = { chainsByKey, family, port, causes };
    const outcome = evaluateChain(chain, walk, [EVERYONE[family]], 0);
    const passes = chain.policy === "accept" ? union(outcome.accept, outcome.returned) : outcome.accept;
    const blocks = chain.policy === "drop" ? union(outcome.drop, outcome.returned) : outcome.drop;
    possible = intersect(possible, passes);
    certain = intersect(certain, subtract(passes, blocks));
  }
  return { certain, uncertain: subtract(possible, certain) };
}

interface Walk {
  readonly chainsByKey: ReadonlyMap<string, ProgramChain>;
  readonly family: IpFamily;
  readonly port: number | "any";
  readonly causes: Cause[];
}

/** For each outcome, the sources for which it is possible (a source may be in several). */
interface Outcome {
  readonly accept: string[];
  readonly drop: string[];
  /** Sources that may fall off the end of the chain or hit `return`. */
  readonly returned: string[];
}

function evaluateChain(chain: ProgramChain, walk: Walk, input: string[], depth: number): Outcome {
  // Sources that may still be undecided at this point of the chain.
  let undecided = input;
  let accept: string[] = [];
  let drop: string[] = [];
  let returned: string[] = [];
  for (const rule of chain.rules) {
    if (undecided.length === 0) break;
    const { sure, maybe, doubts } = applyConditions(rule, walk, undecided);
    if (maybe.length === 0) continue;
    const verdict = resolveJump(rule, chain, walk, depth);
    if (doubts.length > 0 && verdict.kind !== "none") {
      walk.causes.push({ text: `${rule.where}: ${doubts.join(", ")}`, cidrs: subtract(maybe, sure) });
    }
    switch (verdict.kind) {
      case "none":
        break;
      case "accept":
        accept = union(accept, maybe);
        undecided = subtract(undecided, sure);
        break;
      case "drop":
      case "reject":
        drop = union(drop, maybe);
        undecided = subtract(undecided, sure);
        break;
      case "return":
        returned = union(returned, maybe);
        undecided = subtract(undecided, sure);
        break;
      case "unknown":
        // Accepted, dropped, or on to the next rule: every outcome stays possible.
        walk.causes.push({ text: `${rule.where}: ${verdict.note}`, cidrs: maybe });
        accept = union(accept, maybe);
        drop = union(drop, maybe);
        break;
      case "jump":
      case "goto": {
        const target = walk.chainsByKey.get(chainKey(chain.table, verdict.target))!;
        const inner = evaluateChain(target, walk, maybe, depth + 1);
        accept = union(accept, inner.accept);
        drop = union(drop, inner.drop);
        undecided = subtract(undecided, sure);
        if (verdict.kind === "jump") undecided = union(undecided, inner.returned);
        else returned = union(returned, inner.returned);
        break;
      }
    }
  }
  return { accept, drop, returned: union(returned, undecided) };
}

/** A jump to a chain the export does not hold (or nested too deep) cannot be followed: unknown. */
function resolveJump(rule: ProgramRule, chain: ProgramChain, walk: Walk, depth: number): Verdict {
  const verdict = rule.verdict;
  if (verdict.kind !== "jump" && verdict.kind !== "goto") return verdict;
  if (depth >= MAX_JUMP_DEPTH) {
    return { kind: "unknown", note: `${verdict.kind} to ${verdict.target} nested too deep` };
  }
  if (!walk.chainsByKey.has(chainKey(chain.table, verdict.target))) {
    return {
      kind: "unknown",
      note: `${verdict.kind} to ${verdict.target}, which is not a chain in the export (an extension target the checker does not model)`,
    };
  }
  return verdict;
}

/**
 * The sources (within `input`) that certainly match every condition (`sure`) and those that may
 * (`maybe`, a superset), and what made them differ. An unknown condition keeps `maybe` and empties
 * `sure`.
 */
function applyConditions(
  rule: ProgramRule,
  walk: Walk,
  input: string[],
): { sure: string[]; maybe: string[]; doubts: string[] } {
  let sure = input;
  let maybe = input;
  const doubts: string[] = [];
  const none = { sure: [], maybe: [], doubts: [] };
  for (const condition of rule.conditions) {
    switch (condition.kind) {
      case "source": {
        // An `ip saddr` match never matches IPv6 traffic (and the reverse), negated or not.
        if (condition.family !== walk.family) return none;
        [sure, maybe] = narrow(sure, maybe, condition.cidrs, condition.negate);
        break;
      }
      case "source-port": {
        if (condition.family !== walk.family) return none;
        const cidrs = condition.pairs
          .filter((pair) => walk.port !== "any" && inRanges(walk.port, pair.ports))
          .flatMap((pair) => pair.cidrs);
        [sure, maybe] = narrow(sure, maybe, cidrs, condition.negate);
        break;
      }
      case "port":
        if (!portMatches(condition, walk.port)) return none;
        break;
      case "protocol":
        if (!condition.tcp) return none;
        break;
      case "family":
        if (condition.family !== walk.family) return none;
        break;
      case "never":
        return none;
      case "unknown":
        doubts.push(condition.note);
        sure = [];
        break;
    }
    if (maybe.length === 0) return none;
  }
  return { sure, maybe, doubts };
}

/** Both bounds narrowed by a source match; computed once while they are the same set (no doubt yet). */
function narrow(
  sure: string[],
  maybe: string[],
  cidrs: readonly string[],
  negate: boolean,
): [string[], string[]] {
  const keep = (set: string[]) => (negate ? subtract(set, cidrs) : intersect(set, cidrs));
  if (sure === maybe) {
    const both = keep(maybe);
    return [both, both];
  }
  return [keep(sure), keep(maybe)];
}

function inRanges(port: number, ranges: readonly PortRange[]): boolean {
  return ranges.some(([low, high]) => port >= low && port <= high);
}

/** For `'any'` (a port no rule names) only negated port matches match. */
function portMatches(condition: Extract<Condition, { kind: "port" }>, port: number | "any"): boolean {
  const inside = port !== "any" && inRanges(port, condition.ranges);
  return condition.negate ? !inside : inside;
}
