import ipaddr from "ipaddr.js";
import { DOCUMENTATION_CIDRS } from "./limits.js";

const RANGES = DOCUMENTATION_CIDRS.map((cidr) => ipaddr.parseCIDR(cidr));

/** Whether an address is reserved for documentation (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32). */
export function isDocumentationAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return RANGES.some(([net, bits]) => net.kind() === parsed.kind() && parsed.match(net, bits));
}

/** 4 or 6 for an IP address, undefined for anything else. */
export function ipFamily(address: string): 4 | 6 | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) return 4;
  if (address.includes(":") && ipaddr.IPv6.isValid(address)) return 6;
  return undefined;
}
