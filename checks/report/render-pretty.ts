import { groupBy } from "../group-by.js";
import type { Finding } from "../model/finding.js";
import type { MigrationSummary, MigrationVerdict } from "../model/migration.js";
import { printableLines } from "../printable.js";
import { driftCountText, gatedDriftItems } from "./drift-items.js";
import { checksLabel, hostnamesLabel, migrationFindings, routeLabels, verdictWord } from "./migrations.js";
import type { Report } from "./report.js";
import { makeStyle, type Style } from "./style.js";
import { checkedNothing, inputsLine, vantageLine } from "./text.js";

export interface PrettyOptions {
  readonly color: boolean;
}

const ZONE_WIDE = "(zone-wide)";

/**
 * Every string of a value with its control characters made printable (lines and tabs kept): names,
 * contents and messages come from inputs and the live API, and the text goes to files and CI logs
 * as well as terminals, so only this renderer's own colours may be escape sequences.
 */
function printableDeep<T>(value: T): T {
  if (typeof value === "string") return printableLines(value) as T;
  if (Array.isArray(value)) return value.map(printableDeep) as T;
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = printableDeep(v);
    return out as T;
  }
  return value;
}

/** The terminal report: grouped by zone and hostname, the predicted error first (pure). */
export function renderPretty(unsafe: Report, options: PrettyOptions): string {
  const report = printableDeep(unsafe);
  const s = makeStyle(options.color);
  const lines: string[] = [];
  const { summary } = report;
  const drift = gatedDriftItems(report);
  const verdict =
    drift.length > 0
      ? `${s.red(s.bold("DRIFT"))}  ${driftCountText(drift)}`
      : summary.blocking > 0
        ? s.red(s.bold("BLOCKED"))
        : summary.unknown > 0
          ? s.yellow("UNVERIFIED PARTS")
          : checkedNothing(report)
            ? s.yellow("NOTHING CHECKED")
            : s.green("OK");
  lines.push(
    `${s.bold("cf-preflight")} ${report.tool.version}  ${verdict}${drift.length > 0 ? "; " : "  "}` +
      `${summary.blocking} blocking, ${summary.warnings} warning(s), ${summary.unknown} unknown, ${summary.passed} passed`,
  );

  const shown = report.findings.filter((f) => f.status !== "pass");
  const byZone = groupBy(shown, (f) => f.subject.zone ?? "(no zone)");
  for (const [zone, zoneFindings] of byZone) {
    lines.push("", s.bold(zone));
    const byHost = groupBy(zoneFindings, (f) => f.subject.hostname ?? ZONE_WIDE);
    for (const [host, hostFindings] of byHost) {
      lines.push(`  ${s.cyan(host)}`);
      for (const f of hostFindings) lines.push(...renderFinding(f, s));
    }
  }
  if (shown.length === 0) lines.push("", s.green("No findings."));

  if (report.migrations.length > 0) {
    lines.push("", s.bold("Migrations"));
    for (const m of report.migrations) lines.push(...renderMigration(report, m, s));
  }

  const { dns, settings, firewall } = report.drift;
  if (dns.length + settings.length + firewall.length > 0) {
    lines.push("", s.bold("Drift (code vs live)"));
    for (const c of dns) {
      const fields = c.fields.map((f) => `${f.field}: ${show(f.from)} → ${show(f.to)}`).join(", ");
      lines.push(`  ${actionMark(c.action, s)} ${c.type} ${c.fqdn}${fields ? `  ${s.dim(fields)}` : ""}`);
    }
    for (const c of settings) lines.push(`  ~ ${c.zone} ${c.setting}: ${show(c.live)} → ${show(c.desired)}`);
    for (const f of firewall) lines.push(`  ! ${f.origin}: ${f.message}`);
  }

  const c = report.coverage;
  lines.push(
    "",
    s.dim(
      `Checked ${c.zones.length} zone(s) from ${c.files.length} file(s); live API: ${c.live ? "read" : `not read${why(c.liveSkipped)}`}; ` +
        `origin probes: ${c.probes ? "run" : `not run${why(c.probesSkipped)}`}.`,
    ),
  );
  const read = inputsLine(report);
  if (read) lines.push(s.dim(`Inputs: ${read}.`));
  const where = vantageLine(report);
  if (where) lines.push(s.dim(`Vantage: ${where}.`));
  return `${lines.join("\n")}\n`;
}

/** ` (reason)`, when the report says why something was not done. */
function why(reason: string | undefined): string {
  return reason ? ` (${reason})` : "";
}

function renderFinding(f: Finding, s: Style): string[] {
  const mark = f.acknowledged
    ? s.dim("✓ ack")
    : f.blocking
      ? s.red("✖")
      : f.status === "unknown"
        ? s.yellow("?")
        : f.status === "warn" || f.status === "fail"
          ? s.yellow("▲")
          : s.green("✓");
  const code = f.predicts ? s.bold(f.predicts.padEnd(5)) : "     ";
  const where = [
    f.subject.address,
    f.subject.port !== undefined ? `port ${f.subject.port}` : undefined,
    f.subject.type,
  ]
    .filter(Boolean)
    .join(" ");
  const message = f.message.replace(/\n/g, "\n            ");
  const out = [`    ${mark} ${code} ${message}  ${s.dim(`[${f.rule}]`)}`];
  if (where) out.push(`            ${s.dim(where)}`);
  if (f.acknowledged) out.push(`            ${s.dim(`acknowledged: ${f.acknowledged.reason}`)}`);
  else if (f.status !== "pass") out.push(`            fix: ${f.fix}`);
  const code_ = f.subject.constructPath ?? f.subject.terraformAddress;
  if (code_) out.push(`            ${s.dim(`at ${code_}`)}`);
  return out;
}

function renderMigration(report: Report, m: MigrationSummary, s: Style): string[] {
  const route = routeLabels(m);
  const out = [
    `  ${verdictMark(m.verdict, s)} ${s.cyan(m.id)}`,
    `      zone:      ${m.zone}`,
    `      from:      ${route.from}`,
    `      to:        ${route.to}`,
    `      hostnames: ${hostnamesLabel(m)}`,
    `      checks:    ${checksLabel(m)}`,
  ];
  for (const f of migrationFindings(report, m.id)) {
    const mark = f.blocking ? s.red("✖") : f.status === "unknown" ? s.yellow("?") : s.yellow("▲");
    const code = f.predicts ? s.bold(f.predicts.padEnd(5)) : "     ";
    const host = f.subject.hostname ?? f.subject.zone ?? ZONE_WIDE;
    const message = f.message.replace(/\n/g, `\n${" ".repeat(14)}`);
    out.push(`      ${mark} ${code} ${host}  ${message}  ${s.dim(`[${f.rule}]`)}`);
  }
  return out;
}

const VERDICT_WIDTH = "NOT PROBED".length;

function verdictMark(verdict: MigrationVerdict, s: Style): string {
  const word = verdictWord(verdict).padEnd(VERDICT_WIDTH);
  if (verdict === "blocked") return s.red(s.bold(word));
  if (verdict === "ready") return s.green(word);
  return s.yellow(word);
}

function actionMark(action: "create" | "update" | "delete", s: Style): string {
  return action === "create" ? s.green("+") : action === "delete" ? s.red("-") : s.yellow("~");
}

function show(value: unknown): string {
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}
