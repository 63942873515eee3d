import { describe, expect, it } from "vitest";
import { ipv4Routable, ipv6Routable } from "../../checks/shard/families.js";

const V4_HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT";

/** /proc/net/ipv6_route lines: dest, prefix length, source, its length, next hop, metric, refcnt, use, flags, iface. */
function v6(dest: string, len: string, flags: string, iface: string): string {
  const zero = "0".repeat(32);
  return `${dest} ${len} ${zero} 00 ${zero} 00000100 00000001 00000000 ${flags} ${iface}`;
}
const LOOPBACK_ONLY = [
  v6(`${"0".repeat(31)}1`, "80", "80200001", "lo"),
  v6("0".repeat(32), "00", "00200200", "lo"), // the kernel's unreachable default
].join("\n");
const LINK_LOCAL = [
  v6(`fe80${"0".repeat(28)}`, "40", "00000001", "eth0"),
  v6(`fe80${"0".repeat(12)}00fc00fffe000001`, "80", "80200001", "eth0"),
  v6(`ff00${"0".repeat(28)}`, "08", "00000001", "eth0"),
].join("\n");

describe("the address families a vantage can use (/proc routes)", () => {
  it("IPv4: a route through an interface other than loopback", () => {
    expect(ipv4Routable(`${V4_HEADER}\neth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0`)).toBe(
      true,
    );
    expect(ipv4Routable(`${V4_HEADER}\n`)).toBe(false);
    expect(ipv4Routable(`${V4_HEADER}\nlo\t0000007F\t00000000\t0001\t0\t0\t0\t000000FF\t0\t0\t0`)).toBe(
      false,
    );
    // `ip route add unreachable ...`: RTF_REJECT.
    expect(ipv4Routable(`${V4_HEADER}\neth0\t00000000\t00000000\t0201\t0\t0\t0\t00000000\t0\t0\t0`)).toBe(
      false,
    );
  });

  it("IPv6: not loopback, local, link-local, multicast or reject routes", () => {
    expect(ipv6Routable("")).toBe(false);
    expect(ipv6Routable(LOOPBACK_ONLY)).toBe(false);
    expect(ipv6Routable(`${LOOPBACK_ONLY}\n${LINK_LOCAL}`)).toBe(false);
    expect(ipv6Routable(`${LINK_LOCAL}\n${v6(`20010002${"0".repeat(24)}`, "40", "00000001", "veth0")}`)).toBe(
      true,
    );
    expect(ipv6Routable(v6("0".repeat(32), "00", "00000003", "eth0"))).toBe(true); // a default route
    expect(ipv6Routable(v6("0".repeat(32), "00", "00000201", "eth0"))).toBe(false); // unreachable
  });
});
