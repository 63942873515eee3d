import type { RecordChange } from "../model/change.js";
import type { MigrationVerdict } from "../model/migration.js";
import { printable } from "../printable.js";
import { hostnamesLabel, migrationFindings, routeLabels, verdictWord } from "./migrations.js";
import type { Report } from "./report.js";
import { codeLabel, inputsLine, subjectLabel, vantageLine, verdictLine } from "./text.js";

const ICON = { error: "❌", warning: "⚠️", note: "❔", none: "✅" } as const;
const VERDICT_ICON: Readonly<Record<MigrationVerdict, string>> = {
  ready: ICON.none,
  blocked: ICON.error,
  unverified: ICON.note,
  "not-probed": ICON.note,
};

/**
 * A table cell: `&` and `<` as entities (a record's `<!--` would hide the rest of the report, and
 * other tags render or vanish), `|` escaped, lines as `<br>`, control characters made printable.
 */
function cell(value: unknown): string {
  const text = typeof value === "object" && value !== null ? JSON.stringify(value) : String(value ?? "");
  return printable(
    text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>"),
  );
}

/** Markdown for `$GITHUB_STEP_SUMMARY` and pull request comments (pure). */
export function renderMarkdown(report: Report): string {
  const out: string[] = [`## cf-preflight — ${verdictLine(report)}`, ""];
  const shown = report.findings.filter((f) => f.status !== "pass");
  if (shown.length > 0) {
    out.push(
      "| | predicts | where | finding | fix | rule | code |",
      "| --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const f of shown) {
      const icon = f.acknowledged
        ? "☑️"
        : f.blocking
          ? ICON.error
          : f.status === "unknown"
            ? ICON.note
            : ICON.warning;
      const ack = f.acknowledged ? ` _(acknowledged: ${f.acknowledged.reason})_` : "";
      out.push(
        `| ${icon} | ${f.predicts ?? ""} | ${cell(subjectLabel(f))} | ${cell(f.message)}${cell(ack)} | ${cell(f.fix)} | \`${f.rule}\` | ${codeLabel(f) ? `\`${cell(codeLabel(f))}\`` : ""} |`,
      );
    }
  } else out.push("No findings.");

  out.push(...migrationsSection(report));

  const zones = new Set([
    ...report.drift.dns.map((c) => c.zone),
    ...report.drift.settings.map((c) => c.zone),
  ]);
  for (const zone of zones) {
    out.push("", `### Drift in ${cell(zone)}`, "");
    const dns = report.drift.dns.filter((c) => c.zone === zone);
    if (dns.length > 0) {
      out.push("| action | type | name | content | changes |", "| --- | --- | --- | --- | --- |");
      for (const c of dns)
        out.push(
          `| ${c.action} | ${c.type} | ${cell(c.fqdn)} | ${cell(contentOf(c))} | ${cell(changes(c))} |`,
        );
    }
    for (const s of report.drift.settings.filter((c) => c.zone === zone))
      out.push("", `- setting \`${s.setting}\`: live \`${cell(s.live)}\`, code \`${cell(s.desired)}\``);
  }
  if (report.drift.firewall.length > 0) {
    out.push(
      "",
      "### Firewall drift",
      "",
      "| origin | kind | ranges | predicts | |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const f of report.drift.firewall)
      out.push(
        `| ${cell(f.origin)} | ${f.kind} | ${cell(f.cidrs.join(", "))} | ${f.predicts ?? ""} | ${cell(f.message)} |`,
      );
  }
  const c = report.coverage;
  out.push(
    "",
    `<sub>cf-preflight ${report.tool.version} · ${c.zones.length} zone(s) · live API ${c.live ? "read" : `not read${c.liveSkipped ? ` (${cell(c.liveSkipped)})` : ""}`} · probes ${c.probes ? "run" : `not run${c.probesSkipped ? ` (${cell(c.probesSkipped)})` : ""}`}</sub>`,
    "",
  );
  const read = inputsLine(report);
  if (read) out.push(`<sub>Inputs: ${cell(read)}</sub>`, "");
  const where = vantageLine(report);
  if (where) out.push(`<sub>Vantage: ${cell(where)}</sub>`, "");
  return out.join("\n");
}

/** `## Migrations`: one row per migration, then the findings that block each blocked one. */
function migrationsSection(report: Report): string[] {
  if (report.migrations.length === 0) return [];
  const out = [
    "",
    "## Migrations",
    "",
    "| migration | from | to | hostnames | verdict |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const m of report.migrations) {
    const route = routeLabels(m);
    out.push(
      `| \`${cell(m.id)}\` | ${cell(route.from)} | ${cell(route.to)} | ${cell(hostnamesLabel(m))} | ${VERDICT_ICON[m.verdict]} ${verdictWord(m.verdict)} |`,
    );
  }
  for (const m of report.migrations.filter((m) => m.verdict === "blocked")) {
    out.push("", `### Blocked: \`${m.id}\``, "");
    const findings = migrationFindings(report, m.id);
    if (findings.length === 0) out.push("- no finding names this migration; see the findings above");
    for (const f of findings) {
      const icon = f.blocking ? ICON.error : f.status === "unknown" ? ICON.note : ICON.warning;
      const where = f.subject.hostname ?? f.subject.zone;
      out.push(
        `- ${icon} ${f.predicts ? `**${f.predicts}** ` : ""}\`${f.rule}\`${where ? ` ${inline(where)}` : ""}: ${inline(f.message)}`,
      );
    }
  }
  return out;
}

/** Text for a list item: one line, no accidental HTML. */
function inline(text: string): string {
  return printable(text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/\r?\n/g, " "));
}

function contentOf(c: RecordChange): unknown {
  return (c.desired ?? c.live)?.content;
}

function changes(c: RecordChange): string {
  return c.fields.map((f) => `${f.field}: ${JSON.stringify(f.from)} → ${JSON.stringify(f.to)}`).join("; ");
}
