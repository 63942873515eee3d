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
      (a.subject.zone ?? "").localeCompare(b.subject.zone ?? "") ||
      (a.subject.hostname ?? "").localeCompare(b.subject.hostname ?? "") ||
      a.rule.localeCompare(b.rule) ||
      (a.subject.address ?? "").localeCompare(b.subject.address ?? "") ||
      (a.subject.port ?? 0) - (b.subject.port ?? 0),
  );
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
