import { InputError } from "../errors.js";
import type { AddressFamily, MergedVantage } from "../model/vantage.js";
import type { LoadedReport } from "./read-reports.js";

/** What the reports share once they are known to be of one run. */
export interface RunShape {
  readonly shardCount: number;
  readonly inputsDigest: string;
  /** Null when no report made a probe plan (every run had `--no-probes`). */
  readonly totalTargets: number | null;
  readonly targetsDigest: string | null;
}

function short(digest: string): string {
  return `${digest.slice(0, 19)}…`;
}

/**
 * The reports must be of one run (pure): the same inputs (inputsDigest), the same split
 * (shard count), the same probe targets (their count and digest, wherever a plan was made), and one
 * report per vantage and shard. Anything else is bad input (exit 2), naming both reports: merging
 * reports of different runs would give a verdict about neither.
 */
export function checkOneRun(reports: readonly LoadedReport[]): RunShape {
  const first = reports[0]!;
  const planned = reports.find((r) => r.report.vantage.shard.targetsDigest !== null);
  const seen = new Map<string, LoadedReport>();
  for (const r of reports) {
    const { vantage, inputsDigest } = r.report;
    const shard = vantage.shard;
    if (inputsDigest !== first.report.inputsDigest)
      throw new InputError(
        r.label,
        "inputsDigest",
        `the inputs of ${first.label}: reports of one run check the same commit with the same --config, --firewall exports, --origin-ca and options (--no-live, --after, --parity-path, --latency-factor)`,
        `got ${short(inputsDigest)}, ${first.label} has ${short(first.report.inputsDigest)}`,
      );
    if (shard.count !== first.report.vantage.shard.count)
      throw new InputError(
        r.label,
        "vantage.shard.count",
        `the shard count of ${first.label} (${first.report.vantage.shard.count}): every report of a run splits it the same way`,
        `got ${shard.index}/${shard.count}`,
      );
    if (planned !== undefined && shard.targetsDigest !== null) {
      const other = planned.report.vantage.shard;
      if (shard.totalTargets !== other.totalTargets || shard.targetsDigest !== other.targetsDigest)
        throw new InputError(
          r.label,
          "vantage.shard.targetsDigest",
          `the probe targets of ${planned.label} (${other.totalTargets} targets, ${short(other.targetsDigest!)}): a run's shards split one target set (the live SSL mode may have changed between the runs, or --connect-to differs)`,
          `got ${shard.totalTargets} targets, ${short(shard.targetsDigest)}`,
        );
    }
    const key = `${vantage.name}\u0000${shard.index}`;
    const twin = seen.get(key);
    if (twin !== undefined)
      throw new InputError(
        r.label,
        "vantage",
        `one report per vantage and shard: ${twin.label} is also shard ${shard.index}/${shard.count} from vantage ${vantage.name} (give each runner of a matrix its own --vantage-name or --shard)`,
      );
    seen.set(key, r);
  }
  const total = planned?.report.vantage.shard.totalTargets ?? null;
  if (total !== null) checkShardSums(reports, total);
  return {
    shardCount: first.report.vantage.shard.count,
    inputsDigest: first.report.inputsDigest,
    totalTargets: total,
    targetsDigest: planned?.report.vantage.shard.targetsDigest ?? null,
  };
}

/**
 * The shards of one vantage that are all present must hold every target once: their counts add up
 * to the run's total. Otherwise the split was not the same (bad input, not a coverage gap).
 */
function checkShardSums(reports: readonly LoadedReport[], total: number): void {
  for (const [name, mine] of byVantage(reports)) {
    const shards = mine.filter((r) => r.report.coverage.probes);
    if (shards.length !== mine[0]!.report.vantage.shard.count) continue;
    const sum = shards.reduce((n, r) => n + r.report.vantage.shard.targets, 0);
    if (sum !== total)
      throw new InputError(
        shards[0]!.label,
        "vantage.shard.targets",
        `the shards of vantage ${name} to hold the run's ${total} targets between them (the same split in every shard)`,
        `they hold ${sum}`,
      );
  }
}

export function byVantage(reports: readonly LoadedReport[]): Map<string, LoadedReport[]> {
  const out = new Map<string, LoadedReport[]>();
  for (const r of reports) {
    const list = out.get(r.report.vantage.name) ?? [];
    list.push(r);
    out.set(r.report.vantage.name, list);
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A vantage and shard that no report probed. */
export interface MissingShard {
  readonly vantage: string;
  readonly shard: number;
  readonly count: number;
  /** Why: no report at all, or the report's probes did not run (its `probesSkipped`). */
  readonly why: string;
}

/**
 * Coverage (pure): every vantage must have probed every shard 1..N; the shards of a vantage are its
 * reports whose probes ran. A run in which no report probed anything (`--no-probes` everywhere)
 * needs no shards. Returns the vantages as the merged report lists them and what is missing.
 */
export function shardCoverage(
  reports: readonly LoadedReport[],
  shardCount: number,
): { vantages: MergedVantage[]; missing: MissingShard[]; probed: boolean } {
  const probed = reports.some((r) => r.report.coverage.probes);
  const vantages: MergedVantage[] = [];
  const missing: MissingShard[] = [];
  for (const [name, mine] of byVantage(reports)) {
    const covered = mine.filter((r) => r.report.coverage.probes);
    const shards = covered.map((r) => r.report.vantage.shard.index).sort((a, b) => a - b);
    vantages.push({
      name,
      families: commonFamilies(mine),
      shards,
      targets: covered.reduce((n, r) => n + r.report.vantage.shard.targets, 0),
    });
    if (!probed) continue;
    for (let shard = 1; shard <= shardCount; shard++) {
      if (shards.includes(shard)) continue;
      const skipped = mine.find((r) => r.report.vantage.shard.index === shard);
      missing.push({
        vantage: name,
        shard,
        count: shardCount,
        why: skipped
          ? `its report ${skipped.label} did not probe (${skipped.report.coverage.probesSkipped ?? "probes not run"})`
          : "no report",
      });
    }
  }
  return { vantages, missing, probed };
}

/** The families every report of a vantage could use. */
function commonFamilies(reports: readonly LoadedReport[]): AddressFamily[] {
  return (["ipv4", "ipv6"] as const).filter((f) =>
    reports.every((r) => r.report.vantage.families.includes(f)),
  );
}
