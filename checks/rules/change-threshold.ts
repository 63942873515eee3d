import { isManagedByCloudflare } from "../diff/cloudflare-normalize.js";
import { groupBy } from "../group-by.js";
import { onlyUnresolved, type RecordChange } from "../model/change.js";
import type { Finding } from "../model/finding.js";
import type { MigrationPolicy } from "../model/migration.js";
import { type DnsRecord, normalizeFqdn } from "../model/record.js";
import { known } from "../model/value.js";
import type { LiveZone } from "../model/zone.js";
import { finding, type Rule } from "./rule.js";
import { codeLocation, zonesWithChanges } from "./subject.js";

/** How many changed records a failing finding names as a sample. */
const SAMPLE_SIZE = 5;

/**
 * Floating-point slack for the share comparison: 0.57 * 100 is 56.99999999999999, and a change of
 * exactly the threshold must pass.
 */
const EPSILON = 1e-9;

/** What a deploy would do to one zone's live records (creates left out: they touch nothing live). */
export interface ZoneChangeCount {
  readonly updates: number;
  readonly deletes: number;
  /** Live records the diff manages (read-only, Cloudflare-managed records left out). */
  readonly records: number;
  readonly changes: readonly RecordChange[];
}

/**
 * Count the updates and deletes `changes` make to `live`, and the records it holds (pure). With a
 * plan (`planDeletes`), only the records the plan deletes are deletes: a live record the
 * configuration does not manage stays where it is, whatever the code says.
 */
export function countZoneChanges(
  live: LiveZone,
  changes: readonly RecordChange[],
  planDeletes?: readonly DnsRecord[],
): ZoneChangeCount {
  const zone = normalizeFqdn(live.name);
  const deleted =
    planDeletes === undefined
      ? undefined
      : new Set(
          planDeletes.map((r) => `${normalizeFqdn(r.fqdn)} ${r.type} ${String(known(r.content) ?? "")}`),
        );
  const touching = changes.filter(
    (c) =>
      (c.action === "update" || c.action === "delete") &&
      normalizeFqdn(c.zone) === zone &&
      !onlyUnresolved(c) &&
      (c.action !== "delete" ||
        deleted === undefined ||
        deleted.has(`${normalizeFqdn(c.fqdn)} ${c.type} ${String(known(c.live?.content) ?? "")}`)),
  );
  return {
    updates: touching.filter((c) => c.action === "update").length,
    deletes: touching.filter((c) => c.action === "delete").length,
    records: countManaged(live.records),
    changes: touching,
  };
}

/** Whether `count` breaks `policy`: a zone of at least the minimum size with too large a share changed. */
export function overThreshold(count: ZoneChangeCount, policy: MigrationPolicy): boolean {
  if (count.records < policy.minZoneRecords) return false;
  return count.updates + count.deletes > policy.maxChangeShare * count.records + EPSILON;
}

/** A share as a percentage with at most one decimal: 0.3 -> "30%", 5/12 -> "41.7%". */
export function percent(share: number): string {
  return `${String(Math.round(share * 1000) / 10)}%`;
}

export const changeThreshold: Rule = {
  id: "change-threshold",
  predicts: null,
  checks:
    "A deploy updates or deletes at most the zone's maximum share of its records (default 30%, in zones of 10 records or more).",
  why:
    "A change that rewrites a large part of a zone at once is usually a mistake (a wrong zone, a lost " +
    "state file, a rename gone wrong), and if it is not, it is still safer in smaller steps: octoDNS " +
    "refuses such plans unless forced.",
  fix:
    "Split the change into smaller deploys, or acknowledge it in code with a reason " +
    '({ rule: "change-threshold", reason: "..." } in the zone\'s acknowledgements).',
  needs: ["live"],
  evaluate(context) {
    const out: Finding[] = [];
    // The plan's deletes by zone, grouped once (not filtered again for every zone).
    const deletesByZone = groupBy(context.desired.deletes ?? [], (d) => normalizeFqdn(d.zone));
    for (const { desired, live, changes } of zonesWithChanges(context)) {
      const policy = desired.migration;
      const planDeletes = context.desired.deletesKnown
        ? (deletesByZone.get(normalizeFqdn(live.name)) ?? []).map((d) => d.record)
        : undefined;
      const count = countZoneChanges(live, changes, planDeletes);
      const changed = count.updates + count.deletes;
      const share = count.records === 0 ? 0 : changed / count.records;
      const subject = { zone: live.name, ...codeLocation(desired.source) };
      const evidence = {
        updates: count.updates,
        deletes: count.deletes,
        records: count.records,
        share,
        threshold: policy.maxChangeShare,
        minZoneRecords: policy.minZoneRecords,
      };
      const what = `updates ${String(count.updates)} and deletes ${String(count.deletes)} of ${String(count.records)} records`;
      if (overThreshold(count, policy)) {
        out.push(
          finding(
            this,
            "fail",
            subject,
            `${live.name}: the change ${what} (${percent(share)}), over the ${percent(policy.maxChangeShare)} threshold`,
            {
              ...evidence,
              sample: count.changes
                .slice(0, SAMPLE_SIZE)
                .map((c) => ({ action: c.action, fqdn: c.fqdn, type: c.type })),
            },
          ),
        );
      } else if (count.records < policy.minZoneRecords) {
        out.push(
          finding(
            this,
            "pass",
            subject,
            `${live.name}: the change ${what} (${percent(share)}); zones under ${String(policy.minZoneRecords)} records are exempt from the ${percent(policy.maxChangeShare)} threshold`,
            evidence,
          ),
        );
      } else {
        out.push(
          finding(
            this,
            "pass",
            subject,
            `${live.name}: the change ${what} (${percent(share)}), within the ${percent(policy.maxChangeShare)} threshold`,
            evidence,
          ),
        );
      }
    }
    return out;
  },
};

/** Live records the diff manages, counted without a list of them (a zone may hold 100,000). */
function countManaged(records: readonly DnsRecord[]): number {
  let n = 0;
  for (let i = 0; i < records.length; i++) if (!isManagedByCloudflare(records[i]!)) n += 1;
  return n;
}
