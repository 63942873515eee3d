import type { Rule } from "../rules/rule.js";

/** The rule catalogue as a terminal list, JSON, or the Markdown table the README carries (pure). */
export function renderRuleCatalogue(rules: readonly Rule[], format: "pretty" | "json" | "markdown"): string {
  if (format === "json")
    return `${JSON.stringify(
      rules.map(({ id, predicts, checks, why, fix, needs }) => ({ id, predicts, checks, why, fix, needs })),
      null,
      2,
    )}\n`;
  if (format === "markdown") {
    const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
    const rows = rules.map(
      (r) =>
        `| \`${r.id}\` | ${r.predicts ?? "—"} | ${cell(r.checks)} | ${cell(r.why)} | ${cell(r.fix)} | ${r.needs.join(", ") || "code"} |`,
    );
    return `${["| rule | predicts | checks | why it matters | fix | needs |", "| --- | --- | --- | --- | --- | --- |", ...rows].join("\n")}\n`;
  }
  return `${rules
    .map(
      (r) =>
        `${r.id}  (predicts ${r.predicts ?? "—"}; needs ${r.needs.join(", ") || "code only"})\n  checks: ${r.checks}\n  why:    ${r.why}\n  fix:    ${r.fix}`,
    )
    .join("\n\n")}\n`;
}
