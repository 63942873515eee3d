import { TTL_AUTO } from "../model/record.js";
import { finding, type Rule } from "./rule.js";
import { isProxied, recordEvidence, recordSubject } from "./subject.js";

export const proxiedTtlNotAuto: Rule = {
  id: "proxied-ttl-not-auto",
  predicts: null,
  checks: "A proxied record has TTL automatic (1).",
  why:
    "Cloudflare stores every proxied record with TTL automatic whatever the code says, so the code " +
    "and the zone disagree forever and every plan shows a change that never lands.",
  fix: "Set ttl = 1 on proxied records (or make the record DNS-only if the TTL matters).",
  needs: [],
  evaluate({ desired }) {
    return desired.zones.flatMap((zone) =>
      zone.records
        .filter((r) => isProxied(r) && typeof r.ttl === "number" && r.ttl !== TTL_AUTO)
        .map((r) =>
          finding(
            this,
            "warn",
            recordSubject(zone, r),
            `proxied record ${r.fqdn} sets TTL ${String(r.ttl)}; Cloudflare will store it as automatic`,
            recordEvidence(r),
          ),
        ),
    );
  },
};
