/**
 * The drift benchmark's scenarios: the live zones the emulator serves and the same zones as code
 * (a Terraform JSON file) with every hundredth record pointing elsewhere, so the diff has work to do.
 * Shared by the benchmark, its floor and the tests that count requests.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ZoneSeed } from "../checks/emulator/seed.js";

export interface DriftScenario {
  /** e.g. `one zone, 10,000 records`. */
  readonly label: string;
  readonly zones: number;
  readonly recordsPerZone: number;
}

export const DRIFT_SCENARIOS: readonly DriftScenario[] = [
  { label: "one zone, 10,000 records", zones: 1, recordsPerZone: 10_000 },
  { label: "one zone, 100,000 records", zones: 1, recordsPerZone: 100_000 },
  { label: "200 zones x 500 records", zones: 200, recordsPerZone: 500 },
];

/** A zone's name: `bench.test` alone, else `z007.bench.test`. */
export function zoneName(scenario: DriftScenario, z: number): string {
  return scenario.zones === 1 ? "bench.test" : `z${String(z).padStart(3, "0")}.bench.test`;
}

/** An address in the benchmark range 198.18.0.0/15 (RFC 2544), never routed anywhere. */
function address(i: number): string {
  return `198.${18 + ((i >> 16) & 1)}.${(i >> 8) & 255}.${i & 255}`;
}

function records(scenario: DriftScenario, z: number) {
  const zone = zoneName(scenario, z);
  return Array.from({ length: scenario.recordsPerZone }, (_, i) => ({
    name: `h${i}.${zone}`,
    type: "A" as const,
    content: address(i),
    proxied: i % 3 === 0,
    ttl: i % 3 === 0 ? 1 : 300,
  }));
}

/** The live account: every zone with its records, SSL mode Full. */
export function liveSeed(scenario: DriftScenario): ZoneSeed[] {
  return Array.from({ length: scenario.zones }, (_, z) => ({
    name: zoneName(scenario, z),
    ssl: "full" as const,
    records: records(scenario, z),
  }));
}

/** How many DNS changes the code makes: every hundredth record of every zone. */
export function expectedChanges(scenario: DriftScenario): number {
  return scenario.zones * Math.ceil(scenario.recordsPerZone / 100);
}

/** The same account as Terraform JSON (zones found by name), every hundredth record changed. */
export function writeDesiredFile(dir: string, scenario: DriftScenario): string {
  const data: Record<string, unknown> = {};
  const resource: Record<string, unknown> = {};
  for (let z = 0; z < scenario.zones; z++) {
    const key = `z${z}`;
    data[key] = { filter: { name: zoneName(scenario, z) } };
    records(scenario, z).forEach((r, i) => {
      resource[`${key}_r${i}`] = {
        zone_id: `\${data.cloudflare_zone.${key}.zone_id}`,
        name: r.name,
        type: r.type,
        content: i % 100 === 0 ? address(scenario.recordsPerZone + i) : r.content,
        proxied: r.proxied,
        ttl: r.ttl,
      };
    });
  }
  const file = join(dir, `bench-${scenario.zones}x${scenario.recordsPerZone}.tf.json`);
  writeFileSync(
    file,
    JSON.stringify({ data: { cloudflare_zone: data }, resource: { cloudflare_dns_record: resource } }),
  );
  return file;
}
