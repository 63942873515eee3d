import type { Finding } from "../model/finding.js";
import type { Report } from "./report.js";

/** One line: the verdict and the counts, shared by every reporter. */
export function verdictLine(report: Report): string {
  const s = report.summary;
  const verdict = s.blocking > 0 ? "BLOCKED" : s.unknown > 0 ? "PASSED WITH UNKNOWNS" : "PASSED";
  return `${verdict}: ${s.blocking} blocking, ${s.warnings} warning(s), ${s.unknown} unknown, ${s.passed} passed`;
}

/** Where a finding is: hostname, address and port, as one label. */
export function subjectLabel(f: Finding): string {
  const s = f.subject;
  // An IPv6 address takes brackets before a port, as in a URL: [2001:db8::7]:443.
  const address = s.address?.includes(":") && s.port !== undefined ? `[${s.address}]` : s.address;
  const target = [address, s.port !== undefined ? String(s.port) : undefined].filter(Boolean).join(":");
  return [s.hostname ?? s.zone ?? "", target ? `(${target})` : ""].filter(Boolean).join(" ");
}

/** Where in code: the construct path, else the Terraform address. */
export function codeLabel(f: Finding): string | undefined {
  return f.subject.constructPath ?? f.subject.terraformAddress;
}

/** The level a CI system shows a finding at. */
export function severity(f: Finding): "error" | "warning" | "note" | "none" {
  if (f.acknowledged || f.status === "pass") return "none";
  if (f.blocking) return "error";
  if (f.status === "fail" || f.status === "warn") return "warning";
  return "note";
}
