import type { Finding } from "../model/finding.js";
import type { Report } from "./report.js";
import { codeLabel, subjectLabel } from "./text.js";

function xml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .split("")
    .filter((c) => allowedInXml(c.charCodeAt(0)))
    .join("");
}

/** XML 1.0 allows tab, newline and carriage return among the control characters, and no others. */
function allowedInXml(code: number): boolean {
  return code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/**
 * JUnit XML: one test suite per zone, one test case per finding. Blocking findings fail, unknowns
 * are skipped (not verified), warnings and acknowledged findings pass with their text in system-out.
 */
export function renderJunit(report: Report): string {
  const byZone = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const zone = f.subject.zone ?? "(no zone)";
    byZone.set(zone, [...(byZone.get(zone) ?? []), f]);
  }
  const suites = [...byZone].map(([zone, findings]) => {
    const failures = findings.filter((f) => f.blocking).length;
    const skipped = findings.filter((f) => !f.blocking && f.status === "unknown" && !f.acknowledged).length;
    const cases = findings.map((f) => {
      const name = xml(`${f.rule}: ${subjectLabel(f)}`);
      const detail = xml(
        [
          f.message,
          f.predicts ? `predicts: ${f.predicts}` : "",
          `fix: ${f.fix}`,
          codeLabel(f) ? `at: ${codeLabel(f)}` : "",
        ]
          .filter(Boolean)
          .join("\n"),
      );
      const open = `    <testcase classname="${xml(`cf-preflight.${zone}`)}" name="${name}">`;
      if (f.blocking)
        return `${open}\n      <failure message="${xml(f.message)}" type="${xml(f.predicts ?? f.rule)}">${detail}</failure>\n    </testcase>`;
      if (f.status === "unknown" && !f.acknowledged)
        return `${open}\n      <skipped message="${xml(f.message)}"/>\n    </testcase>`;
      if (f.status === "pass") return `${open}</testcase>`;
      return `${open}\n      <system-out>${detail}</system-out>\n    </testcase>`;
    });
    return `  <testsuite name="${xml(`cf-preflight ${zone}`)}" tests="${findings.length}" failures="${failures}" errors="0" skipped="${skipped}">\n${cases.join("\n")}\n  </testsuite>`;
  });
  const total = report.findings.length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="cf-preflight" tests="${total}" failures="${report.summary.blocking}">\n${suites.join("\n")}${suites.length ? "\n" : ""}</testsuites>\n`;
}
