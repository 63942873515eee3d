/**
 * nftables rulesets for the new origin (pure text). Both admit the web ports from the lab's own
 * ranges (198.18.0.0/15 and 2001:2::/48: where the checker runs, so the vantage is allowed
 * through) and drop everything else; ICMPv6 stays open for neighbour discovery.
 */
const LAB_V4 = "198.18.0.0/15";
const LAB_V6 = "2001:2::/48";

function ruleset(v4: readonly string[], v6: readonly string[]): string {
  return `
table inet cfpl_migration {
  chain input {
    type filter hook input priority filter; policy drop;
    ct state established,related accept
    iif "lo" accept
    meta l4proto ipv6-icmp accept
    ip saddr { ${v4.join(", ")} } tcp dport { 80, 443 } accept
    ip6 saddr { ${v6.join(", ")} } tcp dport { 80, 443 } accept
  }
}
`;
}

/** A ready origin's firewall: Cloudflare's ranges and the lab get in (the lab is one warning: extra). */
export function cloudflareRuleset(ranges: {
  readonly ipv4_cidrs?: readonly string[];
  readonly ipv6_cidrs?: readonly string[];
}): string {
  const v4 = ranges.ipv4_cidrs ?? [];
  const v6 = ranges.ipv6_cidrs ?? [];
  if (v4.length === 0 || v6.length === 0) throw new Error("cloudflareRuleset: no Cloudflare ranges given");
  return ruleset([...v4, LAB_V4], [...v6, LAB_V6]);
}

/** The broken firewall: only the lab gets in, Cloudflare's ranges are dropped (522 once DNS moves). */
export const LAB_ONLY_RULESET = ruleset([LAB_V4], [LAB_V6]);
