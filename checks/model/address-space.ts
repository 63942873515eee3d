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

interface V4Range {
  readonly net: number;
  readonly bits: number;
  /** Its place in the list given, so the first range of the list that matches is the one named. */
  readonly index: number;
}

interface ParsedRanges {
  /** Every range through ipaddr.js, parsed when an address of another form than a dotted quad asks. */
  all?: readonly Parsed[];
  /**
   * The IPv4 ranges as 32-bit networks and prefix lengths, by the first octet of the addresses they
   * hold (a range shorter than /8 under each of its octets), in the list's order: an address is
   * held only against the few ranges that can contain it (the proxied-target rule asks for every
   * proxied address record).
   */
  readonly v4ByOctet: readonly (readonly V4Range[] | undefined)[];
}

const cache = new WeakMap<readonly string[], ParsedRanges>();

/** `a.b.c.d/n` in canonical form as a network and prefix length, or undefined (then ipaddr.js reads it). */
function canonicalIpv4Cidr(cidr: string): { net: number; bits: number } | undefined {
  const slash = cidr.indexOf("/");
  const net = slash < 0 ? undefined : canonicalIpv4(cidr.slice(0, slash));
  const bits = Number(cidr.slice(slash + 1));
  return net !== undefined && /^\d{1,2}$/.test(cidr.slice(slash + 1)) && bits <= 32
    ? { net, bits }
    : undefined;
}

function parsedRanges(cidrs: readonly string[]): ParsedRanges {
  let parsed = cache.get(cidrs);
  if (!parsed) {
    const v4: V4Range[] = [];
    let all: Parsed[] | undefined;
    cidrs.forEach((cidr, index) => {
      if (cidr.includes(":")) return;
      const plain = canonicalIpv4Cidr(cidr);
      if (plain) v4.push({ ...plain, index });
      else {
        // An IPv4 range in another form: read by ipaddr.js, like everything else then.
        all ??= cidrs.map((c) => ipaddr.parseCIDR(c));
        const [net, bits] = all[index]!;
        if (net.kind() === "ipv4") v4.push({ net: toUint32((net as ipaddr.IPv4).octets), bits, index });
      }
    });
    const v4ByOctet = byFirstOctet(v4);
    parsed = all === undefined ? { v4ByOctet } : { v4ByOctet, all };
    cache.set(cidrs, parsed);
  }
  return parsed;
}

function byFirstOctet(ranges: readonly V4Range[]): (V4Range[] | undefined)[] {
  const buckets: (V4Range[] | undefined)[] = new Array(256).fill(undefined);
  for (const range of ranges) {
    // A /n shorter than /8 spans 2^(8-n) first octets; its network's host bits do not count.
    const span = range.bits >= 8 ? 1 : 2 ** (8 - range.bits);
    const first = (range.net >>> 24) & ~(span - 1);
    for (let octet = first; octet < first + span; octet++) {
      const bucket = buckets[octet];
      if (bucket === undefined) buckets[octet] = [range];
      else bucket.push(range);
    }
  }
  return buckets;
}

function toUint32(octets: readonly number[]): number {
  return ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
}

/**
 * A dotted quad in its canonical form (four decimal numbers 0-255, no leading zeros) as a 32-bit
 * number, or undefined for anything else (which ipaddr.js then reads, with its other forms).
 */
export function canonicalIpv4(address: string): number | undefined {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < address.length; i++) {
    const c = address.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return undefined;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots += 1;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return undefined;
      part = part * 10 + (c - 48);
      digits += 1;
      if (part > 255) return undefined;
    } else return undefined;
  }
  if (dots !== 3 || digits === 0) return undefined;
  return value * 256 + part;
}

/** The first range of `cidrs` that contains `address`, or undefined. Invalid addresses match nothing. */
export function rangeContaining(address: string, cidrs: readonly string[]): string | undefined {
  const ranges = parsedRanges(cidrs);
  const v4 = canonicalIpv4(address);
  if (v4 !== undefined) {
    // The common case, without parsing objects: a prefix of `bits` bits equal to the network's,
    // among the ranges under the address's first octet.
    const v4s = ranges.v4ByOctet[v4 >>> 24];
    if (v4s === undefined) return undefined;
    for (let i = 0; i < v4s.length; i++) {
      const { net, bits, index } = v4s[i]!;
      if (bits === 0 || (v4 ^ net) >>> (32 - bits) === 0) return cidrs[index];
    }
    return undefined;
  }
  if (!ipaddr.isValid(address)) return undefined;
  const ip = ipaddr.parse(address);
  ranges.all ??= cidrs.map((c) => ipaddr.parseCIDR(c));
  for (let i = 0; i < ranges.all.length; i++) {
    const [net, bits] = ranges.all[i]!;
    if (net.kind() === ip.kind() && ip.match(net, bits)) return cidrs[i];
  }
  return undefined;
}

export function isDocumentationAddress(address: string): boolean {
  return rangeContaining(address, DOCUMENTATION_RANGES) !== undefined;
}
