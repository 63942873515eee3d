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
  /**
   * A pass whose evidence was not kept: a target passing alike from many vantages keeps one pass
   * in full (the first vantage's by name) and, of the others, what each said (their messages).
   * Failures, warnings and unknowns are always kept in full.
   */
  readonly slim: boolean;
}

interface Group {
  readonly cls: MergeClass;
  /** The n-th finding with its key in a report pairs with the n-th in another: this group's n. */
  readonly occurrence: number;
  /** Every answer kept whole: failures, warnings, unknowns, and one pass (`pass`). */
  readonly observations: Observation[];
  /** The pass kept whole: the first vantage's by name. */
  pass?: Observation;
  /** The other vantages that passed alike (the same rule, status and error as `pass`), with their messages. */
  readonly alike: { readonly vantages: string[]; readonly messages: string[] };
  /** The last report that added an observation (a second one from it goes to `next`). */
  lastReport: number;
  /** The group of the next occurrence of the same key. */
  next?: Group;
  /** A finding of the group (for an exposure group: to find its target's group). */
  about?: Finding;
}

/** Separates the parts of a key; never in a rule id, subject or path. */
const SEP = "\u0000";

/**
 * The groups of target and exposure findings, found by hostname, then by the rest of the subject:
 * no key string is built per finding (hundreds of thousands of them in a large merge).
 */
interface TargetSlot {
  readonly cls: "target" | "exposure";
  readonly zone: string | undefined;
  readonly type: string | undefined;
  readonly address: string | undefined;
  readonly port: number | undefined;
  readonly head: Group;
}

function sameTarget(slot: TargetSlot, cls: MergeClass, f: Finding): boolean {
  const s = f.subject;
  return (
    slot.cls === cls &&
    slot.port === s.port &&
    slot.address === s.address &&
    slot.zone === s.zone &&
    slot.type === s.type
  );
}

/** The key of a vantage-dependent finding that is not about one target (host-migration parity, probes not run). */
function vantageKey(f: Finding): string {
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
  const merger = new FindingsMerger(options);
  for (const r of reports) merger.add(r);
  return merger.finish();
}

/**
 * `mergeFindings` one report at a time, so a report's findings can be let go once added: of the
 * many passes of a target only one is kept whole, which keeps the memory of a merge of 50 reports
 * of 10,000 findings near that of one report's findings plus the result.
 */
export class FindingsMerger {
  /** Target and exposure groups by hostname. */
  private readonly targets = new Map<string, TargetSlot[]>();
  /** Other vantage-dependent groups by key. */
  private readonly others = new Map<string, Group>();
  /** Every first group, in the order first seen (the merged findings keep it). */
  private readonly heads: Group[] = [];
  private readonly shared: Finding[][] = [];
  private readonly everyReport: Finding[][] = [];
  private readonly who: string[] = [];
  private readonly probing = new Set<string>();
  /** The families every report of a vantage could use. */
  private readonly families = new Map<string, readonly AddressFamily[]>();

  constructor(private readonly options: MergeFindingsOptions = { partial: "block" }) {}

