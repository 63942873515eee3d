/**
 * How `merge` treats each rule's findings across reports (one table, so a new rule is placed on
 * purpose; a test checks every catalogued rule against it):
 *
 * - `target`: one finding per probe target and report, judged where the probes ran; the reports
 *   that probed a target are put side by side (the origin-* probe rules).
 * - `exposure`: `origin-exposed`, a warning some vantages make about a target and others do not.
 * - `vantage`: other findings that depend on where the probes ran (host-migration parity, latency
 *   and ports; probes that could not run), compared across the vantages that probed.
 * - `every-report`: kept only when every report has it: an acknowledgement is unused only if no
 *   report, in any shard or vantage, had a finding it matched.
 * - `shared`: everything else follows from the inputs and the live zone, which are the same for
 *   every report of a run; they must agree, and a difference is reported (`merge-disagreement`).
 */
export type MergeClass = "target" | "exposure" | "vantage" | "every-report" | "shared";

const CLASSES: Readonly<Record<string, MergeClass>> = {
  "origin-dns": "target",
  "origin-tcp": "target",
  "origin-tls": "target",
  "origin-certificate": "target",
  "origin-http": "target",
  "origin-exposed": "exposure",
  "migration-http-parity": "vantage",
  "migration-latency": "vantage",
  "migration-port-parity": "vantage",
  "probes-unverified": "vantage",
  "acknowledgement-unused": "every-report",
};

export function mergeClass(rule: string): MergeClass {
  return CLASSES[rule] ?? "shared";
}

/** The rules whose findings depend on where the probes ran (for tests and documentation). */
export function vantageDependentRules(): string[] {
  return Object.entries(CLASSES)
    .filter(([, c]) => c !== "every-report")
    .map(([rule]) => rule);
}
