import { isIP } from "node:net";
import { canonicalJson } from "../canonical-json.js";
import type { Finding } from "../model/finding.js";
import type { AddressFamily } from "../model/vantage.js";
import { type MergeClass, mergeClass } from "./classify.js";

/** One report's findings, with where they were made. */
export interface VantageFindings {
  /** How the report is named in evidence: `<vantage> <shard>/<count>`. */
  readonly who: string;
  readonly vantage: string;
  readonly families: readonly AddressFamily[];
  /** Whether the report's probes ran (its `coverage.probes`). */
  readonly probed: boolean;
  readonly findings: readonly Finding[];
}

export interface MergeFindingsOptions {
  /** What a failure from some vantages and not from others becomes: blocking (default) or a warning. */
  readonly partial: "block" | "warn";
}

/** A finding that does not depend on the probes, present in some reports and not in others. */
export interface Disagreement {
  readonly finding: Finding;
  readonly seenIn: readonly string[];
  readonly missingFrom: readonly string[];
}

export interface MergedFindings {
  readonly findings: Finding[];
  readonly disagreements: Disagreement[];
}

interface Observation {
  readonly vantage: string;
  readonly finding: Finding;
}

interface Group {
  readonly cls: MergeClass;
  /** For `exposure`: the key of the target group whose vantages probed the same target. */
  readonly target?: string;
  readonly observations: Observation[];
}

/** Separates the parts of a key; never in a hostname, address or rule id. */
const SEP = "\u0000";

function targetPart(f: Finding): string {
  const s = f.subject;
  return [s.zone ?? "", s.hostname ?? "", s.type ?? "", s.address ?? "", s.port ?? ""].join(SEP);
}

function groupKey(cls: MergeClass, f: Finding): string {
  if (cls === "target") return `T${SEP}${targetPart(f)}`;
  if (cls === "exposure") return `E${SEP}${targetPart(f)}`;
  const e = f.evidence;
  return [
    "V",
    f.rule,
    f.migration ?? "",
    canonicalJson(f.subject),
    typeof e.path === "string" ? e.path : "",
    typeof e.family === "string" ? e.family : "",
  ].join(SEP);
}

/**
 * Worst first: blocking, then other failures, unknowns, warnings, acknowledged findings (an
 * accepted risk is still worth naming over a pass), passes.
 */
const STATUS_RANK = { fail: 1, unknown: 2, warn: 3, pass: 5 } as const;
function rank(f: Finding): number {
  if (f.blocking) return 0;
  if (f.status !== "pass" && f.acknowledged) return 4;
  return STATUS_RANK[f.status];
}

/**
 * Merge the findings of many reports of one run (pure). Findings that depend on where the probes
 * ran are put side by side per target (see `classify.ts`): the same answer from every vantage
 * keeps its finding; different answers become one finding naming each answer and its vantages
 * ("522 from 2 of 5 vantages (fra, sin); passed from 3 of 5 vantages (…)"), as bad as the worst,
 * with each vantage's evidence. The other findings come from the same inputs and must agree; each
 * distinct one is kept once, and those missing from some reports are returned as disagreements.
 */
export function mergeFindings(
  reports: readonly VantageFindings[],
  options: MergeFindingsOptions = { partial: "block" },
): MergedFindings {
  const groups = new Map<string, Group>();
  const shared: Finding[][] = [];
  const everyReport: Finding[][] = [];
  for (const r of reports) {
    const occurrences = new Map<string, number>();
    const mineShared: Finding[] = [];
    const mineEvery: Finding[] = [];
    for (const f of r.findings) {
      const cls = mergeClass(f.rule);
      if (cls === "shared") {
        mineShared.push(f);
        continue;
      }
      if (cls === "every-report") {
        mineEvery.push(f);
        continue;
      }
      // The n-th finding with a key in one report pairs with the n-th in another.
      const base = groupKey(cls, f);
      const n = occurrences.get(base) ?? 0;
      occurrences.set(base, n + 1);
      const key = `${base}${SEP}${n}`;
      let group = groups.get(key);
      if (group === undefined) {
        group = {
          cls,
          ...(cls === "exposure" ? { target: `T${SEP}${targetPart(f)}${SEP}${n}` } : {}),
          observations: [],
        };
        groups.set(key, group);
      }
      group.observations.push({ vantage: r.vantage, finding: f });
    }
    shared.push(mineShared);
    everyReport.push(mineEvery);
  }

  const probing = [...new Set(reports.filter((r) => r.probed).map((r) => r.vantage))].sort();
  // The families every report of a vantage could use.
  const families = new Map<string, readonly AddressFamily[]>();
  for (const r of reports)
    families.set(
      r.vantage,
      (families.get(r.vantage) ?? r.families).filter((f) => r.families.includes(f)),
    );
  const out: Finding[] = [];
  for (const group of groups.values()) {
    const observers =
      group.cls === "target"
        ? undefined
        : group.cls === "exposure"
          ? vantagesOf(groups.get(group.target!) ?? group)
          : probing;
    out.push(mergeGroup(group, observers, families, options));
  }
  const who = reports.map((r) => r.who);
  const sharedMerged = mergeShared(shared, who, "union");
  const everyMerged = mergeShared(everyReport, who, "intersection");
  return {
    findings: [...sharedMerged.findings, ...out, ...everyMerged.findings],
    disagreements: sharedMerged.disagreements,
  };
}

