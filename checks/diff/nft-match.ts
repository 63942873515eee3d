import { InputError } from "../errors.js";
import { cidrFamily, type IpFamily, rangeToCidrs } from "./cidr-set.js";
import type { Condition, PortRange } from "./firewall-program.js";
import {
  flagsEqual,
  LOOPBACK_INTERFACE,
  packetTypeMatches,
  statesIncludeNew,
  synMatches,
  tcpFlags,
} from "./new-connection.js";

/**
 * One nft match expression (`{"match": {op, left, right}}`) -> one condition of the firewall
 * model, for the first packet of a new connection from Cloudflare. What it decides exactly and
 * what it leaves unknown is listed in nft-ruleset.ts; a value that cannot be a port or an address
 * is bad input (InputError naming the path), a shape it does not know is unknown.
 */

export interface NamedSet {
  readonly elements: readonly unknown[];
  readonly path: string;
  /** Filled by the ruleset itself from traffic (`add @set`, `update @set`, flag `dynamic`). */
  readonly dynamic: boolean;
}

export interface Context {
  readonly file: string;
  readonly sets: ReadonlyMap<string, NamedSet>;
  readonly maps: ReadonlyMap<string, NamedSet>;
  /** Set when some rule marks traffic untracked: `ct state` no longer tells a SYN apart. */
  readonly untracked?: string;
}

export interface RuleContext extends Context {
  readonly family: string;
  readonly table: string;
}

/** Service names nft may print instead of numbers (`nft -j` prints numbers unless told otherwise). */
const SERVICE_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443, ssh: 22, "http-alt": 8080 };

const NEGATED = "!=";
/** A condition every SYN from Cloudflare meets (the match holds for it), kept so vmap elements stay rules. */
const ALWAYS: Condition = { kind: "protocol", tcp: true };
const POSITIVE: ReadonlySet<string> = new Set(["==", "in"]);
const ORDERED: ReadonlySet<string> = new Set(["<", "<=", ">", ">="]);

export function translateMatch(value: unknown, context: RuleContext, at: string): Condition {
  if (!isObject(value)) throw new InputError(context.file, at, "a match {op, left, right}");
  const op = typeof value.op === "string" ? value.op : "==";
  const left = value.left;
  const right = value.right;
  const negate = op === NEGATED;
  const unknown = (what: string): Condition => ({ kind: "unknown", note: what });
  if (!negate && !POSITIVE.has(op) && !ORDERED.has(op)) return unknown(`match with operator ${op}`);
  if (ORDERED.has(op) && !isTcpPort(left)) return unknown(`match ${describe(left)} ${op} ${describe(right)}`);

  if (isObject(left) && isObject(left.payload)) {
    const protocol = String(left.payload.protocol);
    const field = String(left.payload.field);
    if ((protocol === "tcp" || protocol === "th") && field === "dport") {
      const ranges = portRanges(op, right, context, `${at}.right`);
      return ranges === undefined
        ? unknown(`destination port ${describe(right)}`)
        : { kind: "port", ranges, negate };
    }
    if (protocol === "tcp" && field === "flags") return tcpFlagsMatch(op, undefined, right);
    if ((protocol === "tcp" || protocol === "th") && field === "sport") {
      return unknown("source port (Cloudflare connects from ephemeral ports)");
    }
    if (["udp", "udplite", "sctp", "dccp", "icmp", "icmpv6"].includes(protocol)) {
      // A match on another protocol's header implies that protocol: never a TCP SYN.
      return { kind: "protocol", tcp: false };
    }
    if ((protocol === "ip" || protocol === "ip6") && field === "saddr") {
      const family: IpFamily = protocol === "ip" ? 4 : 6;
      const cidrs = addressSet(right, family, context, `${at}.right`);
      return typeof cidrs === "string" ? unknown(cidrs) : { kind: "source", family, cidrs, negate };
    }
    if ((protocol === "ip" && field === "protocol") || (protocol === "ip6" && field === "nexthdr")) {
      return protocolCondition(right, negate) ?? unknown(`${protocol} ${field} ${describe(right)}`);
    }
    if ((protocol === "ip" || protocol === "ip6") && field === "daddr") {
      return unknown("destination address (the origin's own address as the host sees it, after any NAT)");
    }
    return unknown(`match on ${protocol} ${field}`);
  }
  if (isObject(left) && isObject(left.meta)) {
    const key = String(left.meta.key);
    const names = valuesOf(right);
    if (key === "l4proto")
      return protocolCondition(right, negate) ?? unknown(`meta l4proto ${describe(right)}`);
    if (key === "nfproto" || key === "protocol") {
      const families = names.flatMap((name) =>
        name === "ipv4" || name === "ip" ? [4] : name === "ipv6" || name === "ip6" ? [6] : [],
      ) as IpFamily[];
      if (families.length !== names.length || families.length === 0) {
        return unknown(`meta ${key} ${describe(right)}`);
      }
      const both = families.includes(4) && families.includes(6);
      if (both) return negate ? { kind: "never" } : ALWAYS;
      const family = families[0]!;
      return { kind: "family", family: negate ? (family === 4 ? 6 : 4) : family };
    }
    if (key === "iif" || key === "iifname") {
      if (right === LOOPBACK_INTERFACE) return negate ? ALWAYS : { kind: "never" };
      return unknown(`input interface ${negate ? "!= " : ""}${describe(right)}`);
    }
    if (key === "pkttype") {
      const matches = packetTypeMatches(names);
      if (matches === undefined || names.length === 0) return unknown(`meta pkttype ${describe(right)}`);
      return matches !== negate ? ALWAYS : { kind: "never" };
    }
    return unknown(`match on meta ${key}`);
  }
  if (isObject(left) && isObject(left.ct)) {
    const key = String(left.ct.key);
    const names = valuesOf(right);
    if (key === "state") {
      if (context.untracked !== undefined) {
        return unknown(`ct state, while ${context.untracked} marks some traffic untracked`);
      }
      // A new inbound connection has ct state "new"; established/related/invalid never match it.
      return statesIncludeNew(names) !== negate ? ALWAYS : { kind: "never" };
    }
    if (key === "direction" && names.length === 1 && (names[0] === "original" || names[0] === "reply")) {
      return (names[0] === "original") !== negate ? ALWAYS : { kind: "never" };
    }
    return unknown(`match on ct ${key}`);
  }
  if (isObject(left) && Array.isArray(left["&"]) && left["&"].length === 2) {
    const [inner, mask] = left["&"];
    if (
      isObject(inner) &&
      isObject(inner.payload) &&
      inner.payload.protocol === "tcp" &&
      inner.payload.field === "flags"
    ) {
      return tcpFlagsMatch(op, mask, right);
    }
  }
  if (isObject(left) && Array.isArray(left.concat)) {
    return (
      concatMatch(left.concat, right, negate, context, `${at}.right`) ?? unknown(`match ${describe(left)}`)
    );
  }
  return unknown(`match ${describe(left)}`);
}

