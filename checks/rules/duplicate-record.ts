import { normalizeContent } from "../diff/cloudflare-normalize.js";
import { API_ERRORS } from "../model/cloudflare-facts.js";
import { isUnresolved } from "../model/value.js";
import { finding, type Rule } from "./rule.js";
import { recordEvidence, recordSubject, sharedNames } from "./subject.js";

export const duplicateRecord: Rule = {
  id: "duplicate-record",
  predicts: API_ERRORS.identicalRecord,
  checks: "No two records have the same name, type and content.",
  why: "The API refuses the second identical record (81058), so the deploy fails part-way.",
  fix: "Remove one of the two declarations.",
  needs: [],
  evaluate({ desired }) {
    return desired.zones.flatMap((zone) =>
      // Records are duplicates only on the same name: names with one record are passed over.
      sharedNames(zone.records).flatMap((records) => {
        const seen = new Map<string, (typeof zone.records)[number]>();
        return records.flatMap((r) => {
          if (isUnresolved(r.content)) return [];
          // Compared as Cloudflare stores it: `2001:DB8:0:0::1` and `2001:db8::1` are one record.
          const content = normalizeContent(r.type, r.content);
          const key = `${r.type}\u0000${content}`;
          const first = seen.get(key);
          if (!first) {
            seen.set(key, r);
            return [];
          }
          return [
            finding(
              this,
              "fail",
              recordSubject(zone, r),
              `${r.type} ${r.fqdn} → ${content} is declared twice`,
              {
                ...recordEvidence(r),
                firstDeclaredAt: first.source?.address ?? first.source?.constructPath,
              },
            ),
          ];
        });
      }),
    );
  },
};
