import { PROHIBITED_PROXY_TARGETS, rangeContaining } from "../model/address-space.js";
import { API_ERRORS } from "../model/cloudflare-facts.js";
import type { Finding } from "../model/finding.js";
import { known } from "../model/value.js";
import { finding, type Rule } from "./rule.js";
import { isProxied, recordEvidence, recordSubject } from "./subject.js";

export const proxiedTargetProhibited: Rule = {
  id: "proxied-target-prohibited",
  predicts: API_ERRORS.prohibitedTarget,
  checks: "A proxied A/AAAA record points at a public address that is not Cloudflare's own.",
  why:
    "The API refuses proxied records to private or reserved space (9003), and a record pointing at a " +
    "Cloudflare address loops back into Cloudflare (1000, DNS points to prohibited IP).",
  fix: "Point the record at the origin's public address, or make it DNS-only if it is an internal name.",
  needs: [],
  evaluate({ desired, ranges }) {
    const cloudflare = [...ranges.ipv4, ...ranges.ipv6];
    const findings: Finding[] = [];
    // Loops by index, not flatMap or for-of: a zone of 100,000 records would make an empty list,
    // or an iterator result, for each.
    for (const zone of desired.zones) {
      const records = zone.records;
      for (let i = 0; i < records.length; i++) {
        const r = records[i]!;
        if (!isProxied(r) || (r.type !== "A" && r.type !== "AAAA")) continue;
        const address = known(r.content);
        if (address === undefined) continue;
        const prohibited = rangeContaining(address, PROHIBITED_PROXY_TARGETS);
        if (prohibited) {
          findings.push(
            finding(
              this,
              "fail",
              recordSubject(zone, r),
              `proxied ${r.type} record ${r.fqdn} points at ${address}, in ${prohibited}, which Cloudflare cannot proxy to`,
              { ...recordEvidence(r), range: prohibited },
            ),
          );
          continue;
        }
        const own = rangeContaining(address, cloudflare);
        if (own)
          findings.push(
            finding(
              this,
              "fail",
              recordSubject(zone, r),
              `proxied ${r.type} record ${r.fqdn} points at ${address}, a Cloudflare address (${own})`,
              { ...recordEvidence(r), range: own, ranges: ranges.origin },
              { predicts: API_ERRORS.prohibitedIp },
            ),
          );
      }
    }
    return findings;
  },
};
