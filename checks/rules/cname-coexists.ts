import { API_ERRORS } from "../model/cloudflare-facts.js";
import { finding, type Rule } from "./rule.js";
import { recordEvidence, recordSubject, recordsByName } from "./subject.js";

export const cnameCoexists: Rule = {
  id: "cname-coexists",
  predicts: API_ERRORS.cnameConflict,
  checks: "A CNAME is the only record on its name.",
  why:
    "A name with a CNAME can hold no other record (RFC 1034); the API refuses the second one " +
    "(81053 for the CNAME, 81054 for a record beside it), so the deploy fails part-way.",
  fix: "Keep either the CNAME or the other records on that name; for the apex, Cloudflare flattens a CNAME.",
  needs: [],
  evaluate({ desired }) {
    return desired.zones.flatMap((zone) =>
      [...recordsByName(zone.records).values()].flatMap((records) => {
        const cnames = records.filter((r) => r.type === "CNAME");
        if (cnames.length === 0 || records.length < 2) return [];
        const others = records.filter((r) => r !== cnames[0]);
        const cname = cnames[0]!;
        return [
          finding(
            this,
            "fail",
            recordSubject(zone, cname),
            `CNAME ${cname.fqdn} shares its name with ${others.length} other record(s): ${others.map((r) => r.type).join(", ")}`,
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
