import ipaddr from "ipaddr.js";

/**
 * Address ranges the API refuses behind a proxied record (9003): private, loopback, link-local,
 * CGNAT, unique local, unspecified, multicast and other reserved space. Checked 2026-11-21 against
 * dns/proxy-status and the API's 9003 error. 172.64.0.0/13 is Cloudflare's, not private.
 */
export const PROHIBITED_PROXY_TARGETS: readonly string[] = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "224.0.0.0/4",
  "240.0.0.0/4",
  "::/128",
  "::1/128",
  "::ffff:0:0/96",
  "fc00::/7",
  "fe80::/10",
  "ff00::/8",
];

/**
 * Documentation ranges (RFC 5737, RFC 3849). Examples and tests use them; they are not reachable on
 * the internet, so the checker never probes them unless `--connect-to` maps them somewhere real.
 */
export const DOCUMENTATION_RANGES: readonly string[] = [
  "192.0.2.0/24",
  "198.51.100.0/24",
  "203.0.113.0/24",
  "2001:db8::/32",
];

type Parsed = [ipaddr.IPv4 | ipaddr.IPv6, number];

const cache = new Map<readonly string[], Parsed[]>();

function parsedRanges(cidrs: readonly string[]): Parsed[] {
  let parsed = cache.get(cidrs);
  if (!parsed) {
    parsed = cidrs.map((c) => ipaddr.parseCIDR(c));
    cache.set(cidrs, parsed);
  }
  return parsed;
}

/** The first range of `cidrs` that contains `address`, or undefined. Invalid addresses match nothing. */
export function rangeContaining(address: string, cidrs: readonly string[]): string | undefined {
  if (!ipaddr.isValid(address)) return undefined;
  const ip = ipaddr.parse(address);
  const ranges = parsedRanges(cidrs);
  for (let i = 0; i < ranges.length; i++) {
    const [net, bits] = ranges[i]!;
    if (net.kind() === ip.kind() && ip.match(net, bits)) return cidrs[i];
  }
  return undefined;
}

export function isDocumentationAddress(address: string): boolean {
  return rangeContaining(address, DOCUMENTATION_RANGES) !== undefined;
}
