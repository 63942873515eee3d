import type { AddressFamily, ShardInfo, VantageInfo } from "../model/vantage.js";
import { defaultVantageName, type ShardSpec, WHOLE_RUN } from "./spec.js";

/** A shard whose targets were never planned (`--no-probes`, or the probes could not run). */
export function unplannedShard(spec: ShardSpec = WHOLE_RUN): ShardInfo {
  return { index: spec.index, count: spec.count, targets: 0, totalTargets: null, targetsDigest: null };
}

/** The report's `vantage`: the run's name (`--vantage-name`, else the host name), families and shard. */
export function vantageInfo(
  name: string | undefined,
  families: readonly AddressFamily[],
  shard: ShardInfo,
): VantageInfo {
  return { name: name ?? defaultVantageName(), families, shard };
}
