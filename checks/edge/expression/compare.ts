import type { CompareOp, Literal, Rhs, SetItem } from "./ast.js";
import { type CompiledRegex, compileRegex, isAsciiHaystack, regexMatches } from "./regex.js";
import { compareBytes, describe, type Tri, triOr, undecided, type Value } from "./value.js";
import {
  foldForWildcard,
  parseWildcard,
  type WildcardPattern,
  wildcardEndsWithStar,
  wildcardHead,
  wildcardMatches,
} from "./wildcard.js";

/** The comparison `lhs op rhs` for a value the facts produced. */
export function compareValue(lhs: Value, op: CompareOp, rhs: Rhs): Tri {
  if (lhs.t === "unknown") return undecided(lhs.why);
  switch (rhs.kind) {
    case "list":
      return undecided(`$${rhs.name} is a list whose items are account data the checker does not read`);
    case "regex":
      return matchesRegex(lhs, rhs.pattern);
    case "wildcard":
      return matchesWildcard(lhs, rhs.pattern, op === "strict wildcard");
    case "set":
      if (op === "contains") return triOr(rhs.items.map((item) => containsItem(lhs, item)));
      return triOr(rhs.items.map((item) => inItem(lhs, item)));
    case "literal":
      if (op === "contains") return containsItem(lhs, rhs.value);
      if (op === "bitwise_and") return bitwiseAnd(lhs, rhs.value);
      return ordering(lhs, op, rhs.value);
  }
}

function mismatch(lhs: Value, op: string, rhs: SetItem): Tri {
  return undecided(`${describe(lhs)} ${op} ${describeItem(rhs)} compares values of different types`);
}

function describeItem(item: SetItem): string {
  switch (item.kind) {
    case "string":
      return JSON.stringify(item.value);
    case "int":
      return item.value.toString();
    case "ip":
      return item.text;
    case "int-range":
      return `${item.from}..${item.to}`;
    case "ip-range":
      return `${item.from}..${item.to}`;
  }
}

const notUtf8 = undecided("a string literal with bytes that are not UTF-8");

function ordering(lhs: Value, op: CompareOp, rhs: Literal): Tri {
  if (rhs.kind === "string") {
    if (!rhs.utf8) return notUtf8;
    if (lhs.t === "str") return orderingHolds(op, compareBytes(lhs.v, rhs.value));
    if (lhs.t === "prefix" && (op === "eq" || op === "ne")) {
      const eq = prefixEquals(lhs, rhs.value);
      return op === "eq" ? eq : typeof eq === "boolean" ? !eq : eq;
    }
    if (lhs.t === "prefix") return undecided(lhs.why);
  }
  if (rhs.kind === "int" && lhs.t === "int") {
    return orderingHolds(op, lhs.v < rhs.value ? -1 : lhs.v > rhs.value ? 1 : 0);
  }
  return mismatch(lhs, op, rhs);
}

function orderingHolds(op: CompareOp, cmp: number): boolean {
  switch (op) {
    case "eq":
      return cmp === 0;
    case "ne":
      return cmp !== 0;
    case "lt":
      return cmp < 0;
    case "le":
      return cmp <= 0;
    case "gt":
      return cmp > 0;
    case "ge":
      return cmp >= 0;
    default:
      throw new Error(`not an ordering operator: ${op}`);
  }
}

/** `prefix` or `prefix?query` equals `s`? */
function prefixEquals(lhs: { prefix: string; why: string }, s: string): Tri {
  if (s === lhs.prefix || s.startsWith(`${lhs.prefix}?`)) return undecided(lhs.why);
  return false;
}

function inItem(lhs: Value, item: SetItem): Tri {
  switch (item.kind) {
    case "string":
    case "int":
      return ordering(lhs, "eq", item);
    case "int-range":
      if (lhs.t === "int") return lhs.v >= item.from && lhs.v <= item.to;
      return mismatch(lhs, "in", item);
    case "ip":
    case "ip-range":
      return mismatch(lhs, "in", item);
  }
}

function containsItem(lhs: Value, item: SetItem): Tri {
  if (item.kind !== "string") return mismatch(lhs, "contains", item);
  if (!item.utf8) return notUtf8;
  if (lhs.t === "str") return lhs.v.includes(item.value);
  if (lhs.t === "prefix") return lhs.prefix.includes(item.value) ? true : undecided(lhs.why);
  return mismatch(lhs, "contains", item);
}

function bitwiseAnd(lhs: Value, rhs: Literal): Tri {
  if (lhs.t === "int" && rhs.kind === "int") return (lhs.v & rhs.value) !== 0n;
  return mismatch(lhs, "&", rhs);
}

const regexCache = new Map<string, ReturnType<typeof compileRegex>>();
const REGEX_CACHE_LIMIT = 1000;

function compiled(pattern: string): ReturnType<typeof compileRegex> {
  let c = regexCache.get(pattern);
  if (!c) {
    if (regexCache.size >= REGEX_CACHE_LIMIT) regexCache.clear();
    c = compileRegex(pattern);
    regexCache.set(pattern, c);
  }
  return c;
}

function matchesRegex(lhs: Value, pattern: string): Tri {
  const c = compiled(pattern);
  if (!c.ok)
    return undecided(
      `the regular expression ${JSON.stringify(pattern)} is outside the subset the checker evaluates (${c.unsupported})`,
    );
  if (lhs.t === "str") return regexOn(c.regex, lhs.v);
  if (lhs.t === "prefix") {
    const onPrefix = regexOn(c.regex, lhs.prefix);
    return onPrefix === true && c.regex.extensionSafe ? true : undecided(lhs.why);
  }
  return undecided(`${describe(lhs)} matches a regular expression: not a string`);
}

function regexOn(regex: CompiledRegex, text: string): Tri {
  if (!isAsciiHaystack(text))
    return undecided(`regular expression matching on non-ASCII text ${JSON.stringify(text)}`);
  return regexMatches(regex, text);
}

function matchesWildcard(lhs: Value, text: string, strict: boolean): Tri {
  const parsed = parseWildcard(text);
  if (!parsed.ok) return undecided(parsed.error);
  const pattern: WildcardPattern = parsed.pattern;
  if (lhs.t === "str") return wildcardMatches(pattern, lhs.v, strict);
  if (lhs.t === "prefix") {
    if (wildcardMatches(pattern, lhs.prefix, strict) && wildcardEndsWithStar(pattern)) return true;
    if (pattern.segments.length === 1) {
      // No star: the whole value must equal the pattern.
      const whole = foldForWildcard(pattern.segments[0]!, strict);
      return prefixEquals({ prefix: foldForWildcard(lhs.prefix, strict), why: lhs.why }, whole);
    }
    // Every matching value starts with the pattern's head; a head the value cannot start with rules it out.
    const head = foldForWildcard(wildcardHead(pattern), strict);
    const prefix = foldForWildcard(lhs.prefix, strict);
    if (!head.startsWith(prefix) && !prefix.startsWith(head)) return false;
    if (head.startsWith(prefix) && head.length > prefix.length && head[prefix.length] !== "?") return false;
    return undecided(lhs.why);
  }
  return undecided(`${describe(lhs)} in a wildcard comparison: not a string`);
}
