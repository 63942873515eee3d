import { readTerraformJsonDocument } from "../../checks/desired/read.js";
import type { LiveState } from "../../checks/model/zone.js";
import { SNAPSHOT_RANGES } from "../../checks/preflight.js";
import type { RuleContext } from "../../checks/rules/rule.js";

/** A rule context from a hand-written Terraform JSON document (no files, no network). */
export async function contextFor(
  document: unknown,
  extra: Partial<RuleContext> & { live?: LiveState } = {},
): Promise<RuleContext> {
  const desired = await readTerraformJsonDocument(document, "test.tf.json");
  return {
    desired,
    ranges: SNAPSHOT_RANGES,
    vantage: "unknown",
    now: new Date("2026-11-21T00:00:00Z"),
    ...extra,
  };
}

export const ZONE_REF = "${data.cloudflare_zone.main.zone_id}";

/** A site declaration block for hand-written documents. */
export function site(zone: Record<string, unknown>) {
  return {
    "//": { cf_preflight: { schemaVersion: 1, zones: [{ zone: "example.com", zoneId: ZONE_REF, ...zone }] } },
  };
}
