import type { RecordChange } from "../model/change.js";
import type { Report } from "./report.js";
import { codeLabel, subjectLabel, verdictLine } from "./text.js";

const ICON = { error: "❌", warning: "⚠️", note: "❔", none: "✅" } as const;

function cell(value: unknown): string {
  const text = typeof value === "object" && value !== null ? JSON.stringify(value) : String(value ?? "");
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
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

  const zones = new Set([
    ...report.drift.dns.map((c) => c.zone),
    ...report.drift.settings.map((c) => c.zone),
  ]);
  for (const zone of zones) {
    out.push("", `### Drift in ${zone}`, "");
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
    `<sub>cf-preflight ${report.tool.version} · ${c.zones.length} zone(s) · live API ${c.live ? "read" : "not read"} · probes ${c.probes ? "run" : "not run"}</sub>`,
    "",
  );
  return out.join("\n");
}

function contentOf(c: RecordChange): unknown {
  return (c.desired ?? c.live)?.content;
}

function changes(c: RecordChange): string {
  return c.fields.map((f) => `${f.field}: ${JSON.stringify(f.from)} → ${JSON.stringify(f.to)}`).join("; ");
}
