export { assessCertificate } from "./certificate.js";
export { classifyConnectError, isRedirectLoop, PREDICTED_ERROR_MEANING } from "./classify.js";
export {
  type ConnectToMapping,
  findConnectTo,
  type ParseResult,
  parseConnectTo,
  parseConnectToList,
} from "./connect-to.js";
export { isDocumentationAddress } from "./documentation.js";
export * from "./limits.js";
export { buildProbePlan, DOCUMENTATION_REASON, type ProbePlanInput, type ProbePlanZone } from "./plan.js";
export { dnsResolver, type NameResolver, type ResolveResult } from "./resolver.js";
export type * from "./result.js";
export { targetAddress } from "./result.js";
export { type ProbeOptions, runProbes } from "./run.js";
export { cloudflareOriginCaRoots, trustAnchors } from "./trust.js";
export { allowlistAdmits, applyVantage, type ProbeVantage } from "./vantage.js";
