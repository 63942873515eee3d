import { InputError } from "../errors.js";
import { cidrFamily, type IpFamily, rangeToCidrs } from "./cidr-set.js";
import type { EnforcedFirewall } from "./enforced-firewall.js";
import {
  type Condition,
  evaluateProgram,
  type FirewallProgram,
  type ProgramChain,
  type ProgramRule,
  type Verdict,
} from "./firewall-program.js";

/**
 * `nft -j list ruleset` (libnftables JSON schema 1) -> what the origin admits on its TCP ports.
 * Base chains of type filter on the input and prerouting hooks of the ip, ip6 and inet families are
 * read with their policy and rules; rules match on `tcp`/`th` dport, `ip saddr` / `ip6 saddr`
 * (single addresses, prefixes, ranges, anonymous sets `{ "set": [...] }`, named sets `@name` with
 * prefix and range elements), `meta l4proto`, `meta nfproto`, `ct state`, `iif`/`iifname`, verdict
 * maps on port or source, and the verdicts accept, drop, reject, jump, goto and return.
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

/** Hooks where inbound traffic to the host passes a filter chain. Checked 2026-11-21 (nft(8)). */
const INBOUND_HOOKS: ReadonlySet<string> = new Set(["input", "prerouting"]);

const FAMILY_OF_TABLE: Readonly<Record<string, readonly IpFamily[]>> = { ip: [4], ip6: [6], inet: [4, 6] };

/** Service names nft may print instead of numbers (`nft -j` prints numbers unless told otherwise). */
const SERVICE_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443, ssh: 22, "http-alt": 8080 };

interface NamedSet {
  readonly type: string;
  readonly elements: readonly unknown[];
  readonly path: string;
}

interface Context {
  readonly file: string;
  readonly sets: ReadonlyMap<string, NamedSet>;
  readonly notes: string[];
}

/** The ruleset JSON -> the common firewall model. Throws InputError on a malformed export. */
export function nftProgram(json: unknown, file: string): FirewallProgram {
  if (!isObject(json) || !Array.isArray(json.nftables)) {
    throw new InputError(file, "nftables", 'an object with an "nftables" array (`nft -j list ruleset`)');
  }
  const items = json.nftables as unknown[];
  const sets = new Map<string, NamedSet>();
  const chains = new Map<string, ProgramChain>();
  const notes: string[] = [];
  const context: Context = { file, sets, notes };
  const itemPath = (i: number, kind: string) => `nftables[${i}].${kind}`;

  items.forEach((item, i) => {
    if (!isObject(item)) throw new InputError(file, `nftables[${i}]`, "an object");
    if (isObject(item.set)) {
      const set = item.set;
      const path = itemPath(i, "set");
      const name = requireString(set.name, file, `${path}.name`);
      const key = setKey(
        requireString(set.family, file, `${path}.family`),
        requireString(set.table, file, `${path}.table`),
        name,
      );
      const elements = set.elem === undefined ? [] : set.elem;
      if (!Array.isArray(elements)) throw new InputError(file, `${path}.elem`, "an array of set elements");
      sets.set(key, {
        type: typeof set.type === "string" ? set.type : JSON.stringify(set.type),
        elements,
        path,
      });
    }
    if (isObject(item.chain)) {
      const chain = item.chain;
      const path = itemPath(i, "chain");
      const family = requireString(chain.family, file, `${path}.family`);
      const table = requireString(chain.table, file, `${path}.table`);
      const name = requireString(chain.name, file, `${path}.name`);
      const families = FAMILY_OF_TABLE[family];
      if (families === undefined) {
        if (typeof chain.hook === "string") notes.push(`${path}: ${family} chain ${name} not modelled`);
        return;
      }
      const inbound =
        chain.type === "filter" && typeof chain.hook === "string" && INBOUND_HOOKS.has(chain.hook);
      let policy: "accept" | "drop" | undefined;
      if (inbound) {
        const raw = chain.policy ?? "accept";
        if (raw !== "accept" && raw !== "drop") {
          throw new InputError(file, `${path}.policy`, '"accept" or "drop"', JSON.stringify(raw));
        }
        policy = raw;
      }
      chains.set(setKey(family, table, name), {
        table: `${family} ${table}`,
        name,
        families,
        ...(policy ? { policy } : {}),
        rules: [],
      });
    }
  });

  items.forEach((item, i) => {
    if (!isObject(item) || !isObject(item.rule)) return;
    const rule = item.rule;
    const path = itemPath(i, "rule");
    const family = requireString(rule.family, file, `${path}.family`);
    if (FAMILY_OF_TABLE[family] === undefined) return;
    const table = requireString(rule.table, file, `${path}.table`);
    const chainName = requireString(rule.chain, file, `${path}.chain`);
    const chain = chains.get(setKey(family, table, chainName));
    if (chain === undefined) {
      throw new InputError(file, `${path}.chain`, `a chain declared in table ${family} ${table}`, chainName);
    }
    if (!Array.isArray(rule.expr)) throw new InputError(file, `${path}.expr`, "an array of expressions");
    const handle = typeof rule.handle === "number" ? ` handle ${rule.handle}` : "";
    const where = `nftables[${i}] (${family} ${table} ${chainName}${handle})`;
    chain.rules.push(...translateRule(rule.expr, { ...context, family, table }, path, where));
  });

  return { chains: [...chains.values()], notes };
}

