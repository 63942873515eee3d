import ipaddr from "ipaddr.js";
import { describe, expect, it } from "vitest";
import {
  canonicalIpv4,
  PROHIBITED_PROXY_TARGETS,
  rangeContaining,
} from "../../checks/model/address-space.js";

/** The dotted-quad fast path must answer exactly what ipaddr.js answers. */
describe("rangeContaining", () => {
  const cloudflare = ["173.245.48.0/20", "104.16.0.0/13", "172.64.0.0/13", "2400:cb00::/32", "0.0.0.0/0"];

  /** The same question through ipaddr.js alone. */
  function slow(address: string, cidrs: readonly string[]): string | undefined {
    if (!ipaddr.isValid(address)) return undefined;
    const ip = ipaddr.parse(address);
    return cidrs.find((c) => {
      const [net, bits] = ipaddr.parseCIDR(c);
      return net.kind() === ip.kind() && ip.match(net, bits);
    });
  }

  it("agrees with ipaddr.js on addresses across the space, and on forms only ipaddr.js reads", () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const addresses = Array.from({ length: 5_000 }, () =>
      [next() & 255, next() & 255, next() & 255, next() & 255].join("."),
    );
    addresses.push("10.0.0.1", "127.0.0.1", "172.64.1.2", "172.71.255.255", "172.72.0.0", "0.0.0.0");
    addresses.push("255.255.255.255", "010.0.0.1", "10.1", "0x7f.0.0.1", "1.2.3.256", "::1", "2400:cb00::1");
    for (const cidrs of [PROHIBITED_PROXY_TARGETS, cloudflare, cloudflare.slice(0, 4)])
      for (const address of addresses)
        expect(rangeContaining(address, cidrs), address).toBe(slow(address, cidrs));
  });

  it("names the first range of the list that holds the address, for ranges of every length", () => {
    let seed = 11;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const quad = () => [next() & 255, next() & 255, next() & 255, next() & 255].join(".");
    for (let list = 0; list < 40; list++) {
      // Prefixes from /0 to /32, networks with host bits set, overlaps in either order.
      const cidrs = Array.from({ length: 1 + (next() % 12) }, () => `${quad()}/${next() % 33}`);
      cidrs.push("64.0.0.0/3", "96.0.0.0/4", "100.64.0.0/10", "100.64.1.0/24", "2001:2::/48");
      if (list % 2 === 0) cidrs.reverse();
      const addresses = Array.from({ length: 400 }, quad);
      // Addresses inside each range, at its first and last octet.
      for (const c of cidrs.filter((c) => !c.includes(":"))) {
        const [net, bits] = ipaddr.parseCIDR(c);
        const first = ipaddr.IPv4.networkAddressFromCIDR(`${net.toString()}/${bits}`).toString();
        const last = ipaddr.IPv4.broadcastAddressFromCIDR(`${net.toString()}/${bits}`).toString();
        addresses.push(first, last);
      }
      for (const address of addresses)
        expect(rangeContaining(address, cidrs), `${address} in ${cidrs.join(", ")}`).toBe(
          slow(address, cidrs),
        );
    }
  });

  it("reads only canonical dotted quads itself", () => {
    expect(canonicalIpv4("198.51.100.7")).toBe(198 * 256 ** 3 + 51 * 256 ** 2 + 100 * 256 + 7);
    expect(canonicalIpv4("0.0.0.0")).toBe(0);
    expect(canonicalIpv4("255.255.255.255")).toBe(2 ** 32 - 1);
    for (const other of [
      "01.2.3.4",
      "1.2.3",
      "1.2.3.4.5",
      "1..2.3",
      "256.1.1.1",
      "1.2.3.4 ",
      "",
      "a.b.c.d",
      "1.2.3.",
    ])
      expect(canonicalIpv4(other), other).toBeUndefined();
  });
});
