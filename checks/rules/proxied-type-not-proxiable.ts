import { API_ERRORS } from "../model/cloudflare-facts.js";
import { PROXIABLE_TYPES } from "../model/record.js";
import { finding, type Rule } from "./rule.js";
import { isProxied, recordEvidence, recordSubject } from "./subject.js";

export const proxiedTypeNotProxiable: Rule = {
  id: "proxied-type-not-proxiable",
  predicts: API_ERRORS.notProxiable,
  checks: "Only A, AAAA and CNAME records are proxied.",
  why: "The API refuses a proxied record of any other type (9004), so the deploy fails half-way.",
  fix: "Set proxied = false on the record (MX, TXT and the rest are always DNS-only).",
  needs: [],
  evaluate({ desired }) {
    return desired.zones.flatMap((zone) =>
      zone.records
        .filter((r) => isProxied(r) && !PROXIABLE_TYPES.includes(r.type))
        .map((r) =>
          finding(
            this,
            "fail",
            recordSubject(zone, r),
            `${r.type} record ${r.fqdn} is proxied, but only A, AAAA and CNAME records can be`,
            recordEvidence(r),
          ),
        ),
    );
  },
};
