import type { EdgeRoute } from "../edge/route.js";
import type { Finding } from "../model/finding.js";
import { finding, type Rule } from "./rule.js";
import { codeLocation, zoneLabel } from "./subject.js";

/** Rules judged from the edge's routes themselves, before any probe (pure). */

function subjectOf(route: EdgeRoute) {
  return {
    zone: route.zone,
    hostname: route.hostname,
    type: route.recordType,
    ...codeLocation(route.records[0]?.source),
  };
}

export const originNameResolution: Rule = {
  id: "origin-name-resolution",
  predicts: "1016",
  checks:
    "A proxied hostname's origin name inside the account's zones (a CNAME chain, an origin rule's host override) ends at an A or AAAA record.",
  why: "Cloudflare answers names inside the account from the zones' records, not public DNS: a chain that ends at a name with no record, or that loops, leaves the edge without an origin address, and visitors get 530 with error 1016.",
  fix: "Create the record the chain ends at (in the same change), or point the CNAME or the origin rule at a name that exists.",
  needs: [],
  evaluate({ routes }) {
    const out: Finding[] = [];
    for (const route of routes ?? []) {
      const t = route.target;
      if (t.kind === "missing")
        out.push(
          finding(
            this,
            "fail",
            subjectOf(route),
            `${route.hostname}: ${t.via} ends at ${t.name}, which has no A, AAAA or CNAME record in the account's zones`,
            {
              chain: t.via,
              name: t.name,
            },
          ),
        );
      else if (t.kind === "loop")
        out.push(
          finding(
            this,
            "fail",
            subjectOf(route),
            `${route.hostname}: the CNAME chain loops (${t.chain.join(" → ")})`,
            {
              chain: t.chain,
            },
          ),
        );
    }
    return out;
  },
};

/** The suffix of Cloudflare Tunnel names; they are only reachable through Cloudflare's proxy. */
const TUNNEL_NAME = /\.cfargotunnel\.com\.?$/i;

export const tunnelCnameProxied: Rule = {
  id: "tunnel-cname-proxied",
  predicts: null,
  checks: "A CNAME to a Cloudflare Tunnel (<uuid>.cfargotunnel.com) is proxied.",
  why: "cfargotunnel.com names do not resolve publicly: a DNS-only CNAME to a tunnel sends visitors to a name that has no address, so the site does not load at all.",
  fix: "Set proxied = true on the record (tunnel routes are served only through Cloudflare's proxy).",
  needs: [],
  evaluate({ desired }) {
    const out: Finding[] = [];
    for (const zone of desired.zones) {
      const records = zone.records;
      // By index: a for-of over a zone of 100,000 records makes an iterator result for each.
      for (let i = 0; i < records.length; i++) {
        const record = records[i]!;
        if (record.type !== "CNAME" || record.proxied !== false) continue;
        if (typeof record.content !== "string" || !TUNNEL_NAME.test(record.content)) continue;
        out.push(
          finding(
            this,
            "fail",
            { zone: zoneLabel(zone), hostname: record.fqdn, type: "CNAME", ...codeLocation(record.source) },
            `${record.fqdn} is a DNS-only CNAME to the tunnel ${record.content}: visitors cannot resolve it`,
            {
              content: record.content,
              proxied: false,
            },
          ),
        );
      }
    }
    return out;
  },
};
