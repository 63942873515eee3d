import { API_ERRORS } from "../model/cloudflare-facts.js";
import type { DnsRecord } from "../model/record.js";
import { known } from "../model/value.js";
import { finding, type Rule } from "./rule.js";
import { recordEvidence, recordSubject, sharedNames } from "./subject.js";

export const cnameCoexists: Rule = {
  id: "cname-coexists",
  predicts: API_ERRORS.cnameConflict,
  checks:
    "A CNAME is the only record on its name (at the zone apex, where Cloudflare flattens CNAMEs, the only address record).",
  why:
    "A name with a CNAME can hold no other record (RFC 1034); the API refuses the second one " +
    "(81053 for the CNAME, 81054 for a record beside it), so the deploy fails part-way.",
  fix: "Keep either the CNAME or the other records on that name; for the apex, Cloudflare flattens a CNAME.",
  needs: [],
  evaluate({ desired }) {
    return desired.zones.flatMap((zone) =>
      sharedNames(zone.records).flatMap((records) => {
        const cnames = records.filter((r) => r.type === "CNAME");
        if (cnames.length === 0) return [];
        const cname = cnames[0]!;
        const zoneName = known(zone.name);
        const apex = isApex(cname, zoneName);
        const others = records.filter((r) => r !== cname && (!apex || ADDRESS_TYPES.has(r.type)));
        if (others.length === 0) return [];
        // Without the zone's name (a literal zone id, offline) the name may be the apex, where
        // Cloudflare flattens the CNAME and MX/TXT beside it are fine: not known, not a failure.
        const mayBeApex =
          zoneName === undefined &&
          others.every((r) => !ADDRESS_TYPES.has(r.type)) &&
          cname.fqdn.includes(".");
        return [
          finding(
            this,
            mayBeApex ? "unknown" : "fail",
            recordSubject(zone, cname),
            `CNAME ${cname.fqdn} shares its name with ${others.length} other record(s): ${others.map((r) => r.type).join(", ")}${mayBeApex ? "; if it is the zone's apex (its name is known only from the API), Cloudflare flattens the CNAME and this is fine" : ""}`,
            {
              ...recordEvidence(cname),
              others: others.map((r) => ({ type: r.type, address: r.source?.address })),
            },
          ),
        ];
      }),
    );
  },
};

/**
 * Cloudflare flattens a CNAME at the zone apex, so it may sit beside MX, TXT, CAA and the rest
 * (developers.cloudflare.com/dns/cname-flattening, checked 2026-11-30); an A, AAAA or second
 * CNAME on the apex still conflicts.
 */
const ADDRESS_TYPES: ReadonlySet<string> = new Set(["A", "AAAA", "CNAME"]);

function isApex(record: DnsRecord, zoneName: string | undefined): boolean {
  return record.fqdn === "@" || (zoneName !== undefined && record.fqdn === zoneName);
}
