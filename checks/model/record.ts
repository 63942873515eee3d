import { domainToASCII } from "node:url";
import type { SourceRef } from "./source.js";
import type { Resolvable } from "./value.js";

/** The DNS record types the Cloudflare API accepts (checked 2026-11-21). */
export const RECORD_TYPES = [
  "A",
  "AAAA",
  "CAA",
  "CERT",
  "CNAME",
  "DNSKEY",
  "DS",
  "HTTPS",
  "LOC",
  "MX",
  "NAPTR",
  "NS",
  "OPENPGPKEY",
  "PTR",
  "SMIMEA",
  "SRV",
  "SSHFP",
  "SVCB",
  "TLSA",
  "TXT",
  "URI",
] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

const RECORD_TYPE_SET: ReadonlySet<string> = new Set(RECORD_TYPES);

/** Whether a (case-sensitive) type is one the API accepts. */
export function isRecordType(type: string): type is RecordType {
  return RECORD_TYPE_SET.has(type);
}

/** The API's `ttl: 1`, meaning "automatic"; a proxied record always has it. */
export const TTL_AUTO = 1;

/**
 * One DNS record, desired or live. Desired and live records share this type (DNSControl's way), so
 * the diff engine compares like with like.
 */
export interface DnsRecord {
  /** Lower-case, no trailing dot. */
  readonly fqdn: string;
  /** Desired only: the name as written when it differs from `fqdn` (`@`, `www`), to qualify later. */
  readonly name?: string;
  readonly type: RecordType;
  /** For MX and SRV the target only; structured records keep their `data` rendered as text. */
  readonly content: Resolvable<string>;
  readonly proxied: Resolvable<boolean>;
  readonly ttl: Resolvable<number>;
  readonly priority?: number;
  readonly comment?: string;
  readonly tags?: readonly string[];
  /** Live only: the record id. */
  readonly id?: string;
  /** Live only: whether the API lets it be edited (read-only, Cloudflare-managed records are ignored). */
  readonly readOnly?: boolean;
  /** Desired only: where it was declared. */
  readonly source?: SourceRef;
}

export const PROXIABLE_TYPES: readonly RecordType[] = ["A", "AAAA", "CNAME"];

export function normalizeFqdn(name: string): string {
  if (isNormalFqdn(name)) return name;
  const lower = asciiHostname(name.trim().toLowerCase());
  return lower.endsWith(".") ? lower.slice(0, -1) : lower;
}

/**
 * Whether a name is already as `normalizeFqdn` leaves it, in one pass: no upper-case letter, no
 * space or control character, nothing outside printable ASCII (every character `trim` removes and
 * every one Punycode would convert is among these), and no final dot. Names read from the API, and
 * most names written in code, are: the diff and the readers normalise hundreds of thousands of them.
 */
function isNormalFqdn(name: string): boolean {
  const n = name.length;
  if (n === 0 || name.charCodeAt(n - 1) === DOT) return false;
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    if (c <= SPACE || c >= DELETE || (c >= UPPER_A && c <= UPPER_Z)) return false;
  }
  return true;
}

const DOT = 0x2e;
const SPACE = 0x20;
const DELETE = 0x7f;
const UPPER_A = 0x41;
const UPPER_Z = 0x5a;

/**
 * Cloudflare's API names records (and zones) in Punycode whatever was written: "Domain names are
 * always represented in Punycode, even if Unicode characters were used when creating the record"
 * (the DNS records API, checked 2026-11-30). A name with other than ASCII characters is converted
 * as the WHATWG URL standard converts host names (UTS #46, what Node's `domainToASCII` does); one
 * that cannot be converted stays as written, and compares equal to nothing the API returns.
 */
export function asciiHostname(name: string): string {
  return NON_ASCII.test(name) ? domainToASCII(name) || name : name;
}

const NON_ASCII = /[\u0080-\uffff]/;
