import { relative } from "node:path";
import type { Finding } from "../model/finding.js";
import type { Rule } from "../rules/rule.js";
import { DRIFT_RULES, type DriftItem, gatedDriftItems } from "./drift-items.js";
import type { Report } from "./report.js";
import { severity, subjectLabel } from "./text.js";

export interface SarifOptions {
  /** Files are reported relative to this folder (the repository root). */
  readonly baseDir: string;
  readonly rules: readonly Rule[];
}

const INFORMATION_URI = "https://github.com/cf-preflight/cf-preflight";

/** SARIF 2.1.0 for code scanning: one run, rules with help text, results at the construct (pure). */
export function renderSarif(report: Report, options: SarifOptions): string {
  const drift = gatedDriftItems(report);
  const used = [...new Set([...report.findings.map((f) => f.rule), ...drift.map((d) => d.rule)])];
  const rules = used.map(
    (id) => options.rules.find((r) => r.id === id) ?? DRIFT_RULES.find((r) => r.id === id) ?? unknownRule(id),
  );
  const results = [
    ...report.findings
      .filter((f) => severity(f) !== "none")
      .map((f) => result(f, used.indexOf(f.rule), options)),
    ...drift.map((d) => driftResult(d, used.indexOf(d.rule), options)),
  ];
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "cf-preflight",
            version: report.tool.version,
            informationUri: INFORMATION_URI,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id,
              shortDescription: { text: r.checks },
              fullDescription: { text: r.why },
              help: { text: `${r.why}\nFix: ${r.fix}`, markdown: `${r.why}\n\n**Fix:** ${r.fix}` },
              properties: {
                predicts: r.predicts,
                tags: ["cloudflare", ...(r.predicts ? [`predicts-${r.predicts}`] : [])],
              },
            })),
          },
        },
        results,
        properties: {
          summary: report.summary,
          coverage: report.coverage,
          ...(report.inputs ? { inputs: report.inputs } : {}),
          ...(report.migrations.length > 0 ? { migrations: report.migrations } : {}),
          ...(report.gate ? { gate: report.gate } : {}),
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function result(f: Finding, ruleIndex: number, options: SarifOptions) {
  const level = severity(f) as "error" | "warning" | "note";
  const logical = [
    ...(f.subject.constructPath ? [{ fullyQualifiedName: f.subject.constructPath, kind: "resource" }] : []),
    ...(f.subject.terraformAddress ? [{ name: f.subject.terraformAddress, kind: "resource" }] : []),
  ];
  const location = {
    ...(f.subject.file
      ? { physicalLocation: { artifactLocation: { uri: toUri(relative(options.baseDir, f.subject.file)) } } }
      : {}),
    ...(logical.length > 0 ? { logicalLocations: logical } : {}),
    message: { text: subjectLabel(f) },
  };
  return {
    ruleId: f.rule,
    ruleIndex,
    level,
    message: { text: `${f.predicts ? `[${f.predicts}] ` : ""}${f.message}` },
    ...(f.subject.file || logical.length > 0 ? { locations: [location] } : {}),
    partialFingerprints: {
      subject: [
        f.rule,
        f.subject.zone,
        f.subject.hostname,
        f.subject.type,
        f.subject.address,
        f.subject.port,
      ].join("|"),
    },
    properties: {
      predicts: f.predicts,
      status: f.status,
      blocking: f.blocking,
      subject: f.subject,
      fix: f.fix,
      ...(f.migration !== undefined ? { migration: f.migration } : {}),
    },
  };
}

/**
 * A difference of a report that gates on drift: an error (the run exits 4 on it, an unknown one
 * too), at the declaration in code when there is one.
 */
function driftResult(d: DriftItem, ruleIndex: number, options: SarifOptions) {
  const logical = [
    ...(d.source?.constructPath ? [{ fullyQualifiedName: d.source.constructPath, kind: "resource" }] : []),
    ...(d.source?.address ? [{ name: d.source.address, kind: "resource" }] : []),
  ];
  const location = {
    ...(d.source
      ? { physicalLocation: { artifactLocation: { uri: toUri(relative(options.baseDir, d.source.file)) } } }
      : {}),
    ...(logical.length > 0 ? { logicalLocations: logical } : {}),
    message: { text: d.label },
  };
  return {
    ruleId: d.rule,
    ruleIndex,
    level: "error" as const,
    message: { text: d.message },
    ...(d.source ? { locations: [location] } : {}),
    partialFingerprints: { subject: [d.rule, d.key].join("|") },
    properties: { zone: d.zone, subject: d.label, unknown: d.unknown, predicts: d.predicts },
  };
}

function toUri(path: string): string {
  return path.split("\\").join("/").split("/").map(encodeURIComponent).join("/");
}

function unknownRule(id: string): Rule {
  return { id, predicts: null, checks: id, why: id, fix: "See the finding.", needs: [], evaluate: () => [] };
}
