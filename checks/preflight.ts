import { resolve } from "node:path";
import type { CommonOptions } from "./cli/options.js";
import { CLOUDFLARE_RANGES_SNAPSHOT } from "./data/cloudflare-ips.js";
import { readDesired } from "./desired/read.js";
import { type Drift, NO_DRIFT } from "./model/change.js";
import type { Finding } from "./model/finding.js";
import { known } from "./model/value.js";
import type { CloudflareRanges, DesiredState, LiveState } from "./model/zone.js";
import { buildReport } from "./report/build.js";
import type { Report } from "./report/report.js";
import { applyAcknowledgements } from "./rules/acknowledgements.js";
import { RULES, runRules } from "./rules/registry.js";
import type { RuleContext } from "./rules/rule.js";
import { synthesizeFresh } from "./synth.js";

export const SNAPSHOT_RANGES: CloudflareRanges = {
  ipv4: CLOUDFLARE_RANGES_SNAPSHOT.ipv4,
  ipv6: CLOUDFLARE_RANGES_SNAPSHOT.ipv6,
  origin: "snapshot",
  capturedAt: CLOUDFLARE_RANGES_SNAPSHOT.capturedAt,
};

export interface PreflightEnv {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Progress lines (stderr). */
  readonly log: (line: string) => void;
  readonly now: Date;
}

/** Read the desired state from --synth, or synthesize the app afresh. */
export async function loadDesired(options: CommonOptions, env: PreflightEnv): Promise<DesiredState> {
  if (options.synth !== undefined)
    return readDesired(
      resolve(env.cwd, options.synth),
      options.stack !== undefined ? { stack: options.stack } : {},
    );
  const synth = await synthesizeFresh(env.cwd, env.log);
  try {
    return readDesired(synth.dir, options.stack !== undefined ? { stack: options.stack } : {});
  } finally {
    synth.cleanup();
  }
}

export interface PreflightResult {
  readonly report: Report;
  readonly desired: DesiredState;
  readonly live?: LiveState;
}

/** The whole check: desired state, live state, drift, probes, rules, acknowledgements → one report. */
export async function runPreflight(options: CommonOptions, env: PreflightEnv): Promise<PreflightResult> {
  const desired = await loadDesired(options, env);
  const live: LiveState | undefined = undefined;
  const drift: Drift = NO_DRIFT;
  const ranges = SNAPSHOT_RANGES;
  const context: RuleContext = {
    desired,
    ranges,
    vantage: options.vantage,
    now: env.now,
    ...(live ? { live, drift } : {}),
  };
  const findings: Finding[] = applyAcknowledgements(runRules(RULES, context), desired, env.now);
  const report = buildReport({
    findings,
    drift,
    coverage: {
      live: live !== undefined,
      probes: false,
      files: desired.files,
      zones: desired.zones.map((z) => known(z.name) ?? "(unresolved)"),
    },
  });
  return { report, desired };
}
