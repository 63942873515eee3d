import { isIPv4, isIPv6 } from "node:net";
import { type DnsRecord, normalizeFqdn } from "../model/record.js";
import { isUnresolved } from "../model/value.js";

/**
 * How Cloudflare answers a name for itself: a name inside one of the account's zones is answered
 * from that zone's records — CNAME chains followed, apex CNAMEs flattened, wildcards applied — and
 * never from public DNS; the first name outside the account is left to DNS (developers.cloudflare.com
 * /dns/cname-flattening and /rules/origin-rules/features, checked 2026-11-30).
 */
export interface ZoneRecords {
  readonly name: string;
  readonly records: readonly DnsRecord[];
}

/** `<uuid>.cfargotunnel.com`: a Cloudflare Tunnel, never resolved through DNS. */
export const TUNNEL_SUFFIX = ".cfargotunnel.com";
const TUNNEL_NAME = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.cfargotunnel\.com$/i;

/** The tunnel id of a `<uuid>.cfargotunnel.com` name, or undefined. */
export function tunnelIdOf(name: string): string | undefined {
  return TUNNEL_NAME.exec(normalizeFqdn(name))?.[1]?.toLowerCase();
}

/** A chain longer than this is a loop or a mistake (Cloudflare stops far earlier). */
export const MAX_CNAME_CHAIN = 16;

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

export type Resolution =
  /** Answered from the account's zones: the addresses, IPv4 first. */
  | {
      readonly kind: "addresses";
      readonly addresses: readonly ResolvedAddress[];
      readonly chain: readonly string[];
    }
  /** Left the account: the name is resolved through DNS (at probe time). */
  | { readonly kind: "outside"; readonly name: string; readonly chain: readonly string[] }
  | {
      readonly kind: "tunnel";
      readonly name: string;
      readonly tunnelId?: string;
      readonly chain: readonly string[];
    }
  /** A name inside the account's zones with no record: Cloudflare cannot resolve it (1016). */
  | { readonly kind: "missing"; readonly name: string; readonly chain: readonly string[] }
  | { readonly kind: "loop"; readonly chain: readonly string[] }
  | { readonly kind: "unknown"; readonly why: string; readonly chain: readonly string[] };

/** Resolve a name against the account's zones (pure). */
export function resolveInAccount(start: string, zones: readonly ZoneRecords[]): Resolution {
  const chain: string[] = [];
  let name = normalizeFqdn(start);
  for (let depth = 0; depth <= MAX_CNAME_CHAIN; depth++) {
    if (chain.includes(name)) return { kind: "loop", chain: [...chain, name] };
    chain.push(name);
    if (name.endsWith(TUNNEL_SUFFIX)) {
      const tunnelId = tunnelIdOf(name);
      return { kind: "tunnel", name, ...(tunnelId ? { tunnelId } : {}), chain };
    }
    const zone = zoneOf(name, zones);
    if (!zone) return { kind: "outside", name, chain };
    const records = recordsAt(name, zone);
    const cname = records.find((r) => r.type === "CNAME");
    if (cname) {
      if (isUnresolved(cname.content))
        return {
          kind: "unknown",
          why: `the CNAME ${name} points at ${cname.content.unresolved}, known only after apply`,
          chain,
        };
      name = normalizeFqdn(cname.content);
      continue;
    }
    const addresses: ResolvedAddress[] = [];
    for (const r of records) {
      if (r.type !== "A" && r.type !== "AAAA") continue;
      if (isUnresolved(r.content))
        return {
          kind: "unknown",
          why: `the ${r.type} record of ${name} is ${r.content.unresolved}, known only after apply`,
          chain,
        };
      const family = isIPv4(r.content) ? 4 : isIPv6(r.content) ? 6 : undefined;
      if (family) addresses.push({ address: r.content, family });
    }
    if (addresses.length === 0) return { kind: "missing", name, chain };
    addresses.sort((a, b) => a.family - b.family);
    return { kind: "addresses", addresses, chain };
  }
  return { kind: "loop", chain };
}

/** The account zone a name belongs to: the longest zone name it ends with. */
export function zoneOf(name: string, zones: readonly ZoneRecords[]): ZoneRecords | undefined {
  let best: ZoneRecords | undefined;
  for (const zone of zones) {
    const z = normalizeFqdn(zone.name);
    if ((name === z || name.endsWith(`.${z}`)) && (!best || z.length > best.name.length)) best = zone;
  }
  return best;
}

/** The records at a name, or the closest wildcard's when the name has none (RFC 4592). */
function recordsAt(name: string, zone: ZoneRecords): DnsRecord[] {
  const exact = zone.records.filter((r) => normalizeFqdn(r.fqdn) === name && isAddressOrAlias(r));
  if (exact.length > 0 || zone.records.some((r) => normalizeFqdn(r.fqdn) === name)) return exact;
  const labels = name.split(".");
  const apex = normalizeFqdn(zone.name);
  for (let i = 1; i < labels.length; i++) {
    const parent = labels.slice(i).join(".");
    if (parent.length < apex.length) break;
    const wildcard = `*.${parent}`;
    const matches = zone.records.filter((r) => normalizeFqdn(r.fqdn) === wildcard && isAddressOrAlias(r));
    if (matches.length > 0) return matches;
    // A name that exists between the wildcard and the query blocks the wildcard.
    if (zone.records.some((r) => normalizeFqdn(r.fqdn) === parent) && parent !== apex) return [];
  }
  return [];
}

function isAddressOrAlias(record: DnsRecord): boolean {
  return record.type === "A" || record.type === "AAAA" || record.type === "CNAME";
}
