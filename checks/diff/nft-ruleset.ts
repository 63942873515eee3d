import { InputError } from "../errors.js";
import type { IpFamily } from "./cidr-set.js";
import type { EnforcedFirewall } from "./enforced-firewall.js";
import {
  type Condition,
  evaluateProgram,
  type FirewallProgram,
  type ProgramChain,
  type ProgramRule,
  type Verdict,
} from "./firewall-program.js";
import { TARGETS_WITHOUT_VERDICT } from "./iptables-rule.js";
import {
  type Context,
  describe,
  isObject,
  type NamedSet,
  type RuleContext,
  setKey,
  translateMatch,
} from "./nft-match.js";

/**
 * `nft -j list ruleset` (libnftables JSON schema 1) -> what the origin admits on its TCP ports.
 *
 * Base chains on the inbound hooks are read with their policy and rules: filter chains on input
 * and prerouting and nat chains on prerouting and input (ip, ip6, inet), and ingress chains (netdev,
 * inet) and bridge chains, whose device the checker cannot tie to Cloudflare's traffic. Rules
 * decide exactly on `tcp`/`th` dport, `ip saddr` / `ip6 saddr` (addresses, prefixes, ranges,
 * anonymous and named sets, `saddr . dport` concatenations), `meta l4proto` / `nfproto` /
 * `protocol` / `pkttype`, `ip protocol`, `ct state` / `direction`, `tcp flags`, the loopback
 * interface, verdict maps (inline or named), and the verdicts accept, drop, reject, jump, goto and
 * return. Anything else (an `xt` expression left by iptables-nft, whose options the JSON does not
 * carry; rate limits; other interfaces; marks; sets filled by the ruleset itself; DNAT, redirect,
 * queue) is unknown: the sources it touches are reported uncertain, never guessed.
 */
export interface FirewallParseOptions {
  /** Named in errors. */
  readonly file: string;
  /** The origin's TCP ports (default 80 and 443). */
  readonly ports?: readonly number[];
}

export function parseNftRuleset(text: string, options: FirewallParseOptions): EnforcedFirewall {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(
      options.file,
      undefined,
      "the JSON output of `nft -j list ruleset`",
      error instanceof Error ? error.message : String(error),
    );
  }
  return evaluateProgram(nftProgram(json, options.file), options.ports ? { ports: options.ports } : {});
}

/** Hooks where inbound traffic to the host passes a chain, per chain type. Checked 2026-11-30 (nft(8)). */
const INBOUND_HOOKS: Readonly<Record<string, ReadonlySet<string>>> = {
  filter: new Set(["input", "prerouting", "ingress"]),
  nat: new Set(["prerouting", "input"]),
};

const FAMILY_OF_TABLE: Readonly<Record<string, readonly IpFamily[]>> = {
  ip: [4],
  ip6: [6],
  inet: [4, 6],
  netdev: [4, 6],
  bridge: [4, 6],
};

/** Statements that neither match nor decide: the rule goes on as if they were not there. */
const NEUTRAL_STATEMENTS: ReadonlySet<string> = new Set([
  "counter",
  "log",
  "comment",
  "notrack",
  "set",
  "map",
  "ct helper",
  "ct timeout",
  "ct expectation",
  "secmark",
  "dup",
  "continue",
]);

/** Statements that pass or stop packets by state the export does not hold (rates, quotas, counts). */
const UNDECIDABLE_MATCHES: ReadonlySet<string> = new Set(["limit", "quota", "ct count", "meter"]);

/**
 * Statements that send the packet somewhere the checker does not follow (address translation,
 * user space, another device): the outcome is unknown.
 */
const REDIRECTING_STATEMENTS: ReadonlySet<string> = new Set([
  "dnat",
  "snat",
  "masquerade",
  "redirect",
  "tproxy",
  "queue",
  "fwd",
  "synproxy",
]);

/** iptables extension targets (`xt` expressions) that neither decide nor redirect. */
const NEUTRAL_XT_TARGETS = TARGETS_WITHOUT_VERDICT;

/**
 * Named in the note of every `xt` expression: iptables-nft stores matches and targets it cannot
 * translate as opaque `xt` expressions, and `nft -j` prints only their names. A report that meets
 * one can say that `iptables-save` output reads exactly.
 */
export const XT_EXPRESSION = "an xt expression, whose options nft -j does not print";

interface Item {
  readonly index: number;
  readonly value: Record<string, unknown>;
}