function vantagesOf(group: Group): string[] {
  return [...new Set(group.observations.map((o) => o.vantage))].sort();
}

/** The address family of a finding's target, when its subject names a literal address. */
function familyOf(f: Finding): AddressFamily | undefined {
  const kind = f.subject.address === undefined ? 0 : isIP(f.subject.address);
  return kind === 4 ? "ipv4" : kind === 6 ? "ipv6" : undefined;
}

const NAMES_SHOWN = 8;
function names(list: readonly string[]): string {
  if (list.length <= NAMES_SHOWN) return list.join(", ");
  return `${list.slice(0, NAMES_SHOWN).join(", ")} and ${list.length - NAMES_SHOWN} more`;
}

function outcome(f: Finding): string {
  const base =
    f.rule === "origin-exposed"
      ? "exposed"
      : f.status === "pass"
        ? "passed"
        : (f.predicts ??
          (f.status === "fail" ? "failed" : f.status === "warn" ? "warning" : "could not be judged"));
  return f.acknowledged ? `${base} (acknowledged)` : base;
}

function vantageEvidence(f: Finding): Record<string, unknown> {
  return {
    rule: f.rule,
    status: f.status,
    predicts: f.predicts,
    message: f.message,
    evidence: f.evidence,
  };
}

/** One group of observations (the same target, or the same vantage-dependent finding) → one finding. */
function mergeGroup(
  group: Group,
  observers: readonly string[] | undefined,
  families: ReadonlyMap<string, readonly AddressFamily[]>,
  options: MergeFindingsOptions,
): Finding {
  // A vantage's shards may each have made the finding (host-migration parity runs in every shard):
  // the vantage's worst answer stands for it.
  const byVantage = new Map<string, Observation>();
  for (const o of group.observations) {
    const current = byVantage.get(o.vantage);
    if (current === undefined || rank(o.finding) < rank(current.finding)) byVantage.set(o.vantage, o);
  }
  const everyone = [...byVantage.values()].sort((a, b) => a.vantage.localeCompare(b.vantage));
  const only = everyone[0]!;
  const allObservers = observers ?? everyone.map((o) => o.vantage);
  if (allObservers.length <= 1 && everyone.length === 1) return only.finding;

  // A vantage without a route for the target's family cannot judge it, when another vantage can.
  const family = group.cls === "target" || group.cls === "exposure" ? familyOf(only.finding) : undefined;
  const able = (v: string) => family === undefined || (families.get(v) ?? []).includes(family);
  const participants = [...new Set([...allObservers, ...everyone.map((o) => o.vantage)])].sort();
  const ableCount = participants.filter(able).length;
  const notJudged =
    ableCount > 0 && ableCount < participants.length ? participants.filter((v) => !able(v)) : [];
  const judged = everyone.filter((o) => !notJudged.includes(o.vantage));
  const absent = allObservers.filter((v) => !byVantage.has(v) && !notJudged.includes(v));
  const total = judged.length + absent.length;
  if (judged.length === 0) return only.finding;

  const outcomes = new Map<string, { rank: number; vantages: string[] }>();
  for (const o of judged) {
    const label = outcome(o.finding);
    const entry = outcomes.get(label) ?? { rank: rank(o.finding), vantages: [] };
    entry.vantages.push(o.vantage);
    outcomes.set(label, entry);
  }
  if (absent.length > 0) outcomes.set("not reported", { rank: 99, vantages: absent });
  const ordered = [...outcomes].sort(
    ([, a], [, b]) => a.rank - b.rank || b.vantages.length - a.vantages.length,
  );
  // The finding that speaks for the group: from the worst, most common answer.
  const lead = ordered.find(([label]) => label !== "not reported")![1].vantages[0]!;
  const primary = judged.find((o) => o.vantage === lead)!;
  const base = primary.finding;

  const evidence: Record<string, unknown> = {
    ...base.evidence,
    vantages: Object.fromEntries(everyone.map((o) => [o.vantage, vantageEvidence(o.finding)])),
    ...(notJudged.length > 0
      ? {
          notJudged: Object.fromEntries(
            notJudged.map((v) => [v, `no ${family === "ipv6" ? "IPv6" : "IPv4"} route from this vantage`]),
          ),
        }
      : {}),
  };
  const vantagesWord = (n: number) => `${n} vantage${n === 1 ? "" : "s"}`;
  const judgedNote =
    notJudged.length > 0
      ? `; not judged from ${names(notJudged)} (no ${family === "ipv6" ? "IPv6" : "IPv4"} route there)`
      : "";
  if (ordered.length === 1) {
    const from = total === 1 ? `from ${judged[0]!.vantage}` : `the same from all ${vantagesWord(total)}`;
    return { ...base, message: `${base.message} (${from}${judgedNote})`, evidence };
  }

  const summary = ordered
    .map(
      ([label, { vantages }]) =>
        `${label} from ${vantages.length} of ${vantagesWord(total)} (${names(vantages)})`,
    )
    .join("; ");
  const someFail = judged.some((o) => o.finding.status === "fail");
  const partial = someFail && (absent.length > 0 || judged.some((o) => o.finding.status !== "fail"));
  const downgraded = partial && options.partial === "warn" && base.status === "fail";
  return {
    ...base,
    status: downgraded ? "warn" : base.status,
    blocking: downgraded ? false : base.blocking,
    message: `${summary}${judgedNote}. ${primary.vantage}: ${base.message}`,
    evidence: downgraded ? { ...evidence, partial: "a warning under --partial warn" } : evidence,
  };
}

