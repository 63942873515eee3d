/**
 * Benchmark (not a test): host-migration detection over large zones. Every `check` with live state
 * plans Cloudflare's connections twice (live and desired) to find the hostnames that move, so
 * this must stay cheap next to reading the zone. Zones of proxied A records, 1% of them moved to
 * another origin; detection runs in-process on the model, timed after a warm-up.
 *
 *   npm run build && node dist/bench/migration-bench.js          # 10000 and 100000
 *   node dist/bench/migration-bench.js 50000                     # other sizes
 */
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { detectMigrations, type MigrationZoneInput } from "../checks/migration/detect.js";
import type { DnsRecord } from "../checks/model/record.js";
import type { ProbePlanZone } from "../checks/probe/plan.js";

export interface MigrationBenchRow {
  readonly records: number;
  readonly moved: number;
  readonly migrations: number;
  readonly ms: number;
  readonly heapMb: number;
}

function record(i: number, content: string): DnsRecord {
  return { fqdn: `h${i}.bench.test`, type: "A", content, proxied: true, ttl: 1 };
}

function zone(records: DnsRecord[]): ProbePlanZone {
  return { name: "bench.test", sslMode: "strict", records, originRules: [], origins: [] };
}

/** Four old origins share the zone; the 1% that moves goes to one new origin (four migrations). */
export const OLD_ORIGINS = 4;

function input(count: number): MigrationZoneInput {
  const live = Array.from({ length: count }, (_, i) => record(i, `198.18.0.${1 + (i % OLD_ORIGINS)}`));
  // 1% moves, spread over the four old origins: i % 400 in 0..3.
  const desired = live.map((r, i) => (i % 400 < OLD_ORIGINS ? { ...r, content: "198.19.0.1" } : r));
  return { name: "bench.test", live: zone(live), desired: zone(desired) };
}

export function runMigrationBench(sizes: readonly number[] = [10_000, 100_000]): MigrationBenchRow[] {
  return sizes.map((count) => {
    const zones = [input(count)];
    detectMigrations(zones); // warm-up
    globalThis.gc?.();
    const before = process.memoryUsage().heapUsed;
    const started = performance.now();
    const migrations = detectMigrations(zones);
    const ms = performance.now() - started;
    const heapMb = Math.max(0, process.memoryUsage().heapUsed - before) / 1024 / 1024;
    const moved = migrations.reduce((n, m) => n + m.hostnames.length, 0);
    return { records: count, moved, migrations: migrations.length, ms, heapMb };
  });
}

export function formatMigrationTable(rows: readonly MigrationBenchRow[]): string {
  const lines = [
    "| records | moving hostnames | migrations | detection | heap growth |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const r of rows)
    lines.push(
      `| ${r.records.toLocaleString("en")} | ${r.moved} | ${r.migrations} | ${r.ms.toFixed(0)} ms | ${r.heapMb.toFixed(0)} MB |`,
    );
  return lines.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  const rows = runMigrationBench(sizes.length > 0 ? sizes : undefined);
  console.log(formatMigrationTable(rows));
  const wrong = rows.some((r) => r.moved !== Math.ceil(r.records / 100) || r.migrations !== OLD_ORIGINS);
  if (wrong) {
    console.error(`wrong result: expected 1% of the records to move, in ${OLD_ORIGINS} migrations`);
    process.exitCode = 1;
  }
}