function isTcpPort(left: unknown): boolean {
  return (
    isObject(left) &&
    isObject(left.payload) &&
    (left.payload.protocol === "tcp" || left.payload.protocol === "th") &&
    left.payload.field === "dport"
  );
}

/** `tcp flags syn` (op in: any of them set), `tcp flags & (fin|syn|rst|ack) == syn`, `tcp flags == syn`. */
function tcpFlagsMatch(op: string, maskValue: unknown, right: unknown): Condition {
  const unknown: Condition = { kind: "unknown", note: `tcp flags ${describe(right)}` };
  const mask = maskValue === undefined ? undefined : tcpFlags(listOf(maskValue));
  if (maskValue !== undefined && mask === undefined) return unknown;
  let test: ((flags: ReadonlySet<string>) => boolean) | undefined;
  if (isObject(right) && Array.isArray(right.set)) {
    const values = right.set.map((v) => tcpFlags(listOf(v)));
    if (values.some((v) => v === undefined)) return unknown;
    test = (flags) => values.some((v) => flagsEqual(flags, mask, v!));
  } else {
    const compare = tcpFlags(listOf(right));
    if (compare === undefined) return unknown;
    test =
      op === "in"
        ? (flags) => [...compare].some((flag) => flags.has(flag) && (mask === undefined || mask.has(flag)))
        : (flags) => flagsEqual(flags, mask, compare);
  }
  const matches = synMatches(test);
  if (matches === undefined)
    return { kind: "unknown", note: `tcp flags ${describe(right)} (depends on ECN)` };
  return matches !== (op === NEGATED) ? ALWAYS : { kind: "never" };
}

/** `ip saddr . tcp dport @set` (or the other order): pairs of sources and ports. */
function concatMatch(
  parts: readonly unknown[],
  right: unknown,
  negate: boolean,
  context: RuleContext,
  at: string,
): Condition | undefined {
  if (parts.length !== 2) return undefined;
  const sourceAt = parts.findIndex(
    (p) =>
      isObject(p) &&
      isObject(p.payload) &&
      (p.payload.protocol === "ip" || p.payload.protocol === "ip6") &&
      p.payload.field === "saddr",
  );
  const portAt = parts.findIndex(isTcpPort);
  if (sourceAt === -1 || portAt === -1) return undefined;
  const family: IpFamily =
    (parts[sourceAt] as { payload: { protocol: string } }).payload.protocol === "ip" ? 4 : 6;
  const listed = setElements(right, context, at);
  if (listed === "unreadable") return undefined;
  let elements: readonly unknown[];
  let elementsAt: string;
  if (listed !== undefined) ({ elements, at: elementsAt } = listed);
  else if (isObject(right) && Array.isArray(right.concat)) {
    elements = [right];
    elementsAt = at;
  } else {
    return undefined;
  }
  const pairs = [];
  for (let k = 0; k < elements.length; k++) {
    const element = unwrapElement(elements[k]);
    if (!isObject(element) || !Array.isArray(element.concat) || element.concat.length !== 2) return undefined;
    const cidrs = addressElement(
      element.concat[sourceAt],
      family,
      context,
      `${elementsAt}[${k}].concat[${sourceAt}]`,
    );
    const ports = portElement(element.concat[portAt], context, `${elementsAt}[${k}].concat[${portAt}]`);
    if (ports === undefined) return undefined;
    pairs.push({ cidrs, ports });
  }
  return { kind: "source-port", family, pairs, negate };
}

