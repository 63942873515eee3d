import type { EdgeRoute } from "../edge/route.js";
import type { MigrationParity } from "../migration/parity.js";
import type { Drift } from "../model/change.js";
import type { Finding, FindingStatus, Subject } from "../model/finding.js";
import type { CloudflareRanges, DesiredState, LiveState } from "../model/zone.js";
import type { ProbeResult } from "../probe/result.js";

/** Whether the machine running the probes is admitted by the origins' firewalls. */
export type Vantage = "allowed" | "outside" | "unknown";

/** Everything a rule may read. Rules are pure functions of it. */
export interface RuleContext {
  readonly desired: DesiredState;
  /** Absent with `--no-live`. */
  readonly live?: LiveState;
  /** Absent with `--no-live`. */
  readonly drift?: Drift;
  /** Absent with `--no-probes`. */
  readonly probes?: readonly ProbeResult[];
  /** The edge's route for every proxied hostname after the deploy (checks/edge). */
  readonly routes?: readonly EdgeRoute[];
  /** Cloudflare's ranges: live `/ips` when reachable, else the bundled snapshot (with its date). */
  readonly ranges: CloudflareRanges;
  readonly vantage: Vantage;
  /** Host migrations the change makes and what parity found (needs live state). */
  readonly migrations?: readonly MigrationParity[];
  /** `check --after`: the deploy has run, so the live zone must now match the code. */
  readonly after?: boolean;
  /** The date "now" for expiry checks, injected so rules stay pure. */
  readonly now: Date;
}

/** A rule: a pure predicate over the context, with its wording beside it (cdk-nag's way). */
export interface Rule {
  readonly id: string;
  /** The Cloudflare error it predicts when it fails ("521", "9004", "1016") or null. */
  readonly predicts: string | null;
  /** One line: what it checks. */
  readonly checks: string;
  /** Why it matters. */
  readonly why: string;
  /** How to fix a failure. */
  readonly fix: string;
  /** What the rule needs; it is skipped (not "passed") when the run lacks it. */
  readonly needs: readonly ("live" | "probes")[];
  evaluate(context: RuleContext): readonly Finding[];
}

/** Build a finding of `rule` with the rule's defaults (predicted error, fix). */
export function finding(
  rule: Pick<Rule, "id" | "predicts" | "fix">,
  status: FindingStatus,
  subject: Subject,
  message: string,
  evidence: Record<string, unknown> = {},
  overrides: { predicts?: string | null; fix?: string; blocking?: boolean; migration?: string } = {},
): Finding {
  return {
    rule: rule.id,
    status,
    blocking: overrides.blocking ?? status === "fail",
    predicts: overrides.predicts === undefined ? rule.predicts : overrides.predicts,
    subject,
    message,
    evidence,
    fix: overrides.fix ?? rule.fix,
    ...(overrides.migration !== undefined ? { migration: overrides.migration } : {}),
  };
}
