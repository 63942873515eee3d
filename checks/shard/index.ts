export type { ShardInfo, VantageInfo } from "../model/vantage.js";
export { selectShard, shardKey, shardOf, targetsDigest } from "./assign.js";
export { usableFamilies } from "./families.js";
export { inputsDigest } from "./inputs-digest.js";
export { type ShardSpec, WHOLE_RUN } from "./spec.js";
export { unplannedShard, vantageInfo } from "./vantage.js";
