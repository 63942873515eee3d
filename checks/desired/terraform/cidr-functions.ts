import ipaddr from "ipaddr.js";
import { TerraformEvalError } from "./evaluate.js";

/**
 * Terraform's IP network functions — `cidrhost`, `cidrnetmask`, `cidrsubnet`, `cidrsubnets` — for
 * IPv4 and IPv6 prefixes, in arbitrary precision (developer.hashicorp.com/terraform/language/
 * functions/cidrsubnet and siblings, checked 2026-11-30). A value Terraform would refuse (a
 * malformed prefix, a host or network number out of range) throws `TerraformEvalError`.
 */

interface Prefix {
  readonly family: 4 | 6;
  /** The network address (host bits cleared), as an integer. */
  readonly base: bigint;
  readonly length: number;
}

const BITS = { 4: 32, 6: 128 } as const;

function parsePrefix(text: string, fn: string): Prefix {
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    parsed = ipaddr.parseCIDR(text);
  } catch {
    throw new TerraformEvalError(`${fn}(): "${text}" is not an IP prefix in CIDR notation`);
  }
  const [address, length] = parsed;
  const family = address.kind() === "ipv4" ? 4 : 6;
  const total = BITS[family];
  const value = address.toByteArray().reduce((n, byte) => (n << 8n) | BigInt(byte), 0n);
  const hostBits = BigInt(total - length);
  return { family, base: (value >> hostBits) << hostBits, length };
}

function format(family: 4 | 6, value: bigint): string {
  const bytes: number[] = [];
  for (let i = BITS[family] / 8 - 1; i >= 0; i -= 1) bytes.push(Number((value >> BigInt(i * 8)) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

function whole(value: number, fn: string, what: string): bigint {
  if (!Number.isInteger(value)) throw new TerraformEvalError(`${fn}(): ${what} must be a whole number`);
  return BigInt(value);
}

/** `cidrhost(prefix, hostnum)`: negative numbers count back from the end of the range. */
export function cidrhost(prefixText: string, hostnum: number): string {
  const prefix = parsePrefix(prefixText, "cidrhost");
  const size = 1n << BigInt(BITS[prefix.family] - prefix.length);
  const n = whole(hostnum, "cidrhost", "the host number");
  if (n >= size || n < -size)
    throw new TerraformEvalError(`cidrhost(): prefix ${prefixText} has no host number ${hostnum}`);
  return format(prefix.family, prefix.base + (n < 0n ? size + n : n));
}

/** `cidrnetmask(prefix)`: IPv4 only, as in Terraform. */
export function cidrnetmask(prefixText: string): string {
  const prefix = parsePrefix(prefixText, "cidrnetmask");
  if (prefix.family !== 4) throw new TerraformEvalError("cidrnetmask(): only IPv4 prefixes have a netmask");
  const mask = prefix.length === 0 ? 0n : ((1n << 32n) - 1n) ^ ((1n << BigInt(32 - prefix.length)) - 1n);
  return format(4, mask);
}

/** `cidrsubnet(prefix, newbits, netnum)`. */
export function cidrsubnet(prefixText: string, newbits: number, netnum: number): string {
  const prefix = parsePrefix(prefixText, "cidrsubnet");
  const extra = Number(whole(newbits, "cidrsubnet", "newbits"));
  const length = prefix.length + extra;
  if (extra < 0 || length > BITS[prefix.family])
    throw new TerraformEvalError(
      `cidrsubnet(): ${extra} more bits do not fit in prefix ${prefixText} (${BITS[prefix.family]} bits)`,
    );
  const n = whole(netnum, "cidrsubnet", "the network number");
  if (n < 0n || n >= 1n << BigInt(extra))
    throw new TerraformEvalError(
      `cidrsubnet(): prefix ${prefixText} has no subnet number ${netnum} of ${extra} bits`,
    );
  return `${format(prefix.family, prefix.base + (n << BigInt(BITS[prefix.family] - length)))}/${length}`;
}

/** `cidrsubnets(prefix, newbits...)`: consecutive subnets, each aligned to its own size. */
export function cidrsubnets(prefixText: string, newbits: readonly number[]): string[] {
  const prefix = parsePrefix(prefixText, "cidrsubnets");
  const total = BITS[prefix.family];
  const end = prefix.base + (1n << BigInt(total - prefix.length));
  let next = prefix.base;
  return newbits.map((bits) => {
    const extra = Number(whole(bits, "cidrsubnets", "newbits"));
    const length = prefix.length + extra;
    if (extra < 1 || length > total)
      throw new TerraformEvalError(`cidrsubnets(): ${extra} more bits do not fit in prefix ${prefixText}`);
    const size = 1n << BigInt(total - length);
    const start = ((next + size - 1n) / size) * size;
    if (start + size > end)
      throw new TerraformEvalError(`cidrsubnets(): not enough room in prefix ${prefixText}`);
    next = start + size;
    return `${format(prefix.family, start)}/${length}`;
  });
}
