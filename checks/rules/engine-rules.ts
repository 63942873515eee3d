import type { Rule } from "./rule.js";

/** Findings the engine itself raises, catalogued like rules. */
export const ruleError: Rule = {
  id: "rule-error",
  predicts: null,
  checks: "Every rule runs to completion.",
  why: "A rule that crashed has verified nothing; its subject is unknown, not clean.",
  fix: "Report the error message as a bug in cf-preflight.",
  needs: [],
  evaluate: () => [],
};

export const liveUnverified: Rule = {
  id: "live-unverified",
  predicts: null,
  checks: "The live zone could be read from the Cloudflare API.",
  why: "Without live state, drift and the live SSL mode are unknown; with --allow-unverified the run goes on and says so.",
  fix: "Check the token's permissions and the API's reachability (the message says which), then run again.",
  needs: [],
  evaluate: () => [],
};

export const probesUnverified: Rule = {
  id: "probes-unverified",
  predicts: null,
  checks: "The origin probes could be planned and run.",
  why: "Without probes, 52x errors from the origin side are not predicted.",
  fix: "Fix what the message names (e.g. an unreadable --origin-ca file), or run with --no-probes knowingly.",
  needs: [],
  evaluate: () => [],
};