/**
 * Findings that do not depend on the probes (pure): when every report has the same ones (the usual
 * case, compared fast), the first report's; otherwise each distinct finding once (the paths of the
 * files they point at aside), kept as many times as the most (union) or fewest (intersection)
 * reports have it. Under union, a finding not in every report is a disagreement.
 */
function mergeShared(
  perReport: readonly (readonly Finding[])[],
  who: readonly string[],
  mode: "union" | "intersection",
): MergedFindings {
  const first = perReport[0] ?? [];
  const fast = (list: readonly Finding[]) => list.map(withoutFile).join("\n");
  const firstText = fast(first);
  if (perReport.every((list) => list === first || fast(list) === firstText))
    return { findings: [...first], disagreements: [] };

  const counts = new Map<string, { finding: Finding; counts: number[] }>();
  perReport.forEach((list, i) => {
    for (const f of list) {
      const key = canonicalJson(f, FILE);
      const entry = counts.get(key) ?? { finding: f, counts: perReport.map(() => 0) };
      entry.counts[i]!++;
      counts.set(key, entry);
    }
  });
  const findings: Finding[] = [];
  const disagreements: Disagreement[] = [];
  for (const { finding, counts: n } of counts.values()) {
    const keep = mode === "union" ? Math.max(...n) : Math.min(...n);
    const seenIn = who.filter((_, i) => n[i]! > 0);
    const missingFrom = who.filter((_, i) => n[i] === 0);
    const disagrees = mode === "union" && missingFrom.length > 0;
    const kept = disagrees
      ? { ...finding, evidence: { ...finding.evidence, merge: { seenIn, missingFrom } } }
      : finding;
    for (let k = 0; k < keep; k++) findings.push(kept);
    if (disagrees) disagreements.push({ finding, seenIn, missingFrom });
  }
  return { findings, disagreements };
}

const FILE: ReadonlySet<string> = new Set(["file"]);

/** A finding as JSON without the path of the file it points at (checkouts differ between machines). */
function withoutFile(f: Finding): string {
  return JSON.stringify(
    f.subject.file === undefined ? f : { ...f, subject: { ...f.subject, file: undefined } },
  );
}
