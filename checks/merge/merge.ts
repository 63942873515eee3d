import { canonicalJson } from "../canonical-json.js";
import { UsageError, VerifyError } from "../errors.js";
import { summarizeMigrations } from "../migration/summary.js";
import type { Drift } from "../model/change.js";
import type { Finding } from "../model/finding.js";
import { DEFAULT_MIGRATION_POLICY, type MigrationSummary } from "../model/migration.js";
import type { MergeInfo } from "../model/vantage.js";
import type { InputsSummary } from "../model/zone.js";
import { buildReport } from "../report/build.js";
import type { Report } from "../report/report.js";
import { finding } from "../rules/rule.js";
import { checkOneRun, type MissingShard, shardCoverage } from "./consistency.js";
import { type Disagreement, FindingsMerger } from "./merge-findings.js";
import { mergeCoverage, mergeDisagreement } from "./merge-rules.js";
import type { LoadedReport } from "./read-reports.js";

export interface MergeOptions {
  /** Report the missing shards as unknown instead of failing (exit 3). */
  readonly allowUnverified: boolean;
  /** What a failure from some vantages and not others becomes (default: blocking). */
  readonly partial: "block" | "warn";
}

/** How many disagreeing findings the `merge-disagreement` finding lists (all are kept in the report). */
const DISAGREEMENTS_LISTED = 50;

/**
 * Merge reports of one run, one at a time as they are read: check they are of one run (exit 2
 * otherwise, as soon as one is not), fold their findings together (see `FindingsMerger`), then
 * check every vantage probed every shard (exit 3 otherwise, unless allowUnverified: then each
 * missing shard is an unknown finding), and build one report with the drift and host migrations.
 */
export async function mergeReports(
  source: Iterable<LoadedReport> | AsyncIterable<LoadedReport>,
  options: MergeOptions,
): Promise<Report> {
  const merger = new FindingsMerger({ partial: options.partial });
  const reports: LoadedReport[] = [];
  for await (const { label, report } of source) {
    // What stays of a report once its findings are folded in: everything else is small.
    reports.push({ label, report: { ...report, findings: [] } });
    checkOneRun(reports);
    merger.add({
      who: `${report.vantage.name} ${report.vantage.shard.index}/${report.vantage.shard.count}`,
      vantage: report.vantage.name,
      families: report.vantage.families,
      probed: report.coverage.probes,
      findings: report.findings,
    });
  }
  if (reports.length === 0) throw new UsageError("merge: expected one or more JSON reports (or - for stdin)");
  const run = checkOneRun(reports);
  const { vantages, missing, probed } = shardCoverage(reports, run.shardCount);
  if (missing.length > 0 && !options.allowUnverified)
    throw new VerifyError(
      `${missing.length} shard(s) not probed: ${missing
        .slice(0, 10)
        .map(missingText)
        .join("; ")}${missing.length > 10 ? `; and ${missing.length - 10} more` : ""}`,
      "Each vantage must probe every shard 1..N (give all shards of one vantage the same --vantage-name) and every job's report must be merged.",
    );

  const merged = merger.finish();
  const findings: Finding[] = [
    ...merged.findings,
    ...missing.map(missingFinding),
    ...(merged.disagreements.length > 0 ? [disagreementFinding(merged.disagreements)] : []),
  ];

  const first = reports[0]!.report;
  const live = reports.every((r) => r.report.coverage.live);
  const liveSkipped = reports.find((r) => !r.report.coverage.live)?.report.coverage.liveSkipped;
  const probesRan = probed && missing.length === 0;
  const probesSkipped = !probed
    ? first.coverage.probesSkipped
    : missing.length > 0
      ? `shards not probed: ${missing.map((m) => `${m.vantage} ${m.shard}/${m.count}`).join(", ")}`
      : undefined;
  const info: MergeInfo = {
    reports: reports.length,
    shardCount: run.shardCount,
    totalTargets: run.totalTargets,
    targetsDigest: run.targetsDigest,
    vantages,
    partialFailures: options.partial,
  };
  return buildReport({
    findings,
    drift: mergeDrift(reports.map((r) => r.report.drift)),
    migrations: mergeMigrations(
      reports.map((r) => r.report.migrations),
      findings,
      probed,
      missing.length > 0,
    ),
    coverage: {
      live,
      probes: probesRan,
      ...(liveSkipped !== undefined ? { liveSkipped } : {}),
      ...(probesSkipped !== undefined ? { probesSkipped } : {}),
      files: first.coverage.files,
      zones: first.coverage.zones,
    },
    ...(first.inputs ? { inputs: first.inputs as InputsSummary } : {}),
    inputsDigest: run.inputsDigest,
    merge: info,
  });
}

