import type { Finding } from "../model/finding.js";
import { driftCountText, gatedDriftItems } from "./drift-items.js";
import type { Report } from "./report.js";

/**
 * One line: the verdict and the counts, shared by every reporter. A report that gates on drift and
 * has some says DRIFT with the count of differences first: its run exits 4, never "passed".
 */
export function verdictLine(report: Report): string {
  const s = report.summary;
  const counts = `${s.blocking} blocking, ${s.warnings} warning(s), ${s.unknown} unknown, ${s.passed} passed`;
  const drift = gatedDriftItems(report);
  if (drift.length > 0) return `DRIFT: ${driftCountText(drift)}; ${counts}`;
  const verdict =
    s.blocking > 0
      ? "BLOCKED"
      : s.unknown > 0
        ? "PASSED WITH UNKNOWNS"
        : checkedNothing(report)
          ? "NOTHING CHECKED"
          : "PASSED";
  return `${verdict}: ${counts}`;
}

/**
 * A run that found no zone to check (only types no rule reads, a zone only looked up): nothing
 * failed, but "passed" would claim a check that did not happen (a wrong --synth folder, say).
 */
export function checkedNothing(report: Report): boolean {
  return report.coverage.zones.length === 0 && report.findings.length === 0;
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

/** One line: what was read ("read 3 zones, 47 records from plan.json; 4 values unresolved"). */
export function inputsLine(report: Report): string | undefined {
  const inputs = report.inputs;
  if (!inputs) return undefined;
  const records = inputs.zones.reduce((n, z) => n + z.records.total, 0);
  const sources = inputs.sources.map((s) => s.path.split("/").slice(-2).join("/"));
  const from = sources.length <= 2 ? sources.join(" and ") : `${sources.length} sources`;
  const unresolved = inputs.unresolved.length;
  const ignored = Object.values(inputs.ignored).reduce((n, c) => n + c, 0);
  const firewalls = (inputs.firewalls ?? []).map(
    (f) =>
      `; origin ${f.origin}'s firewall from ${f.resources.join(", ")} (${f.rules} rule(s)` +
      `${f.undecided.length > 0 ? `, ${f.undecided.length} thing(s) not decided by the configuration` : ""})`,
  );
  return (
    `read ${inputs.zones.length} zone(s), ${records} record(s) from ${from}; ` +
    `${unresolved === 0 ? "nothing" : `${unresolved} value(s)`} unresolved` +
    (ignored > 0 ? `; ${ignored} resource(s) of types no rule reads` : "") +
    firewalls.join("")
  );
}

/**
 * One line: where the probes ran from ("probed from fra (IPv4, IPv6); shard 2/8: 127 of 1000
 * targets"), or what a merge put together; undefined when there is nothing to say.
 */
export function vantageLine(report: Report): string | undefined {
  const families = (list: readonly string[]) =>
    list.length === 0 ? "no routes" : list.map((f) => (f === "ipv4" ? "IPv4" : "IPv6")).join(", ");
  const m = report.merge;
  if (m !== undefined) {
    const targets = m.totalTargets === null ? "" : `, ${m.totalTargets} target(s)`;
    const vantages = m.vantages.map((v) => `${v.name} (${families(v.families)})`).join(", ");
    return `merged ${m.reports} report(s): ${m.vantages.length} vantage(s) × ${m.shardCount} shard(s)${targets}; ${vantages}`;
  }
  const v = report.vantage;
  if (v === undefined || !report.coverage.probes) return undefined;
  const shard =
    v.shard.count > 1
      ? `; shard ${v.shard.index}/${v.shard.count}: ${v.shard.targets} of ${v.shard.totalTargets ?? "?"} target(s)`
      : "";
  return `probed from ${v.name} (${families(v.families)})${shard}`;
}
