import { printableLines } from "../printable.js";
import { type DriftItem, driftCountText, gatedDriftItems } from "./drift-items.js";
import { migrationFindings, migrationLevel, migrationSentence } from "./migrations.js";
import type { Report } from "./report.js";
import { codeLabel, inputsLine, severity, subjectLabel, vantageLine, verdictLine } from "./text.js";

/**
 * A message: control characters made printable (lines and tabs kept; an escape sequence would drive
 * the log viewer and any terminal the log is replayed in), then GitHub's workflow-command escaping
 * of %, CR and LF, so nothing in the text ends the command or starts another.
 */
function data(text: string): string {
  return printableLines(text).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
/** A property (file, title): as a message, and also : and , escaped. */
function property(text: string): string {
  return data(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/**
 * GitHub Actions workflow annotations: ::error for blocking findings, ::warning, ::notice; then one
 * per host migration (::error blocked, ::warning unverified or not probed, ::notice ready); an
 * ::error per drift difference when the report gates on drift; then the verdict (pure).
 */
export function renderGithub(
  report: Report,
  options: { relativeFile?: (file: string) => string } = {},
): string {
  const lines: string[] = [];
  for (const f of report.findings) {
    const level = severity(f);
    if (level === "none") continue;
    const command = level === "error" ? "error" : level === "warning" ? "warning" : "notice";
    const file = f.subject.file ? (options.relativeFile?.(f.subject.file) ?? f.subject.file) : undefined;
    const title = `${f.predicts ? `${f.predicts} ` : ""}${f.rule} ${subjectLabel(f)}`;
    const props = [file ? `file=${property(file)}` : undefined, `title=${property(title)}`]
      .filter(Boolean)
      .join(",");
    const at = codeLabel(f) ? `\nat ${codeLabel(f)}` : "";
    lines.push(`::${command} ${props}::${data(`${f.message}\nfix: ${f.fix}${at}`)}`);
  }
  for (const m of report.migrations) {
    const level = migrationLevel(m.verdict);
    const command = level === "error" ? "error" : level === "warning" ? "warning" : "notice";
    const because = migrationFindings(report, m.id).map(
      (f) => `${f.predicts ? `${f.predicts} ` : ""}${f.rule} ${subjectLabel(f)}: ${f.message}`,
    );
    const text = [migrationSentence(m), ...because].join("\n");
    lines.push(`::${command} title=${property(`migration ${m.id}`)}::${data(text)}`);
  }
  const drift = gatedDriftItems(report);
  lines.push(...driftAnnotations(drift, options));
  const notes = [verdictLine(report), inputsLine(report), vantageLine(report)].filter(Boolean).join("\n");
  lines.push(`::${drift.length > 0 ? "error" : "notice"} title=cf-preflight::${data(notes)}`);
  return `${lines.join("\n")}\n`;
}

/**
 * GitHub shows at most 10 error annotations per step (actions/toolkit, docs/problem-matchers.md,
 * "Limitations"; checked 2026-11-30); the rest are dropped without a word.
 */
export const GITHUB_ERRORS_PER_STEP = 10;

/**
 * An error per difference of a report that gates on drift (an unknown one too: the run exits 4 on
 * it). When there are more than fit beside the verdict, the first ones and one that counts the rest.
 */
function driftAnnotations(
  drift: readonly DriftItem[],
  options: { relativeFile?: (file: string) => string },
): string[] {
  const fits = drift.length <= GITHUB_ERRORS_PER_STEP - 1;
  const shown = fits ? drift : drift.slice(0, GITHUB_ERRORS_PER_STEP - 2);
  const lines = shown.map((d) => {
    const file = d.source ? (options.relativeFile?.(d.source.file) ?? d.source.file) : undefined;
    const props = [file ? `file=${property(file)}` : undefined, `title=${property(`${d.rule} ${d.label}`)}`]
      .filter(Boolean)
      .join(",");
    const at = d.source?.constructPath ?? d.source?.address;
    return `::error ${props}::${data(`${d.message}${at ? `\nat ${at}` : ""}`)}`;
  });
  if (!fits)
    lines.push(
      `::error title=${property("drift")}::${data(
        `${drift.length - shown.length} more drift difference(s) not annotated (${driftCountText(drift)} in all); the JSON, Markdown or SARIF report lists every one`,
      )}`,
    );
  return lines;
}
