import { excludeCidr, mergeCidr, parseCidr } from "cidr-tools";
import ipaddr from "ipaddr.js";

/**
 * Sets of addresses as merged CIDR lists, one address family at a time. The range math is
 * cidr-tools'; this file only adds validation, family handling and ranges (`a-b`).
 */

export type IpFamily = 4 | 6;

export const EVERYONE: Readonly<Record<IpFamily, string>> = { 4: "0.0.0.0/0", 6: "::/0" };

/** The family of an address or CIDR, or undefined when it is neither. Prefix lengths are checked. */
export function cidrFamily(text: string): IpFamily | undefined {
  const value = text.trim();
  const slash = value.indexOf("/");
  const address = slash === -1 ? value : value.slice(0, slash);
  const prefixText = slash === -1 ? undefined : value.slice(slash + 1);
  let family: IpFamily;
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) family = 4;
  else if (ipaddr.IPv6.isValid(address)) family = 6;
  else return undefined;
  if (prefixText === undefined) return family;
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  return prefix <= (family === 4 ? 32 : 128) ? family : undefined;
}

export function isCidr(text: string): boolean {
  return cidrFamily(text) !== undefined;
}

/** Merged, canonical CIDRs of one family (single addresses become /32 or /128). */
export function normalizeSet(cidrs: readonly string[]): string[] {
  return cidrs.length === 0 ? [] : mergeCidr([...cidrs]);
}

/** Split a mixed list into its IPv4 and IPv6 parts (each merged). Entries that are not CIDRs are dropped. */
export function byFamily(cidrs: readonly string[]): Record<IpFamily, string[]> {
  const v4: string[] = [];
  const v6: string[] = [];
  for (const cidr of cidrs) {
    const family = cidrFamily(cidr);
    if (family === 4) v4.push(cidr.trim());
    else if (family === 6) v6.push(cidr.trim());
  }
  return { 4: normalizeSet(v4), 6: normalizeSet(v6) };
}

/** a minus b (same family). */
export function subtract(a: readonly string[], b: readonly string[]): string[] {
  if (a.length === 0) return [];
  if (b.length === 0) return normalizeSet(a);
  return excludeCidr([...a], [...b]);
}

/** a intersected with b (same family). */
export function intersect(a: readonly string[], b: readonly string[]): string[] {
  if (a.length === 0 || b.length === 0) return [];
  return subtract(a, subtract(a, b));
}

export function union(a: readonly string[], b: readonly string[]): string[] {
  return normalizeSet([...a, ...b]);
}

/** Everything of the family outside the set. */
export function complement(set: readonly string[], family: IpFamily): string[] {
  return subtract([EVERYONE[family]], set);
}

/** Whether the set admits every address of its family. */
export function isEveryone(set: readonly string[], family: IpFamily): boolean {
  return subtract([EVERYONE[family]], set).length === 0;
}

/** The CIDRs that exactly cover the inclusive address range first..last (same family). */
export function rangeToCidrs(first: string, last: string): string[] {
  const family = cidrFamily(first);
  if (family === undefined || cidrFamily(last) !== family || first.includes("/") || last.includes("/")) {
    throw new RangeError(`not an address range: ${first}-${last}`);
  }
  const bits = family === 4 ? 32 : 128;
  let start = parseCidr(first).start;
  const end = parseCidr(last).end;
  const cidrs: string[] = [];
  while (start <= end) {
    let size = 0;
    while (size < bits) {
      const block = 1n << BigInt(size + 1);
      if (start % block !== 0n || start + block - 1n > end) break;
      size++;
    }
    cidrs.push(`${formatAddress(start, family)}/${bits - size}`);
    start += 1n << BigInt(size);
  }
  return cidrs;
}

function formatAddress(value: bigint, family: IpFamily): string {
  const bytes: number[] = [];
  let rest = value;
  for (let i = 0; i < (family === 4 ? 4 : 16); i++) {
    bytes.unshift(Number(rest & 0xffn));
    rest >>= 8n;
  }
  return ipaddr.fromByteArray(bytes).toString();
}
