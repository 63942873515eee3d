import { z } from "zod";
import { canonicalIpv4 } from "../model/address-space.js";
import { isTerraformExpression } from "../model/value.js";
import { quote } from "../printable.js";

/**
 * Address validation that says what is wrong: zod decides whether a value is an IPv4 or IPv6
 * address (or CIDR); these explain a refusal ("g" is not a hex digit, 300 is more than 255), so
 * a message names the kind of address expected, the value given and the reason.
 */

const IPV4 = z.ipv4();
const IPV6 = z.ipv6();
const CIDR4 = z.cidrv4();
const CIDR6 = z.cidrv6();

export type AddressKind = "ipv4" | "ipv6";

const NAMES: Record<AddressKind, string> = { ipv4: "an IPv4 address", ipv6: "an IPv6 address" };

export function isAddress(kind: AddressKind, text: string): boolean {
  // A canonical dotted quad is exactly what zod's IPv4 form accepts; it is checked without zod.
  if (kind === "ipv4" && canonicalIpv4(text) !== undefined) return true;
  return (kind === "ipv4" ? IPV4 : IPV6).safeParse(text).success;
}

/** `an IPv6 address, got "2001:db8::g" ("g" is not a hex digit)`, or undefined when it is one. */
export function addressProblem(kind: AddressKind, text: string): string | undefined {
  if (isAddress(kind, text)) return undefined;
  return `${NAMES[kind]}, got ${quote(text)} (${explain(kind, text)})`;
}

/** A zod string schema for an address of `kind`, or a Terraform expression, with that message. */
export function addressOrExpression(kind: AddressKind) {
  return z.string({ error: NAMES[kind] }).superRefine((value, ctx) => {
    if (isTerraformExpression(value)) return;
    const problem = addressProblem(kind, value);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
  });
}

/** Why `text` is not an address of `kind`. */
export function explain(kind: AddressKind, text: string): string {
  return (kind === "ipv4" ? ipv4Problem(text) : ipv6Problem(text)) ?? "it is not in the address's form";
}

export function ipv4Problem(text: string): string | undefined {
  if (text === "") return "it is empty";
  if (/\s/.test(text)) return "it holds white space";
  if (text.includes("/")) return "it is a CIDR, not a single address";
  if (text.includes(":")) return "it looks like an IPv6 address";
  const parts = text.split(".");
  if (parts.length !== 4) return `it has ${parts.length} part(s) separated by dots; an IPv4 address has 4`;
  for (const part of parts) {
    if (part === "") return "a part between the dots is empty";
    const bad = /[^0-9]/.exec(part);
    if (bad) return `${quote(bad[0])} is not a decimal digit`;
    if (part.length > 1 && part.startsWith("0")) return `${quote(part)} has a leading zero`;
    if (Number(part) > 255) return `${part} is more than 255`;
  }
  return undefined;
}

export function ipv6Problem(text: string): string | undefined {
  if (text === "") return "it is empty";
  if (/\s/.test(text)) return "it holds white space";
  if (text.startsWith("[") || text.endsWith("]")) return "write it without brackets";
  if (text.includes("/")) return "it is a CIDR, not a single address";
  if (text.includes("%")) return "a zone index (%...) is not allowed here";
  const bad = /[^0-9a-fA-F:.]/.exec(text);
  if (bad) return `${quote(bad[0])} is not a hex digit`;
  if (!text.includes(":")) return /^[\d.]+$/.test(text) ? "it is an IPv4 address" : 'it has no ":"';
  const doubles = text.split("::").length - 1;
  if (doubles > 1) return '"::" appears more than once';
  if (text.includes(":::")) return 'it holds ":::"';
  if (/^:[^:]/.test(text)) return 'it begins with a single ":"';
  if (/[^:]:$/.test(text)) return 'it ends with a single ":"';
  const groups = text.split(":").filter((g) => g !== "");
  let count = groups.length;
  const last = groups[groups.length - 1] ?? "";
  if (last.includes(".")) {
    const v4 = ipv4Problem(last);
    if (v4 !== undefined) return `its embedded IPv4 part ${quote(last)} is not valid: ${v4}`;
    count += 1; // an embedded IPv4 address stands for two groups
  }
  for (const group of groups.slice(0, last.includes(".") ? -1 : undefined)) {
    if (group.includes(".")) return `${quote(".")} may appear only in an IPv4 part at the end`;
    if (group.length > 4) return `the group ${quote(group)} has more than 4 hex digits`;
  }
  if (count > 8) return `it has ${count} groups; an IPv6 address has at most 8`;
  if (doubles === 0 && count < 8) return `it has ${count} groups and no "::"; an IPv6 address has 8`;
  if (doubles === 1 && count === 8) return '"::" stands for at least one group, but all 8 are written';
  return undefined;
}

/** `a CIDR such as ..., got "173.245.48.0/40" (a prefix of 40 is more than 32)`, or undefined. */
export function cidrProblem(text: string, expected: string): string | undefined {
  if (CIDR4.safeParse(text).success || CIDR6.safeParse(text).success) return undefined;
  return `${expected}, got ${quote(text)} (${explainCidr(text)})`;
}

function explainCidr(text: string): string {
  const slash = text.indexOf("/");
  if (slash < 0) return "it has no /prefix length";
  const address = text.slice(0, slash);
  const prefix = text.slice(slash + 1);
  const kind: AddressKind = address.includes(":") ? "ipv6" : "ipv4";
  if (!isAddress(kind, address)) return explain(kind, address);
  const max = kind === "ipv4" ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix)) return `the prefix length ${quote(prefix)} is not a whole number`;
  if (Number(prefix) > max) return `a prefix length of ${prefix} is more than ${max}`;
  return "it is not in CIDR form";
}

/** An address or CIDR of either family, or a Terraform expression (IP list items). */
export function ipOrCidrOrExpression(expected: string) {
  return z.string({ error: expected }).superRefine((value, ctx) => {
    if (isTerraformExpression(value)) return;
    if (isAddress("ipv4", value) || isAddress("ipv6", value)) return;
    const problem = value.includes("/")
      ? cidrProblem(value, expected)
      : `${expected}, got ${quote(value)} (${explain(value.includes(":") ? "ipv6" : "ipv4", value)})`;
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
  });
}
