import type { Drift } from "../model/change.js";
import type { Finding } from "../model/finding.js";
import type { MigrationSummary } from "../model/migration.js";
import type { MergeInfo, VantageInfo } from "../model/vantage.js";
import type { InputsSummary } from "../model/zone.js";
import { VERSION } from "../version.js";
import { REPORT_SCHEMA_VERSION, type Report, summarize } from "./report.js";

const STATUS_ORDER = { fail: 0, unknown: 1, warn: 2, pass: 3 } as const;

/** Blocking first, then by status, zone, hostname and rule: a stable order every reporter shares. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      Number(b.blocking) - Number(a.blocking) ||
      Number(Boolean(a.acknowledged)) - Number(Boolean(b.acknowledged)) ||
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      compareText(a.subject.zone ?? "", b.subject.zone ?? "") ||
      compareText(a.subject.hostname ?? "", b.subject.hostname ?? "") ||
      compareText(a.rule, b.rule) ||
      compareText(a.subject.address ?? "", b.subject.address ?? "") ||
      (a.subject.port ?? 0) - (b.subject.port ?? 0),
  );
}

/** Lower-case letters, digits, `-` and `.`: what zone names, hostnames, rule ids and IPv4 addresses are. */
const PLAIN = /^[a-z0-9.-]*$/;

/**
 * `localeCompare`'s order. For plain names (`PLAIN`) it is the order of their code units (the
 * collation ranks `-` before `.` before digits before letters, as their codes do), compared without
 * loading ICU's collation, which takes longer than a small run's whole report.
 */
function compareText(a: string, b: string): number {
  if (PLAIN.test(a) && PLAIN.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return a.localeCompare(b);
}

export function buildReport(input: {
  findings: readonly Finding[];
  drift: Drift;
  migrations?: readonly MigrationSummary[];
  coverage: Report["coverage"];
  inputs?: InputsSummary;
  vantage?: VantageInfo;
  inputsDigest?: string;
  merge?: MergeInfo;
}): Report {
  const findings = sortFindings(input.findings);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: "cf-preflight", version: VERSION },
    summary: summarize(findings),
    findings,
    drift: input.drift,
    migrations: input.migrations ?? [],
    ...(input.inputs ? { inputs: input.inputs } : {}),
    coverage: input.coverage,
    ...(input.vantage ? { vantage: input.vantage } : {}),
    ...(input.inputsDigest ? { inputsDigest: input.inputsDigest } : {}),
    ...(input.merge ? { merge: input.merge } : {}),
  };
}
