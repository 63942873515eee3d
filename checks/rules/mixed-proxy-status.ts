import { finding, type Rule } from "./rule.js";
import { recordSubject, sharedNames } from "./subject.js";

export const mixedProxyStatus: Rule = {
  id: "mixed-proxy-status",
  predicts: null,
  checks: "The A and AAAA records of one name are all proxied or all DNS-only.",
  why:
    "If any A/AAAA record on a name is proxied, Cloudflare treats all of them as proxied: the " +
    "DNS-only ones silently go through the proxy, to origins that may not expect it.",
  fix: "Give every A/AAAA record of the name the same proxied value, or move the DNS-only address to its own name.",
  needs: [],
  evaluate({ desired }) {
    return desired.zones.flatMap((zone) =>
      sharedNames(zone.records).flatMap((records) => {
        const addresses = records.filter((r) => r.type === "A" || r.type === "AAAA");
        const proxied = addresses.filter((r) => r.proxied === true);
        const direct = addresses.filter((r) => r.proxied === false);
        if (proxied.length === 0 || direct.length === 0) return [];
        return [
          finding(
            this,
            "warn",
            recordSubject(zone, direct[0]!),
            `${direct[0]!.fqdn} mixes ${proxied.length} proxied and ${direct.length} DNS-only A/AAAA records; all will be proxied`,
            {
              proxied: proxied.map((r) => `${r.type} ${String(r.content)}`),
              dnsOnly: direct.map((r) => `${r.type} ${String(r.content)}`),
            },
          ),
        ];
      }),
    );
  },
};
