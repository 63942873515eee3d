import type { Finding } from "../model/finding.js";
import { DRIFT_RULES, type DriftItem, gatedDriftItems } from "./drift-items.js";
import {
  checksLabel,
  hostnamesLabel,
  migrationFindings,
  migrationSentence,
  routeLabels,
} from "./migrations.js";
import type { Report } from "./report.js";
import { codeLabel, inputsLine, subjectLabel } from "./text.js";

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
 * Host migrations get a suite of their own, "migrations": one test case each, failing when blocked
 * and skipped when unverified or not probed. A `drift` report adds a failing case per difference.
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
  const drift = driftSuites(report);
  suites.push(...drift.map((d) => d.xml));
  const migrations = migrationSuite(report);
  if (migrations) suites.push(migrations.xml);
  const driftTests = drift.reduce((n, d) => n + d.tests, 0);
  const total = report.findings.length + driftTests + (migrations?.tests ?? 0);
  const failures = report.summary.blocking + driftTests + (migrations?.failures ?? 0);
  const read = inputsLine(report);
  const inputs = read
    ? `  <properties>\n    <property name="cf-preflight.inputs" value="${xml(read)}"/>\n  </properties>\n`
    : "";
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="cf-preflight" tests="${total}" failures="${failures}">\n${inputs}${suites.join("\n")}${suites.length ? "\n" : ""}</testsuites>\n`;
}

/**
 * For a report that gates on drift: one suite per zone ("cf-preflight drift <zone>"), one failing
 * test case per difference, named by what differs; an unknown one fails too (the run exits 4 on it)
 * and says it is unknown. None otherwise.
 */
function driftSuites(report: Report): { xml: string; tests: number }[] {
  const byZone = new Map<string, DriftItem[]>();
  for (const item of gatedDriftItems(report)) {
    const zone = item.zone ?? "(no zone)";
    byZone.set(zone, [...(byZone.get(zone) ?? []), item]);
  }
  return [...byZone].map(([zone, items]) => {
    const cases = items.map((item) => {
      const rule = DRIFT_RULES.find((r) => r.id === item.rule);
      const at = item.source?.constructPath ?? item.source?.address;
      const detail = xml(
        [item.message, rule ? `fix: ${rule.fix}` : "", at ? `at: ${at}` : ""].filter(Boolean).join("\n"),
      );
      return (
        `    <testcase classname="${xml(`cf-preflight.drift.${zone}`)}" name="${xml(`${item.rule}: ${item.label}`)}">\n` +
        `      <failure message="${xml(item.message)}" type="${item.unknown ? `${item.rule}-unknown` : item.rule}">${detail}</failure>\n    </testcase>`
      );
    });
    return {
      xml: `  <testsuite name="${xml(`cf-preflight drift ${zone}`)}" tests="${items.length}" failures="${items.length}" errors="0" skipped="0">\n${cases.join("\n")}\n  </testsuite>`,
      tests: items.length,
    };
  });
}

/** The "migrations" suite, or nothing when the change moves no hostnames. */
function migrationSuite(report: Report): { xml: string; tests: number; failures: number } | undefined {
  if (report.migrations.length === 0) return undefined;
  const failures = report.migrations.filter((m) => m.verdict === "blocked").length;
  const skipped = report.migrations.filter(
    (m) => m.verdict === "unverified" || m.verdict === "not-probed",
  ).length;
  const cases = report.migrations.map((m) => {
    const route = routeLabels(m);
    const findings = migrationFindings(report, m.id).map(
      (f) =>
        `${f.predicts ? `${f.predicts} ` : ""}${f.rule} ${subjectLabel(f)}: ${f.message}${f.blocking ? "" : ` (${f.status})`}`,
    );
    const detail = xml(
      [
        `zone: ${m.zone}`,
        `from: ${route.from}`,
        `to: ${route.to}`,
        `hostnames: ${hostnamesLabel(m)}`,
        `checks: ${checksLabel(m)}`,
        ...findings,
      ].join("\n"),
    );
    const open = `    <testcase classname="cf-preflight.migrations" name="${xml(m.id)}">`;
    const message = xml(migrationSentence(m));
    if (m.verdict === "blocked")
      return `${open}\n      <failure message="${message}" type="migration-blocked">${detail}</failure>\n    </testcase>`;
    if (m.verdict === "unverified" || m.verdict === "not-probed")
      return `${open}\n      <skipped message="${message}"/>\n      <system-out>${detail}</system-out>\n    </testcase>`;
    return `${open}\n      <system-out>${detail}</system-out>\n    </testcase>`;
  });
  return {
    xml: `  <testsuite name="migrations" tests="${report.migrations.length}" failures="${failures}" errors="0" skipped="${skipped}">\n${cases.join("\n")}\n  </testsuite>`,
    tests: report.migrations.length,
    failures,
  };
}