interface RuleContext extends Context {
  readonly family: string;
  readonly table: string;
}

/** One nft rule -> one program rule, or several when it ends in a verdict map. */
function translateRule(expr: unknown[], context: RuleContext, path: string, where: string): ProgramRule[] {
  const conditions: Condition[] = [];
  let verdict: Verdict = { kind: "none" };
  for (let j = 0; j < expr.length; j++) {
    const statement = expr[j];
    const at = `${path}.expr[${j}]`;
    if (!isObject(statement)) throw new InputError(context.file, at, "an expression object");
    const [key] = Object.keys(statement);
    const value = key === undefined ? undefined : statement[key];
    switch (key) {
      case "match":
        conditions.push(...translateMatch(value, context, `${at}.match`));
        break;
      case "accept":
      case "drop":
      case "return":
        verdict = { kind: key };
        break;
      case "reject":
        verdict = { kind: "reject" };
        break;
      case "jump":
      case "goto":
        verdict = {
          kind: key,
          target: requireString(
            isObject(value) ? value.target : undefined,
            context.file,
            `${at}.${key}.target`,
          ),
        };
        break;
      case "vmap":
        return verdictMap(value, conditions, context, `${at}.vmap`, where);
      case "counter":
      case "log":
      case "comment":
      case "notrack":
        break;
      default:
        conditions.push({ kind: "unknown", note: `${key ?? "empty"} statement` });
    }
  }
  return [{ where, conditions, verdict }];
}

/** `tcp dport vmap { 80 : accept, 22 : drop }`: one rule per element, in order. */
function verdictMap(
  value: unknown,
  before: readonly Condition[],
  context: RuleContext,
  at: string,
  where: string,
): ProgramRule[] {
  if (!isObject(value) || !isObject(value.data) || !Array.isArray(value.data.set)) {
    return [
      { where, conditions: [...before, { kind: "unknown", note: "verdict map" }], verdict: { kind: "none" } },
    ];
  }
  return value.data.set.map((element: unknown, k: number) => {
    const elementAt = `${at}.data.set[${k}]`;
    if (!Array.isArray(element) || element.length !== 2 || !isObject(element[1])) {
      throw new InputError(context.file, elementAt, "a [key, verdict] pair");
    }
    const [verdictName] = Object.keys(element[1]);
    const verdictValue = verdictName === undefined ? undefined : element[1][verdictName];
    const verdict: Verdict =
      verdictName === "jump" || verdictName === "goto"
        ? {
            kind: verdictName,
            target: requireString(
              isObject(verdictValue) ? verdictValue.target : undefined,
              context.file,
              elementAt,
            ),
          }
        : verdictName === "accept" ||
            verdictName === "drop" ||
            verdictName === "reject" ||
            verdictName === "return"
          ? { kind: verdictName }
          : { kind: "none" };
    const keyMatch = translateMatch({ op: "==", left: value.key, right: element[0] }, context, elementAt);
    return { where, conditions: [...before, ...keyMatch], verdict };
  });
}

