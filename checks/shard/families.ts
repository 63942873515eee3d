import { readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import type { AddressFamily } from "../model/vantage.js";

/** Route flags of Linux's routing table (include/uapi/linux/route.h, ipv6_route.h). */
const RTF_UP = 0x0001;
const RTF_REJECT = 0x0200;
const RTF_LOCAL = 0x80000000;

/**
 * Whether `/proc/net/route` (the IPv4 main table) holds a usable route: up, not a reject route
 * (`ip route add unreachable ...`), not through the loopback interface.
 */
export function ipv4Routable(procNetRoute: string): boolean {
  return procNetRoute
    .split("\n")
    .slice(1)
    .some((line) => {
      const [iface, , , flags] = line.trim().split(/\s+/);
      if (iface === undefined || flags === undefined || iface === "lo") return false;
      const f = Number.parseInt(flags, 16);
      return (f & RTF_UP) !== 0 && (f & RTF_REJECT) === 0;
    });
}

/**
 * Whether `/proc/net/ipv6_route` (every table) holds a usable route: up, not a reject or local
 * route, not through loopback, and not to link-local (fe80::/10) or multicast (ff00::/8) space,
 * which every interface gets whether or not IPv6 reaches anywhere.
 */
export function ipv6Routable(procNetIpv6Route: string): boolean {
  return procNetIpv6Route.split("\n").some((line) => {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10) return false;
    const dest = fields[0]!;
    const flags = Number.parseInt(fields[8]!, 16);
    const iface = fields[9]!;
    if (iface === "lo" || (flags & RTF_UP) === 0 || (flags & (RTF_REJECT | RTF_LOCAL)) !== 0) return false;
    const first = Number.parseInt(dest.slice(0, 4), 16);
    const linkLocal = (first & 0xffc0) === 0xfe80;
    const multicast = (first & 0xff00) === 0xff00;
    return !linkLocal && !multicast;
  });
}

/** Without /proc (macOS, Windows runners): a family is usable when an interface has an address of it beyond loopback and link-local. */
function familiesFromInterfaces(): AddressFamily[] {
  const addresses = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  const out: AddressFamily[] = [];
  if (addresses.some((a) => a.family === "IPv4" && !a.internal && !a.address.startsWith("169.254.")))
    out.push("ipv4");
  if (addresses.some((a) => a.family === "IPv6" && !a.internal && !/^fe[89ab]/i.test(a.address)))
    out.push("ipv6");
  return out;
}

/**
 * The address families the probes can use from here (the report's `vantage.families`): on Linux,
 * those with a route in this network namespace; elsewhere, those with an address beyond loopback
 * and link-local. `merge` does not count a vantage's failures to reach an address of a family it
 * lacks when another vantage has that family.
 */
export function usableFamilies(): AddressFamily[] {
  let v4: string;
  let v6: string;
  try {
    v4 = readFileSync("/proc/net/route", "utf8");
  } catch {
    return familiesFromInterfaces();
  }
  try {
    v6 = readFileSync("/proc/net/ipv6_route", "utf8");
  } catch {
    v6 = ""; // IPv6 disabled in the kernel.
  }
  const out: AddressFamily[] = [];
  if (ipv4Routable(v4)) out.push("ipv4");
  if (ipv6Routable(v6)) out.push("ipv6");
  return out;
}