/** The ruleset JSON -> the common firewall model. Throws InputError on a malformed or empty export. */
export function nftProgram(json: unknown, file: string): FirewallProgram {
  if (!isObject(json) || !Array.isArray(json.nftables)) {
    throw new InputError(file, "nftables", 'an object with an "nftables" array (`nft -j list ruleset`)');
  }
  const items: Item[] = (json.nftables as unknown[]).map((value, index) => {
    if (!isObject(value)) throw new InputError(file, `nftables[${index}]`, "an object");
    return { index, value };
  });
  if (!items.some(({ value }) => isObject(value.table))) {
    throw new InputError(
      file,
      "nftables",
      "at least one table: this export holds none (was `nft -j list ruleset` run as root, on the origin, in its network namespace?)",
    );
  }
  const dynamicSets = setsFilledByRules(items);
  const sets = new Map<string, NamedSet>();
  const maps = new Map<string, NamedSet>();
  const chains = new Map<string, ChainEntry>();
  for (const { index, value } of items) {
    for (const kind of ["set", "map"] as const) {
      const set = value[kind];
      if (!isObject(set)) continue;
      const path = `nftables[${index}].${kind}`;
      const key = setKey(
        requireString(set.family, file, `${path}.family`),
        requireString(set.table, file, `${path}.table`),
        requireString(set.name, file, `${path}.name`),
      );
      const elements = set.elem === undefined ? [] : set.elem;
      if (!Array.isArray(elements)) throw new InputError(file, `${path}.elem`, "an array of elements");
      const flags = Array.isArray(set.flags) ? set.flags : [];
      (kind === "set" ? sets : maps).set(key, {
        elements,
        path,
        dynamic: flags.includes("dynamic") || dynamicSets.has(key),
      });
    }
    if (isObject(value.chain)) {
      const chain = value.chain;
      const path = `nftables[${index}].chain`;
      const family = requireString(chain.family, file, `${path}.family`);
      const table = requireString(chain.table, file, `${path}.table`);
      const name = requireString(chain.name, file, `${path}.name`);
      const families = FAMILY_OF_TABLE[family];
      if (families === undefined) continue; // arp: no IP traffic
      const type = typeof chain.type === "string" ? chain.type : "filter";
      const inbound = typeof chain.hook === "string" && (INBOUND_HOOKS[type]?.has(chain.hook) ?? false);
      let policy: "accept" | "drop" | undefined;
      if (inbound) {
        const raw = chain.policy ?? "accept";
        if (raw !== "accept" && raw !== "drop") {
          throw new InputError(file, `${path}.policy`, '"accept" or "drop"', JSON.stringify(raw));
        }
        policy = raw;
      }
      const device =
        inbound && (chain.hook === "ingress" || family === "bridge") ? deviceOf(chain) : undefined;
      chains.set(setKey(family, table, name), {
        table: `${family} ${table}`,
        name,
        families,
        ...(policy ? { policy } : {}),
        ...(device !== undefined ? { device } : {}),
        ...(typeof chain.hook === "string" ? { hook: chain.hook } : {}),
        rules: [],
      });
    }
  }
  const base: Context = { file, sets, maps };
  const untracked = items.find((item) => notrackMayTouchSyn(item, chains, base));
  const context: Context = { ...base, ...(untracked ? { untracked: ruleWhere(untracked) } : {}) };

  let ruleCount = 0;
  for (const item of items) {
    const rule = item.value.rule;
    if (!isObject(rule)) continue;
    const path = `nftables[${item.index}].rule`;
    const family = requireString(rule.family, file, `${path}.family`);
    if (FAMILY_OF_TABLE[family] === undefined) continue;
    const table = requireString(rule.table, file, `${path}.table`);
    const chainName = requireString(rule.chain, file, `${path}.chain`);
    const chain = chains.get(setKey(family, table, chainName));
    if (chain === undefined) {
      throw new InputError(file, `${path}.chain`, `a chain declared in table ${family} ${table}`, chainName);
    }
    if (!Array.isArray(rule.expr)) throw new InputError(file, `${path}.expr`, "an array of expressions");
    ruleCount++;
    const translated = translateRule(rule.expr, { ...context, family, table }, path, ruleWhere(item));
    // A chain bound to a device (ingress, bridge) sees only that device's traffic.
    const scoped =
      chain.device === undefined
        ? translated
        : translated.map((r) => ({ ...r, conditions: [deviceCondition(chain.device!), ...r.conditions] }));
    chain.rules.push(...scoped);
  }
  for (const chain of chains.values()) {
    if (chain.device === undefined || chain.policy !== "drop") continue;
    // Its drop policy applies to the device's traffic only; the chain itself then passes the rest.
    chain.rules.push({
      where: `${chain.table} ${chain.name} (policy drop)`,
      conditions: [deviceCondition(chain.device)],
      verdict: { kind: "drop" },
    });
    (chain as { policy?: "accept" | "drop" }).policy = "accept";
  }
  if (ruleCount === 0 && ![...chains.values()].some((chain) => chain.policy === "drop")) {
    throw new InputError(
      file,
      "nftables",
      "at least one rule or dropping base chain: this export has tables but filters nothing (if the origin really has no firewall, declare its allowlist as none instead of passing --firewall)",
    );
  }
  return { chains: [...chains.values()].map(({ device: _device, hook: _hook, ...chain }) => chain) };
}

