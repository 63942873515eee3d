import type { Rule } from "../rules/rule.js";

/** Findings `cf-preflight merge` itself raises, catalogued like rules. */
export const mergeCoverage: Rule = {
  id: "merge-coverage",
  predicts: null,
  checks: "Every vantage of a merged run probed every shard (cf-preflight merge).",
  why: "A shard no report covers was probed from nowhere (or, for one vantage, not from there): its targets are not verified, and a merge must never pass as clean what it did not see.",
  fix: "Upload the report of every matrix job (each vantage runs --shard 1/N to N/N under one --vantage-name) and merge them all; without --allow-unverified a missing shard fails the merge with exit 3.",
  needs: [],
  evaluate: () => [],
};

export const mergeDisagreement: Rule = {
  id: "merge-disagreement",
  predicts: null,
  checks:
    "Findings that do not depend on the probes are the same in every merged report (cf-preflight merge).",
  why: "Every report of a run checks the same inputs, so static, drift and live findings should agree; when they do not, the live zone or Cloudflare's ranges changed between the jobs, or a job could not read them. The merge keeps every such finding, so nothing is dropped, but the runs did not see one state.",
  fix: "Run the matrix again once the zone is stable, or read why a job saw something else (each kept finding names the reports that have it).",
  needs: [],
  evaluate: () => [],
};