function translateMatch(value: unknown, context: RuleContext, at: string): Condition[] {
  if (!isObject(value)) throw new InputError(context.file, at, "a match {op, left, right}");
  const op = typeof value.op === "string" ? value.op : "==";
  const left = value.left;
  const right = value.right;
  const negate = op === "!=";
  if (isObject(left) && isObject(left.payload)) {
    const protocol = left.payload.protocol;
    const field = left.payload.field;
    if ((protocol === "tcp" || protocol === "th") && field === "dport") {
      return [{ kind: "port", ranges: portRanges(op, right, context, `${at}.right`), negate }];
    }
    if (
      (protocol === "udp" || protocol === "sctp" || protocol === "dccp" || protocol === "udplite") &&
      field === "dport"
    ) {
      return [{ kind: "protocol", tcp: false }];
    }
    if ((protocol === "ip" || protocol === "ip6") && field === "saddr") {
      const family: IpFamily = protocol === "ip" ? 4 : 6;
      return [{ kind: "source", family, cidrs: addressSet(right, family, context, `${at}.right`), negate }];
    }
    if ((protocol === "ip" && field === "protocol") || (protocol === "ip6" && field === "nexthdr")) {
      return [protocolCondition(right, negate)];
    }
    return [{ kind: "unknown", note: `match on ${String(protocol)} ${String(field)}` }];
  }
  if (isObject(left) && isObject(left.meta)) {
    const key = left.meta.key;
    if (key === "l4proto") return [protocolCondition(right, negate)];
    if (key === "nfproto") {
      const names = Array.isArray(right)
        ? right
        : isObject(right) && Array.isArray(right.set)
          ? right.set
          : [right];
      const families = names.flatMap((name: unknown) => (name === "ipv4" ? [4] : name === "ipv6" ? [6] : []));
      if (families.length === 1 && !negate) return [{ kind: "family", family: families[0] as IpFamily }];
      if (families.length === 1 && negate) return [{ kind: "family", family: families[0] === 4 ? 6 : 4 }];
      return [];
    }
    if (key === "iif" || key === "iifname") {
      if (right === "lo") return negate ? [] : [{ kind: "never" }];
      return [{ kind: "unknown", note: `input interface ${negate ? "!= " : ""}${JSON.stringify(right)}` }];
    }
    return [{ kind: "unknown", note: `match on meta ${String(key)}` }];
  }
  if (isObject(left) && isObject(left.ct) && left.ct.key === "state") {
    const states = Array.isArray(right)
      ? right
      : isObject(right) && Array.isArray(right.set)
        ? right.set
        : [right];
    const includesNew = states.includes("new");
    // A new inbound connection has ct state "new"; established/related/invalid never match it.
    return includesNew !== negate ? [] : [{ kind: "never" }];
  }
  return [{ kind: "unknown", note: `match ${JSON.stringify(left)}` }];
}

function protocolCondition(right: unknown, negate: boolean): Condition {
  const names = isObject(right) && Array.isArray(right.set) ? right.set : [right];
  const tcp = names.includes("tcp") || names.includes(6);
  return { kind: "protocol", tcp: tcp !== negate };
}

const MAX_PORT = 65535;