function protocolCondition(right: unknown, negate: boolean): Condition | undefined {
  const names = valuesOf(right);
  if (names.length === 0 || names.some((name) => typeof name !== "string" && typeof name !== "number")) {
    return undefined;
  }
  const tcp = names.includes("tcp") || names.includes(6);
  return { kind: "protocol", tcp: tcp !== negate };
}

const MAX_PORT = 65535;

/** Port ranges, or undefined for a right-hand side the checker does not read (a map lookup...). */
function portRanges(op: string, right: unknown, context: RuleContext, at: string): PortRange[] | undefined {
  if (ORDERED.has(op)) {
    const port = portNumber(right, context, at);
    if (port === undefined) return undefined;
    if (op === "<") return [[0, port - 1]];
    if (op === "<=") return [[0, port]];
    if (op === ">") return [[port + 1, MAX_PORT]];
    return [[port, MAX_PORT]];
  }
  const listed = setElements(right, context, at);
  if (listed === "unreadable") return undefined;
  if (listed === undefined) return portElement(right, context, at);
  const ranges: PortRange[] = [];
  for (let k = 0; k < listed.elements.length; k++) {
    const element = portElement(unwrapElement(listed.elements[k]), context, `${listed.at}[${k}]`);
    if (element === undefined) return undefined;
    ranges.push(...element);
  }
  return ranges;
}

function portElement(element: unknown, context: RuleContext, at: string): PortRange[] | undefined {
  if (isObject(element) && Array.isArray(element.range) && element.range.length === 2) {
    const low = portNumber(element.range[0], context, `${at}.range[0]`);
    const high = portNumber(element.range[1], context, `${at}.range[1]`);
    return low === undefined || high === undefined ? undefined : [[low, high]];
  }
  const port = portNumber(element, context, at);
  return port === undefined ? undefined : [[port, port]];
}

/** A port number; undefined for a value that is not one (a service name nft does not print, an expression). */
function portNumber(value: unknown, context: RuleContext, at: string): number | undefined {
  const port = typeof value === "string" ? SERVICE_PORTS[value] : value;
  if (typeof port !== "number") return undefined;
  if (!Number.isInteger(port) || port < 0 || port > MAX_PORT) {
    throw new InputError(context.file, at, "a TCP port number (0-65535)", JSON.stringify(value));
  }
  return port;
}

/** The CIDRs of an address match, or a note (string) saying why the checker cannot know them. */
function addressSet(right: unknown, family: IpFamily, context: RuleContext, at: string): string[] | string {
  if (typeof right === "string" && right.startsWith("@")) {
    const set = context.sets.get(setKey(context.family, context.table, right.slice(1)));
    if (set === undefined) return `source in set ${right}, which is not in the export`;
    if (set.dynamic) return `source in set ${right}, which the ruleset fills from traffic`;
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

/**
 * The elements of a named (`@name`) or anonymous set on a right-hand side, with the path where they
 * stand; "unreadable" for a named set the export lacks or the ruleset fills from traffic; undefined
 * when the right-hand side is not a set.
 */
function setElements(
  right: unknown,
  context: RuleContext,
  at: string,
): { elements: readonly unknown[]; at: string } | "unreadable" | undefined {
  if (typeof right === "string" && right.startsWith("@")) {
    const set = context.sets.get(setKey(context.family, context.table, right.slice(1)));
    if (set === undefined || set.dynamic) return "unreadable";
    return { elements: set.elements, at: `${set.path}.elem` };
  }
  if (isObject(right) && Array.isArray(right.set)) return { elements: right.set, at: `${at}.set` };
  return undefined;
}

/** Set elements with timeouts or counters come wrapped as `{ "elem": { "val": ... } }`. */
function unwrapElement(element: unknown): unknown {
  return isObject(element) && isObject(element.elem) && "val" in element.elem ? element.elem.val : element;
}

/** The values of a right-hand side: a scalar, a list (flags) or an anonymous set. */
function valuesOf(right: unknown): unknown[] {
  if (Array.isArray(right)) return right;
  if (isObject(right) && Array.isArray(right.set)) return right.set;
  return [right];
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** A short rendering of a JSON value for notes. */
export function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function setKey(family: string, table: string, name: string): string {
  return `${family}\u0000${table}\u0000${name}`;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
