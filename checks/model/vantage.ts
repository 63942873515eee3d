/** An address family the probes can use from where they run. */
export type AddressFamily = "ipv4" | "ipv6";

/** Which part of the run's probe targets a report probed (`check --shard K/N`; 1/1 when not split). */
export interface ShardInfo {
  /** 1-based: this report is shard `index` of `count`. */
  readonly index: number;
  readonly count: number;
  /** Targets this shard probed. */
  readonly targets: number;
  /** Targets the whole run has, in every shard; null when no probe plan was made (`--no-probes`). */
  readonly totalTargets: number | null;
  /**
   * `sha256:<hex>` over every target of the whole run (not just this shard's), independent of
   * order: shards of one run carry the same digest. Null when no probe plan was made.
   */
  readonly targetsDigest: string | null;
}

/** Where a report's probes ran from: the JSON report's `vantage`. */
export interface VantageInfo {
  /** `--vantage-name`, default the machine's host name. */
  readonly name: string;
  /** The address families this machine could route (a route other than loopback and link-local). */
  readonly families: readonly AddressFamily[];
  readonly shard: ShardInfo;
}

/** One vantage of a merged report, with the shards its reports covered. */
export interface MergedVantage {
  readonly name: string;
  readonly families: readonly AddressFamily[];
  /** Shard indexes (1-based) this vantage's reports probed, sorted. */
  readonly shards: readonly number[];
  /** Targets its reports probed, all shards together. */
  readonly targets: number;
}

/** What `cf-preflight merge` put together: the merged report's `merge`. */
export interface MergeInfo {
  /** How many reports were merged. */
  readonly reports: number;
  readonly shardCount: number;
  /** Targets of the whole run (null when the runs made no probe plan). */
  readonly totalTargets: number | null;
  readonly targetsDigest: string | null;
  readonly vantages: readonly MergedVantage[];
  /** `block` (default) or `warn`: what a failure from some vantages and not others becomes. */
  readonly partialFailures: "block" | "warn";
}