function portRanges(op: string, right: unknown, context: RuleContext, at: string): [number, number][] {
  if (op === "<" || op === "<=" || op === ">" || op === ">=") {
    const port = portNumber(right, context, at);
    if (op === "<") return [[0, port - 1]];
    if (op === "<=") return [[0, port]];
    if (op === ">") return [[port + 1, MAX_PORT]];
    return [[port, MAX_PORT]];
  }
  if (typeof right === "string" && right.startsWith("@")) {
    const set = namedSet(right, context, at);
    return set.elements.flatMap((element, k) =>
      portElement(unwrapElement(element), context, `${set.path}.elem[${k}]`),
    );
  }
  if (isObject(right) && Array.isArray(right.set)) {
    return right.set.flatMap((element: unknown, k: number) =>
      portElement(unwrapElement(element), context, `${at}.set[${k}]`),
    );
  }
  return portElement(right, context, at);
}

function portElement(element: unknown, context: RuleContext, at: string): [number, number][] {
  if (isObject(element) && Array.isArray(element.range) && element.range.length === 2) {
    return [
      [
        portNumber(element.range[0], context, `${at}.range[0]`),
        portNumber(element.range[1], context, `${at}.range[1]`),
      ],
    ];
  }
  const port = portNumber(element, context, at);
  return [[port, port]];
}

function portNumber(value: unknown, context: RuleContext, at: string): number {
  const port = typeof value === "string" ? (SERVICE_PORTS[value] ?? Number(value)) : value;
  if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > MAX_PORT) {
    throw new InputError(context.file, at, "a TCP port number", JSON.stringify(value));
  }
  return port;
}

function addressSet(right: unknown, family: IpFamily, context: RuleContext, at: string): string[] {
  if (typeof right === "string" && right.startsWith("@")) {
    const set = namedSet(right, context, at);
    return set.elements.flatMap((element, k) =>
      addressElement(unwrapElement(element), family, context, `${set.path}.elem[${k}]`),
    );
  }
  if (isObject(right) && Array.isArray(right.set)) {
    return right.set.flatMap((element: unknown, k: number) =>
      addressElement(unwrapElement(element), family, context, `${at}.set[${k}]`),
    );
  }
  return addressElement(right, family, context, at);
}

function addressElement(element: unknown, family: IpFamily, context: RuleContext, at: string): string[] {
  const expected = `an IPv${family} address, prefix {"prefix": {addr, len}} or range {"range": [first, last]}`;
  if (typeof element === "string") {
    if (cidrFamily(element) !== family)
      throw new InputError(context.file, at, expected, JSON.stringify(element));
    return [element];
  }
  if (isObject(element) && isObject(element.prefix)) {
    const cidr = `${String(element.prefix.addr)}/${String(element.prefix.len)}`;
    if (cidrFamily(cidr) !== family) throw new InputError(context.file, `${at}.prefix`, expected, cidr);
    return [cidr];
  }
  if (isObject(element) && Array.isArray(element.range) && element.range.length === 2) {
    const [first, last] = element.range;
    if (
      typeof first !== "string" ||
      typeof last !== "string" ||
      cidrFamily(first) !== family ||
      cidrFamily(last) !== family ||
      first.includes("/") ||
      last.includes("/")
    ) {
      throw new InputError(context.file, `${at}.range`, expected, JSON.stringify(element.range));
    }
    return rangeToCidrs(first, last);
  }
  throw new InputError(context.file, at, expected, JSON.stringify(element));
}

/** Set elements with timeouts or counters come wrapped as `{ "elem": { "val": ... } }`. */
function unwrapElement(element: unknown): unknown {
  return isObject(element) && isObject(element.elem) && "val" in element.elem ? element.elem.val : element;
}

function namedSet(reference: string, context: RuleContext, at: string): NamedSet {
  const name = reference.slice(1);
  const set = context.sets.get(setKey(context.family, context.table, name));
  if (set === undefined) {
    throw new InputError(
      context.file,
      at,
      `a set named "${name}" in table ${context.family} ${context.table}`,
      reference,
    );
  }
  return set;
}

function setKey(family: string, table: string, name: string): string {
  return `${family}\u0000${table}\u0000${name}`;
}

function requireString(value: unknown, file: string, path: string): string {
  if (typeof value !== "string") throw new InputError(file, path, "a string", JSON.stringify(value));
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
