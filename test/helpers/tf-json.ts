import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Write a hand-made Terraform JSON document to a fresh temp folder; returns its path. */
export function writeTfJson(document: unknown, name = "main.tf.json"): string {
  const dir = mkdtempSync(join(tmpdir(), "cfpl-test-tf-"));
  const file = join(dir, name);
  writeFileSync(file, typeof document === "string" ? document : JSON.stringify(document, null, 2));
  return file;
}

/** A minimal zone plus the given records, as a hand-written file would declare them. */
export function zoneWithRecords(
  records: Record<string, Record<string, unknown>>,
  extra: Record<string, unknown> = {},
) {
  const withZone = Object.fromEntries(
    Object.entries(records).map(([k, v]) => [
      k,
      { zone_id: "${data.cloudflare_zone.main.zone_id}", ttl: 1, ...v },
    ]),
  );
  return {
    data: { cloudflare_zone: { main: { filter: { name: "example.com" } } } },
    resource: { cloudflare_dns_record: withZone, ...extra },
  };
}