function ruleWhere({ index, value }: Item): string {
  const rule = value.rule as Record<string, unknown>;
  const handle = typeof rule.handle === "number" ? ` handle ${rule.handle}` : "";
  return `nftables[${index}] (${String(rule.family)} ${String(rule.table)} ${String(rule.chain)}${handle})`;
}

function deviceOf(chain: Record<string, unknown>): string {
  const device = chain.dev ?? chain.device ?? chain.devices;
  if (typeof device === "string") return device;
  if (Array.isArray(device)) return device.map(String).join(", ");
  return "not shown in the export";
}

function deviceCondition(device: string): Condition {
  return {
    kind: "unknown",
    note: `only traffic through device ${device}, which the checker cannot tie to Cloudflare's connections`,
  };
}

/** Named sets some rule adds to or updates from traffic: their elements in the export are a moment's. */
function setsFilledByRules(items: readonly Item[]): Set<string> {
  const filled = new Set<string>();
  for (const { value } of items) {
    const rule = value.rule;
    if (!isObject(rule) || !Array.isArray(rule.expr)) continue;
    for (const statement of rule.expr) {
      if (!isObject(statement)) continue;
      const update = isObject(statement.set)
        ? statement.set
        : isObject(statement.meter)
          ? statement.meter
          : null;
      const name = update?.set ?? update?.name;
      if (typeof name === "string") {
        filled.add(setKey(String(rule.family), String(rule.table), name.replace(/^@/, "")));
      }
    }
  }
  return filled;
}

type ChainEntry = ProgramChain & { device?: string; hook?: string };

/** Hooks only outbound or forwarded traffic passes. */
const OUTBOUND_HOOKS: ReadonlySet<string> = new Set(["output", "postrouting", "forward", "egress"]);

/**
 * Whether a rule marks traffic untracked that may include Cloudflare's SYN (then `ct state` cannot
 * tell a new connection apart): not when its chain sees only outbound traffic or its own
 * conditions rule the SYN out (`udp dport 53 notrack`).
 */
function notrackMayTouchSyn(item: Item, chains: ReadonlyMap<string, ChainEntry>, context: Context): boolean {
  const rule = item.value.rule;
  if (!isObject(rule) || !hasNotrack(rule) || !Array.isArray(rule.expr)) return false;
  const family = String(rule.family);
  const table = String(rule.table);
  const chain = chains.get(setKey(family, table, String(rule.chain)));
  if (chain?.hook !== undefined && OUTBOUND_HOOKS.has(chain.hook)) return false;
  const [translated] = translateRule(rule.expr, { ...context, family, table }, "", "");
  return !(translated?.conditions ?? []).some(
    (condition) => condition.kind === "never" || (condition.kind === "protocol" && !condition.tcp),
  );
}

function hasNotrack(rule: Record<string, unknown>): boolean {
  if (!Array.isArray(rule.expr)) return false;
  return rule.expr.some(
    (statement) =>
      isObject(statement) &&
      ("notrack" in statement ||
        (isObject(statement.xt) && (statement.xt.name === "NOTRACK" || statement.xt.name === "CT"))),
  );
}

