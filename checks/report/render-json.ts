import type { Report } from "./report.js";

/** The JSON report: the report object itself, versioned by `schemaVersion`. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
