import type { FirewallDrift } from "../model/change.js";
import type { Finding, FindingStatus } from "../model/finding.js";
import { finding, type Rule, type RuleContext } from "./rule.js";

/** Rules over the firewall part of the drift (pure). DNS and settings drift are reported as drift, not findings. */
function firewallRule(
  id: string,
  kinds: readonly FirewallDrift["kind"][],
  status: (d: FirewallDrift) => FindingStatus,
  wording: Pick<Rule, "predicts" | "checks" | "why" | "fix" | "needs">,
): Rule {
  return {
    id,
    ...wording,
    evaluate(context: RuleContext): Finding[] {
      return (context.drift?.firewall ?? [])
        .filter((d) => kinds.includes(d.kind))
        .map((d) =>
          finding(
            this,
            status(d),
            { ...(d.zone ? { zone: d.zone } : {}) },
            `${d.origin}: ${d.message}`,
            {
              origin: d.origin,
              kind: d.kind,
              ...(d.ports !== undefined ? { ports: d.ports } : {}),
              cidrs: d.cidrs,
              ...(d.rules !== undefined ? { rules: d.rules } : {}),
              ranges:
                context.ranges.origin === "live"
                  ? `live /ips (etag ${context.ranges.etag ?? "none"})`
                  : `snapshot of ${context.ranges.capturedAt}`,
            },
            { predicts: d.predicts },
          ),
        );
    },
  };
}

export const allowlistMissingRanges = firewallRule(
  "allowlist-missing-ranges",
  ["missing-cloudflare-ranges"],
  () => "fail",
  {
    predicts: "522",
    checks: "Each origin's declared allowlist admits every Cloudflare range (live /ips).",
    why: "Cloudflare connects from all its ranges; a firewall that drops some of them gives 522 to visitors served by the colos using those ranges (521 if it rejects).",
    fix: "Admit every range from https://www.cloudflare.com/ips (or the API's /ips) and refresh the list when its etag changes.",
    needs: [],
  },
);

export const allowlistExposed = firewallRule("allowlist-exposed", ["exposed-to-everyone"], () => "warn", {
  predicts: null,
  checks: "No origin allowlist admits the whole internet (0.0.0.0/0 or ::/0).",
  why: "An origin open to everyone can be reached around Cloudflare, bypassing the WAF and DDoS protection.",
  fix: "Admit only Cloudflare's ranges on the origin's web ports.",
  needs: [],
});

export const firewallEnforcement = firewallRule(
  "firewall-enforcement",
  ["enforced-missing", "enforced-extra", "enforced-unknown"],
  (d) => (d.kind === "enforced-missing" ? "fail" : d.kind === "enforced-unknown" ? "unknown" : "warn"),
  {
    predicts: "522",
    checks:
      "The origin's real firewall (an nft or iptables export, or the cloud firewall the configuration declares and the allowlist names) admits Cloudflare's ranges on the origin's ports; rules the checker cannot decide (iptables-nft `xt` matches, rate limits, interface or mark matches, unresolved sets, DNAT, security groups or tags as sources) make the ports they touch unknown.",
    why: "The code says Cloudflare's ranges get in; if the real ruleset drops some, visitors get 522; if it admits more, the origin is exposed. A rule the checker cannot read could do either.",
    fix: "Bring the origin's ruleset or cloud firewall in line with the declared allowlist (reference data.cloudflare_ip_ranges rather than a copy of the list); for an unknown, export the ruleset with `iptables-save` on hosts using iptables-nft, or replace the rule the finding names with matches on source address and port.",
    needs: [],
  },
);

export const ipListDrift = firewallRule("ip-list-drift", ["list-missing", "list-extra"], () => "warn", {
  predicts: null,
  checks: "Account IP lists hold exactly the items the code declares.",
  why: "IP lists feed firewall and WAF rules; an item added or removed by hand changes who gets in.",
  fix: "Deploy the code, or bring the declaration in line with the list.",
  needs: ["live"],
});

export const zoneNotActive: Rule = {
  id: "zone-not-active",
  predicts: null,
  checks: "Every zone the code declares is active on Cloudflare.",
  why: "A pending or paused zone does not proxy: records serve origin addresses directly, and Origin CA certificates are untrusted by browsers.",
  fix: "Finish the zone's activation (nameservers) or unpause it before relying on the proxy.",
  needs: ["live"],
  evaluate(context) {
    return (context.live?.zones ?? [])
      .filter((z) => z.status !== "active")
      .map((z) =>
        finding(this, "warn", { zone: z.name }, `zone ${z.name} is ${z.status}, not active`, {
          status: z.status,
        }),
      );
  },
};