  add(r: VantageFindings): void {
    const index = this.who.length;
    this.who.push(r.who);
    if (r.probed) this.probing.add(r.vantage);
    this.families.set(
      r.vantage,
      (this.families.get(r.vantage) ?? r.families).filter((f) => r.families.includes(f)),
    );
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
      let group = this.headFor(cls, f);
      while (group.lastReport === index) {
        group.next ??= { ...newGroup(cls, group.occurrence + 1), about: f };
        group = group.next;
      }
      group.lastReport = index;
      observe(group, r.vantage, f);
    }
    this.shared.push(mineShared);
    this.everyReport.push(mineEvery);
  }

  /** The first group of a finding's key, made when new. */
  private headFor(cls: MergeClass, f: Finding): Group {
    if (cls === "target" || cls === "exposure") {
      const hostname = f.subject.hostname ?? "";
      let slots = this.targets.get(hostname);
      if (slots === undefined) {
        slots = [];
        this.targets.set(hostname, slots);
      }
      for (const slot of slots) if (sameTarget(slot, cls, f)) return slot.head;
      const s = f.subject;
      const head = newGroup(cls, 0);
      head.about = f;
      slots.push({ cls, zone: s.zone, type: s.type, address: s.address, port: s.port, head });
      this.heads.push(head);
      return head;
    }
    const key = vantageKey(f);
    let head = this.others.get(key);
    if (head === undefined) {
      head = newGroup(cls, 0);
      this.others.set(key, head);
      this.heads.push(head);
    }
    return head;
  }

  /** The target group an exposure group is about (the vantages that probed the same target). */
  private targetOf(exposure: Group): Group | undefined {
    const f = exposure.about!;
    const slot = this.targets.get(f.subject.hostname ?? "")?.find((s) => sameTarget(s, "target", f));
    return nth(slot?.head, exposure.occurrence);
  }

  finish(): MergedFindings {
    const probing = [...this.probing].sort();
    const kinds = new Set([...this.families.values()].map((list) => [...list].sort().join(",")));
    const context: GroupContext = {
      families: this.families,
      uniformFamilies: kinds.size <= 1,
      partial: this.options.partial,
    };
    const out: Finding[] = [];
    for (const head of this.heads)
      for (let group: Group | undefined = head; group !== undefined; group = group.next) {
        const observers =
          group.cls === "target"
            ? undefined
            : group.cls === "exposure"
              ? vantagesOf(this.targetOf(group) ?? group)
              : probing;
        out.push(mergeGroup(group, observers, context));
      }
    const sharedMerged = mergeShared(this.shared, this.who, "union");
    const everyMerged = mergeShared(this.everyReport, this.who, "intersection");
    return {
      findings: [...sharedMerged.findings, ...out, ...everyMerged.findings],
      disagreements: sharedMerged.disagreements,
    };
  }
}

function newGroup(cls: MergeClass, occurrence: number): Group {
  return { cls, occurrence, observations: [], alike: { vantages: [], messages: [] }, lastReport: -1 };
}

/**
 * Add an observation. Of the passes that answer alike, only the first vantage's by name is kept
 * whole; the others keep their vantage and message (a report's parsed findings can then be let go).
 */
function observe(group: Group, vantage: string, f: Finding): void {
  const pass = group.pass;
  if (f.status !== "pass" || (pass !== undefined && !sameAnswer(f, pass.finding))) {
    group.observations.push({ vantage, finding: f, slim: false });
    return;
  }
  const o: Observation = { vantage, finding: f, slim: false };
  if (pass === undefined) {
    group.pass = o;
    group.observations.push(o);
  } else if (vantage < pass.vantage) {
    group.alike.vantages.push(pass.vantage);
    group.alike.messages.push(pass.finding.message);
    group.observations[group.observations.indexOf(pass)] = o;
    group.pass = o;
  } else {
    group.alike.vantages.push(vantage);
    group.alike.messages.push(f.message);
  }
}

/** All of a group's observations, the passes kept by name and message only as slim ones. */
function allObservations(group: Group): Observation[] {
  const pass = group.pass;
  if (pass === undefined || group.alike.vantages.length === 0) return group.observations;
  return [
    ...group.observations,
    ...group.alike.vantages.map((vantage, i) => ({
      vantage,
      finding: slimmed({ ...pass.finding, message: group.alike.messages[i]! }),
      slim: true,
    })),
  ];
}

const NO_EVIDENCE: Readonly<Record<string, unknown>> = Object.freeze({});

function slimmed(f: Finding): Finding {
  return {
    rule: f.rule,
    status: f.status,
    blocking: f.blocking,
    predicts: f.predicts,
    subject: f.subject,
    message: f.message,
    evidence: NO_EVIDENCE,
    fix: f.fix,
    ...(f.migration !== undefined ? { migration: f.migration } : {}),
  };
}

function nth(head: Group | undefined, occurrence: number): Group | undefined {
  let group = head;
  for (let i = 0; i < occurrence && group !== undefined; i++) group = group.next;
  return group;
}

function vantagesOf(group: Group): string[] {
  return [...new Set([...group.observations.map((o) => o.vantage), ...group.alike.vantages])].sort();
}

/** The family of a group's target, from an observation that says where it connected if any. */
function groupFamily(observations: readonly Observation[]): AddressFamily | undefined {
  const said = observations.find((o) => typeof o.finding.evidence.connectedTo === "string");
  return familyOf((said ?? observations[0]!).finding);
}

/**
 * The address family a target was probed over: of the address the probe connected to (after
 * `--connect-to`), else of the literal address the subject names; undefined for a name.
 */