/** One nft rule -> one program rule, or several when it ends in a verdict map. */
function translateRule(expr: unknown[], context: RuleContext, path: string, where: string): ProgramRule[] {
  const conditions: Condition[] = [];
  let verdict: Verdict = { kind: "none" };
  let redirected: string | undefined;
  for (let j = 0; j < expr.length; j++) {
    const statement = expr[j];
    const at = `${path}.expr[${j}]`;
    if (!isObject(statement)) throw new InputError(context.file, at, "an expression object");
    const [key] = Object.keys(statement);
    const value = key === undefined ? undefined : statement[key];
    if (key === undefined) throw new InputError(context.file, at, "an expression object with one key", "{}");
    if (key === "match") {
      conditions.push(translateMatch(value, context, `${at}.match`));
    } else if (key === "accept" || key === "drop" || key === "return" || key === "reject") {
      verdict = { kind: key };
    } else if (key === "jump" || key === "goto") {
      verdict = {
        kind: key,
        target: requireString(
          isObject(value) ? value.target : undefined,
          context.file,
          `${at}.${key}.target`,
        ),
      };
    } else if (key === "vmap") {
      const rules = verdictMap(value, conditions, context, `${at}.vmap`, where);
      return redirected === undefined
        ? rules
        : rules.map((rule) => ({ ...rule, verdict: { kind: "unknown", note: redirected! } }));
    } else if (key === "xt") {
      const xt = isObject(value) ? value : {};
      const name = typeof xt.name === "string" ? xt.name : "?";
      if (xt.type === "target") {
        if (!NEUTRAL_XT_TARGETS.has(name)) {
          redirected = `iptables target ${name} (${XT_EXPRESSION})`;
        }
      } else if (xt.type === "match" && name === "comment") {
        // A comment never changes what matches.
      } else if (xt.type !== "watcher") {
        conditions.push({
          kind: "unknown",
          note: `iptables match ${name} (${XT_EXPRESSION})`,
        });
      }
    } else if (NEUTRAL_STATEMENTS.has(key)) {
      // Counting, logging, set updates, conntrack helpers: no effect on this packet's fate.
    } else if (key === "mangle") {
      if (!mangleIsNeutral(value)) redirected = `rewrites ${describe(isObject(value) ? value.key : value)}`;
    } else if (UNDECIDABLE_MATCHES.has(key)) {
      conditions.push({ kind: "unknown", note: `${key} (passes or stops packets by rate or count)` });
    } else if (REDIRECTING_STATEMENTS.has(key)) {
      redirected = `${key} (the packet goes where the checker does not follow)`;
    } else {
      redirected = `${key} statement, which the checker does not model`;
    }
  }
  if (redirected !== undefined) verdict = { kind: "unknown", note: redirected };
  return [{ where, conditions, verdict }];
}

/** Setting a mark or priority does not change where the packet goes; rewriting its header may. */
function mangleIsNeutral(value: unknown): boolean {
  if (!isObject(value) || !isObject(value.key)) return false;
  const target = isObject(value.key.meta)
    ? value.key.meta
    : isObject(value.key.ct)
      ? value.key.ct
      : undefined;
  return target !== undefined && ["mark", "priority", "nftrace", "secmark"].includes(String(target.key));
}

/** `tcp dport vmap { 80 : accept, 22 : drop }`: one rule per element, in order (keys are disjoint). */
function verdictMap(
  value: unknown,
  before: readonly Condition[],
  context: RuleContext,
  at: string,
  where: string,
): ProgramRule[] {
  if (!isObject(value)) throw new InputError(context.file, at, "a verdict map {key, data}");
  let elements: readonly unknown[];
  let elementsAt: string;
  if (typeof value.data === "string" && value.data.startsWith("@")) {
    const map = context.maps.get(setKey(context.family, context.table, value.data.slice(1)));
    if (map === undefined) {
      return [
        {
          where,
          conditions: [...before],
          verdict: { kind: "unknown", note: `verdict map ${value.data} is not in the export` },
        },
      ];
    }
    elements = map.elements;
    elementsAt = `${map.path}.elem`;
  } else if (isObject(value.data) && Array.isArray(value.data.set)) {
    elements = value.data.set;
    elementsAt = `${at}.data.set`;
  } else {
    return [
      {
        where,
        conditions: [...before],
        verdict: { kind: "unknown", note: `verdict map ${describe(value.data)}` },
      },
    ];
  }
  return elements.map((element: unknown, k: number) => {
    const elementAt = `${elementsAt}[${k}]`;
    if (!Array.isArray(element) || element.length !== 2 || !isObject(element[1])) {
      throw new InputError(context.file, elementAt, "a [key, verdict] pair");
    }
    const [verdictName] = Object.keys(element[1]);
    const verdictValue = verdictName === undefined ? undefined : element[1][verdictName];
    let verdict: Verdict;
    if (verdictName === "jump" || verdictName === "goto") {
      verdict = {
        kind: verdictName,
        target: requireString(
          isObject(verdictValue) ? verdictValue.target : undefined,
          context.file,
          elementAt,
        ),
      };
    } else if (
      verdictName === "accept" ||
      verdictName === "drop" ||
      verdictName === "reject" ||
      verdictName === "return"
    ) {
      verdict = { kind: verdictName };
    } else if (verdictName === "continue") {
      verdict = { kind: "none" };
    } else {
      verdict = { kind: "unknown", note: `verdict map element with verdict ${String(verdictName)}` };
    }
    const keyMatch = translateMatch({ op: "==", left: value.key, right: element[0] }, context, elementAt);
    return { where, conditions: [...before, keyMatch], verdict };
  });
}

function requireString(value: unknown, file: string, path: string): string {
  if (typeof value !== "string") throw new InputError(file, path, "a string", JSON.stringify(value));
  return value;
}
