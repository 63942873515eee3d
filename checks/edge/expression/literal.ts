import ipaddr from "ipaddr.js";
import type { Literal, SetItem } from "./ast.js";
import { INTEGER_LITERAL_RULES } from "./facts.js";

/**
 * Reads a bare (unquoted) literal: an integer (`42`, `-1`, `0x1F`, octal `017`), an IP address or
 * CIDR range, or, inside an inline list, an integer range `1..10` or an IP range `a..b`.
 * Returns undefined when the text is none of these.
 */
export function readBareLiteral(text: string, inSet: boolean): SetItem | undefined {
  const dots = text.indexOf("..");
  if (dots >= 0) {
    if (!inSet) return undefined;
    const left = text.slice(0, dots);
    const right = text.slice(dots + 2);
    const a = readInteger(left);
    const b = readInteger(right);
    if (a !== undefined && b !== undefined) return a <= b ? { kind: "int-range", from: a, to: b } : undefined;
    if (isIpAddress(left) && isIpAddress(right) && ipaddr.parse(left).kind() === ipaddr.parse(right).kind()) {
      return { kind: "ip-range", from: left, to: right };
    }
    return undefined;
  }
  const n = readInteger(text);
  if (n !== undefined) return { kind: "int", value: n };
  if (isIpAddress(text) || isCidr(text)) return { kind: "ip", text } satisfies Literal;
  return undefined;
}

/** An integer literal with wirefilter's radix rules, or undefined. */
export function readInteger(text: string): bigint | undefined {
  if (text.startsWith(INTEGER_LITERAL_RULES.hexPrefix)) {
    const digits = text.slice(2);
    return /^[0-9A-Fa-f]+$/.test(digits) ? BigInt(`0x${digits}`) : undefined;
  }
  if (INTEGER_LITERAL_RULES.octalLeadingZero && text.startsWith("0")) {
    return /^[0-7]+$/.test(text) ? BigInt(`0o${text}`) : undefined;
  }
  return /^-?[0-9]+$/.test(text) ? BigInt(text) : undefined;
}

function isIpAddress(text: string): boolean {
  return (
    /^[0-9A-Fa-f.:]+$/.test(text) &&
    text.length > 1 &&
    ipaddr.isValid(text) &&
    (text.includes(":") || ipaddr.IPv4.isValidFourPartDecimal(text))
  );
}

function isCidr(text: string): boolean {
  const slash = text.indexOf("/");
  if (slash < 0 || !isIpAddress(text.slice(0, slash))) return false;
  try {
    ipaddr.parseCIDR(text);
    return true;
  } catch {
    return false;
  }
}