function familyOf(f: Finding): AddressFamily | undefined {
  const connected = f.evidence.connectedTo;
  const address =
    typeof connected === "string"
      ? connected.replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1")
      : f.subject.address;
  const kind = address === undefined ? 0 : isIP(address);
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

/** A vantage's own answer: its rule, status, predicted error, message and (unless a repeated pass) evidence. */
function vantageEvidence(o: Observation): Record<string, unknown> {
  const f = o.finding;
  return {
    rule: f.rule,
    status: f.status,
    predicts: f.predicts,
    message: f.message,
    ...(o.slim ? {} : { evidence: f.evidence }),
  };
}

function sameAnswer(a: Finding, b: Finding): boolean {
  return (
    a.rule === b.rule &&
    a.status === b.status &&
    a.predicts === b.predicts &&
    a.blocking === b.blocking &&
    (a.acknowledged === undefined) === (b.acknowledged === undefined)
  );
}

/**
 * The common case, quickly: a target every vantage probed once and answered alike, with no vantage
 * lacking the target's address family. Undefined when the full merge is needed.
 */
function unanimous(
  group: Group,
  observers: readonly string[] | undefined,
  context: GroupContext,
): Finding | undefined {
  if (group.cls !== "target" || observers !== undefined) return undefined;
  const list = group.observations;
  let lead = list[0]!;
  for (const o of list) {
    if (!sameAnswer(o.finding, lead.finding)) return undefined;
    if (o.vantage < lead.vantage) lead = o;
  }
  if (list.length === 1 && group.alike.vantages.length === 0) return lead.finding;
  const names = [...list.map((o) => o.vantage), ...group.alike.vantages].sort();
  for (let i = 1; i < names.length; i++) if (names[i] === names[i - 1]) return undefined;
  // When every vantage has the same families, none can judge a target another cannot.
  const family = context.uniformFamilies ? undefined : groupFamily(list);
  if (family !== undefined) {
    const able = names.filter((v) => context.families.get(v)?.includes(family)).length;
    if (able > 0 && able < names.length) return undefined;
  }
  const f = lead.finding;
  return {
    ...f,
    message: `${f.message} (the same from all ${names.length} vantages)`,
    evidence: { ...f.evidence, vantages: names },
  };
}

/** What every group's merge reads. */
interface GroupContext {
  /** The families every report of a vantage could use. */
  readonly families: ReadonlyMap<string, readonly AddressFamily[]>;
  /** Every vantage can use the same families: none judges a target another cannot. */
  readonly uniformFamilies: boolean;
  readonly partial: MergeFindingsOptions["partial"];
}

/** One group of observations (the same target, or the same vantage-dependent finding) → one finding. */
function mergeGroup(group: Group, observers: readonly string[] | undefined, context: GroupContext): Finding {
  const { families } = context;
  const fast = unanimous(group, observers, context);
  if (fast !== undefined) return fast;
  // A vantage's shards may each have made the finding (host-migration parity runs in every shard):
  // the vantage's worst answer stands for it.
  const observations = allObservations(group);
  const byVantage = new Map<string, Observation>();
  for (const o of observations) {
    const current = byVantage.get(o.vantage);
    if (current === undefined || rank(o.finding) < rank(current.finding)) byVantage.set(o.vantage, o);
  }
  const everyone = [...byVantage.values()].sort((a, b) => (a.vantage < b.vantage ? -1 : 1));
  const only = everyone[0]!;
  const allObservers = observers ?? everyone.map((o) => o.vantage);
  if (allObservers.length <= 1 && everyone.length === 1) return only.finding;

  // A vantage without a route for the target's family cannot judge it, when another vantage can.
  const family = group.cls === "target" || group.cls === "exposure" ? groupFamily(observations) : undefined;
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
  const primary =
    judged.find((o) => o.vantage === lead && !o.slim) ?? judged.find((o) => o.vantage === lead)!;
  const base = primary.finding;

  // Each vantage's own evidence when the answers differ; when they agree, the names suffice.
  const agree = ordered.length === 1;
  const evidence: Record<string, unknown> = {
    ...base.evidence,
    vantages: everyone.map((o) => o.vantage),
    ...(agree && notJudged.length === 0
      ? {}
      : { byVantage: Object.fromEntries(everyone.map((o) => [o.vantage, vantageEvidence(o)])) }),
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
  if (agree) {
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
  const downgraded = partial && context.partial === "warn" && base.status === "fail";
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
