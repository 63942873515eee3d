export { createReadOnlyClient, liveConfigFromEnv, type ReadOnlyClient } from "./client.js";
export * from "./limits.js";
export { toOriginRules } from "./origin-rules.js";
export { type LiveReadOptions, type LiveStateRequest, readLiveState } from "./read-live-state.js";
export { toDnsRecord } from "./record.js";
export {
  CHECK_REQUEST_BUDGET,
  type RequestBudget,
  requestLimit,
  UNLIMITED_REQUEST_BUDGET,
} from "./request-budget.js";
export { scrubSecret } from "./scrub.js";
export { type TunnelRequest, tunnelIdOfTarget, tunnelIdsInRecords } from "./tunnels.js";
