import ipaddr from "ipaddr.js";
import { asciiHostname, type DnsRecord, normalizeFqdn, PROXIABLE_TYPES, TTL_AUTO } from "../model/record.js";
import { isUnresolved, type Resolvable, type Unresolved } from "../model/value.js";

/**
 * The one adapter that knows how Cloudflare stores DNS records, so that the diff engine compares
 * like with like (DNSControl's way). Every quirk is a function here with the date it was checked.
 */

/**
 * Names: Cloudflare stores and returns record names lower-case, without the trailing dot, whatever
 * case the request used. Checked 2026-11-21.
 */
export function normalizeName(name: string): string {
  return normalizeFqdn(name);
}

/**
 * Targets that are host names (CNAME, MX, NS, PTR, and the target of SRV) compare
 * case-insensitively and with or without the trailing dot: DNS names are case-insensitive and
 * Cloudflare drops the final dot. Checked 2026-11-21.
 */
export const HOSTNAME_TARGET_TYPES: ReadonlySet<string> = new Set(["CNAME", "MX", "NS", "PTR"]);

export function normalizeHostnameTarget(target: string): string {
  const lower = asciiHostname(target.trim().toLowerCase());
  return lower.endsWith(".") && lower.length > 1 ? lower.slice(0, -1) : lower;
}

/**
 * Addresses: the API returns IPv6 in its canonical compressed lower-case form (RFC 5952), so
 * `2001:DB8:0:0::1` in code equals `2001:db8::1` live; compared through ipaddr.js. IPv4 is compared
 * in dotted-decimal form. Checked 2026-11-21.
 */
export function normalizeAddress(content: string): string {
  const trimmed = content.trim();
  if (CANONICAL_IPV4.test(trimmed)) return trimmed;
  if (trimmed.includes(":")) {
    // One parse, no isValid first: ipaddr.js validates by parsing, and a failed parse throws.
    try {
      return ipaddr.IPv6.parse(trimmed).toString();
    } catch {
      return trimmed;
    }
  }
  if (ipaddr.IPv4.isValidFourPartDecimal(trimmed)) return ipaddr.IPv4.parse(trimmed).toString();
  return trimmed;
}

/** Dotted decimal without leading zeros: already canonical, no parse needed (the common case). */
const CANONICAL_IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * TXT: Cloudflare accepts TXT content with or without surrounding quotes and returns it quoted
 * (`"v=spf1 -all"`), splitting values over 255 characters into several quoted strings
 * (`"aaa…" "bbb…"`). The value is the concatenation of the unquoted strings. Checked 2026-11-21.
 */
export function normalizeTxt(content: string): string {
  const trimmed = content.trim();
  if (!trimmed.startsWith('"')) return trimmed;
  const parts = splitQuotedStrings(trimmed);
  return parts === undefined ? trimmed : parts.join("");
}

/** `"a" "b\"c"` -> ["a", 'b"c'], or undefined when the text is not only quoted strings. */
function splitQuotedStrings(text: string): string[] | undefined {
  const parts: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && (text[i] === " " || text[i] === "\t")) i++;
    if (i >= text.length) break;
    if (text[i] !== '"') return undefined;
    i++;
    let part = "";
    let closed = false;
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === "\\" && i + 1 < text.length) {
        part += text[i + 1];
        i += 2;
        continue;
      }
      if (ch === '"') {
        closed = true;
        i++;
        break;
      }
      part += ch;
      i++;
    }
    if (!closed) return undefined;
    parts.push(part);
  }
  return parts;
}

/** SRV content in the model is `weight port target` or the target alone; the target is a host name. */
function normalizeSrv(content: string): string {
  const fields = content.trim().split(/\s+/);
  const last = fields.length - 1;
  fields[last] = normalizeHostnameTarget(fields[last] ?? "");
  return fields.join(" ");
}

/** Content as Cloudflare would store it, for comparing desired with live. */
export function normalizeContent(type: string, content: string): string {
  switch (type) {
    case "A":
    case "AAAA":
      return normalizeAddress(content);
    case "TXT":
      return normalizeTxt(content);
    case "SRV":
      return normalizeSrv(content);
    default:
      return HOSTNAME_TARGET_TYPES.has(type) ? normalizeHostnameTarget(content) : content.trim();
  }
}

/**
 * Proxied: only A, AAAA and CNAME can be proxied; any other type is DNS-only whatever the code
 * says. Checked 2026-11-21.
 */
export function effectiveProxied(type: string, proxied: Resolvable<boolean>): Resolvable<boolean> {
  if (!(PROXIABLE_TYPES as readonly string[]).includes(type)) return false;
  return proxied;
}

/**
 * TTL: a proxied record's TTL is always "auto" (the API's `ttl: 1`), so a proxied record declared
 * with `ttl = 300` is stored with TTL auto and is not drift on ttl. When the desired proxied state is
 * a Terraform reference, the TTL that will be stored cannot be known. Checked 2026-11-21.
 */
export function effectiveTtl(
  type: string,
  proxied: Resolvable<boolean>,
  ttl: Resolvable<number>,
): Resolvable<number> {
  const p = effectiveProxied(type, proxied);
  if (isUnresolved(p)) return unresolvedBecause(p, "ttl depends on proxied");
  if (p) return TTL_AUTO;
  return ttl;
}

function unresolvedBecause(value: Unresolved, why: string): Unresolved {
  return { unresolved: `${why}: ${value.unresolved}` };
}

/**
 * Read-only records: Cloudflare-managed records (e.g. those an R2 custom domain, Email Routing or a
 * Worker route creates) come back with `meta.read_only` / not editable; the code cannot own them, so
 * the live reader marks them `readOnly` and the diff ignores them. Checked 2026-11-21.
 */
export function isManagedByCloudflare(record: DnsRecord): boolean {
  return record.readOnly === true;
}

/**
 * Comments and tags: records carry them only when set; Cloudflare returns `null`/absent for no
 * comment and `[]` for no tags. The code owns them only when it sets them, so they are compared
 * only when the desired record sets them. Checked 2026-11-21.
 */
export function normalizeComment(comment: string | null | undefined): string {
  return comment ?? "";
}

/** Tags as a set: order does not matter; Cloudflare returns them sorted. Checked 2026-11-21. */
export function normalizeTags(tags: readonly string[] | null | undefined): readonly string[] {
  return [...new Set((tags ?? []).map((tag) => tag.trim()))].sort();
}