function missingText(m: MissingShard): string {
  return `vantage ${m.vantage} shard ${m.shard}/${m.count} (${m.why})`;
}

function missingFinding(m: MissingShard): Finding {
  return finding(
    mergeCoverage,
    "unknown",
    {},
    `shard ${m.shard}/${m.count} was not probed from vantage ${m.vantage}: ${m.why}; its targets are not verified from there`,
    { vantage: m.vantage, shard: m.shard, count: m.count, why: m.why },
  );
}

function disagreementFinding(disagreements: readonly Disagreement[]): Finding {
  return finding(
    mergeDisagreement,
    "unknown",
    {},
    `${disagreements.length} finding(s) that do not depend on the probes differ between the reports (the live zone or Cloudflare's ranges may have changed between the jobs); each is kept, with the reports that have it`,
    {
      findings: disagreements.slice(0, DISAGREEMENTS_LISTED).map((d) => ({
        rule: d.finding.rule,
        subject: d.finding.subject,
        message: d.finding.message,
        seenIn: d.seenIn,
        missingFrom: d.missingFrom,
      })),
      ...(disagreements.length > DISAGREEMENTS_LISTED
        ? { more: disagreements.length - DISAGREEMENTS_LISTED }
        : {}),
    },
  );
}

/** Drift comes from the inputs and the live zone: the same in every report, else every distinct entry once. */
function mergeDrift(drifts: readonly Drift[]): Drift {
  const first = drifts[0]!;
  const firstText = JSON.stringify(first);
  if (drifts.every((d) => d === first || JSON.stringify(d) === firstText)) return first;
  const union = <T>(lists: readonly (readonly T[])[]): T[] => {
    const seen = new Map<string, T>();
    for (const list of lists)
      for (const item of list) seen.set(canonicalJson(item), seen.get(canonicalJson(item)) ?? item);
    return [...seen.values()];
  };
  return {
    dns: union(drifts.map((d) => d.dns)),
    settings: union(drifts.map((d) => d.settings)),
    firewall: union(drifts.map((d) => d.firewall)),
  };
}

/**
 * The host migrations every report found (they come from the live zone and the code), each
 * judged again from the merged findings: a migration blocked from one vantage is blocked, and
 * none is ready while shards are missing.
 */
function mergeMigrations(
  lists: readonly (readonly MigrationSummary[])[],
  findings: readonly Finding[],
  probed: boolean,
  shardsMissing: boolean,
): MigrationSummary[] {
  const byId = new Map<string, MigrationSummary>();
  for (const list of lists) for (const m of list) if (!byId.has(m.id)) byId.set(m.id, m);
  const parities = [...byId.values()].map((m) => ({
    migration: {
      id: m.id,
      zone: m.zone,
      from: m.from,
      to: m.to,
      hostnames: m.hostnames.map((h) => ({ ...h, old: [], new: [] })),
    },
    policy: DEFAULT_MIGRATION_POLICY,
    probed,
    pairs: [],
    ports: [],
    firewallExported: false,
  }));
  // With shards missing, a migration's hostnames may be among the targets nobody probed.
  return summarizeMigrations(parities, findings).map((m) =>
    shardsMissing && m.verdict === "ready" ? { ...m, verdict: "unverified" } : m,
  );
}
