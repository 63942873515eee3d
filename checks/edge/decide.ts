/**
 * Whether a rule's expression applies to a request for one hostname and path: `match` and
 * `no-match` only when the answer holds for every such request; anything that depends on the
 * visitor (address, headers, cookies, bot score) or that the evaluator cannot read is `undecidable`.
 */
export type Decision =
  | { readonly kind: "match" }
  | { readonly kind: "no-match" }
  | { readonly kind: "undecidable"; readonly why: string };

export type Decide = (expression: string, hostname: string, path: string) => Decision;

export const MATCH: Decision = { kind: "match" };
export const NO_MATCH: Decision = { kind: "no-match" };
