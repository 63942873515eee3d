import type { ProbeTarget } from "../probe/result.js";

/**
 * What makes a hostname move (issue 6): the records that route it (A/AAAA content, CNAME target),
 * the origin port an origin rule sets, an origin rule's host override, or the zone's SSL mode
 * (which changes the port and scheme Cloudflare uses).
 */
export type MigrationReason = "address" | "cname-target" | "origin-port" | "origin-host" | "ssl-mode";

/** One side of a migration: where Cloudflare reaches the hostnames now (old) or after the deploy (new). */
export interface MigrationEndpoint {
  /** The declared origin whose addresses these are, when the stack declares one. */
  readonly origin?: string;
  /** Addresses or names (CNAME targets) Cloudflare connects to, sorted. */
  readonly addresses: readonly string[];
  /** Origin ports Cloudflare uses, sorted. */
  readonly ports: readonly number[];
  readonly scheme: "http" | "https" | "mixed";
  readonly sslMode?: string;
}

/** A hostname that moves, with the connections Cloudflare makes before and after. */
export interface MovingHostname {
  readonly hostname: string;
  readonly reasons: readonly MigrationReason[];
  /** Probe targets under the live zone (the old origin). */
  readonly old: readonly ProbeTarget[];
  /** Probe targets under the desired zone (the new origin). */
  readonly new: readonly ProbeTarget[];
}

/** Hostnames of one zone that move from the same old endpoint to the same new one. */
export interface Migration {
  /** Stable and human: `zone: from -> to`. Findings about the migration carry it. */
  readonly id: string;
  readonly zone: string;
  readonly from: MigrationEndpoint;
  readonly to: MigrationEndpoint;
  readonly hostnames: readonly MovingHostname[];
}

/** Whether a migration may go ahead, from the findings about it. */
export type MigrationVerdict = "ready" | "blocked" | "unverified" | "not-probed";

/** A migration as reports show it (the targets left out: findings carry the evidence). */
export interface MigrationSummary {
  readonly id: string;
  readonly zone: string;
  readonly from: MigrationEndpoint;
  readonly to: MigrationEndpoint;
  readonly hostnames: readonly { readonly hostname: string; readonly reasons: readonly MigrationReason[] }[];
  readonly verdict: MigrationVerdict;
  /** Counts of the findings about this migration (unacknowledged), by status. */
  readonly checks: {
    readonly failed: number;
    readonly warnings: number;
    readonly unknown: number;
    readonly passed: number;
  };
}

/**
 * The migration policy of a zone: which paths parity compares besides `/`, how much slower the new
 * origin may answer, and octoDNS-style safety thresholds for the change as a whole.
 */
export interface MigrationPolicy {
  /** Paths compared on old and new, always including "/". */
  readonly paths: readonly string[];
  /** The new origin's response time may be at most this many times the old one's. */
  readonly latencyFactor: number;
  /** Differences smaller than this many milliseconds are never a latency finding (noise). */
  readonly latencySlackMs: number;
  /** Response-time samples per side and path; the fastest is compared. */
  readonly latencySamples: number;
  /** Block a change that updates or deletes more than this share of a zone's records... */
  readonly maxChangeShare: number;
  /** ...in zones of at least this many records. */
  readonly minZoneRecords: number;
}

/** octoDNS's defaults (30% of zones of 10 records or more); parity defaults chosen here. */
export const DEFAULT_MIGRATION_POLICY: MigrationPolicy = {
  paths: ["/"],
  latencyFactor: 2,
  latencySlackMs: 50,
  latencySamples: 3,
  maxChangeShare: 0.3,
  minZoneRecords: 10,
};
