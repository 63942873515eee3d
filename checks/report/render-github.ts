import { migrationFindings, migrationLevel, migrationSentence } from "./migrations.js";
import type { Report } from "./report.js";
import { codeLabel, inputsLine, severity, subjectLabel, vantageLine, verdictLine } from "./text.js";

/** GitHub workflow commands escape these in messages and properties. */
function data(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function property(text: string): string {
  return data(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/**
 * GitHub Actions workflow annotations: ::error for blocking findings, ::warning, ::notice; then one
 * per host migration (::error blocked, ::warning unverified or not probed, ::notice ready) (pure).
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
  const notes = [verdictLine(report), inputsLine(report), vantageLine(report)].filter(Boolean).join("\n");
  lines.push(`::notice title=cf-preflight::${data(notes)}`);
  return `${lines.join("\n")}\n`;
}
