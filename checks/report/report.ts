import type { Drift } from "../model/change.js";
import type { Finding } from "../model/finding.js";
import type { MigrationSummary } from "../model/migration.js";
import type { MergeInfo, VantageInfo } from "../model/vantage.js";
import type { InputsSummary } from "../model/zone.js";

/** The version of the JSON report's shape. Bump on any breaking change to `Report`. */
export const REPORT_SCHEMA_VERSION = 1;

export interface ReportSummary {
  readonly blocking: number;
  readonly warnings: number;
  readonly unknown: number;
  readonly passed: number;
}

/** The one report object every reporter renders from (DESIGN.md, "JSON report"). */
export interface Report {
  readonly schemaVersion: number;
  readonly tool: { readonly name: "cf-preflight"; readonly version: string };
  readonly summary: ReportSummary;
  readonly findings: readonly Finding[];
  readonly drift: Drift;
  /**
   * Host migrations the change makes (hostnames whose origin, port or SSL mode moves), each with a
   * verdict; the findings about one carry its id in `migration`. Empty without live state.
   */
  readonly migrations: readonly MigrationSummary[];
  /**
   * What was read: the sources, the zones with their record counts, SSL mode and rules, and every
   * value, module or resource that could not be read or understood (also counted as unknown).
   */
  readonly inputs?: InputsSummary;
  /** What the run did and did not look at, so a reader knows what "clean" covered. */
  readonly coverage: {
    readonly live: boolean;
    readonly probes: boolean;
    /** Why the live API was not read: `--no-live`, or what failed (with --allow-unverified). */
    readonly liveSkipped?: string;
    /** Why the origins were not probed: `--no-probes`, or "probes could not run: <reason>". */
    readonly probesSkipped?: string;
    /** HTTP requests the live read sent to the Cloudflare API, retries included (when it was read). */
    readonly apiRequests?: number;
    readonly files: readonly string[];
    readonly zones: readonly string[];
  };
  /**
   * Where the probes ran from (`--vantage-name`, the address families usable there) and which
   * shard of the run's targets they probed (`--shard K/N`). Absent from merged reports.
   */
  readonly vantage?: VantageInfo;
  /**
   * `sha256:<hex>` of the inputs the findings follow from (the desired state, firewall exports,
   * options), the same on every machine that checks the same commit the same way: `merge` refuses
   * reports whose digests differ.
   */
  readonly inputsDigest?: string;
  /** Set by `cf-preflight merge`: the reports, vantages and shards it merged. */
  readonly merge?: MergeInfo;
  /**
   * Set by `cf-preflight drift`: the run gates on drift (exit 4 when there is any), so every format
   * states each difference as failing. Absent from `check`, where drift is the change a deploy makes.
   */
  readonly gate?: "drift";
}

export function summarize(findings: readonly Finding[]): ReportSummary {
  let blocking = 0;
  let warnings = 0;
  let unknown = 0;
  let passed = 0;
  for (const f of findings) {
    if (f.acknowledged) continue;
    if (f.blocking) blocking++;
    else if (f.status === "warn" || f.status === "fail") warnings++;
    else if (f.status === "unknown") unknown++;
    else passed++;
  }
  return { blocking, warnings, unknown, passed };
}
