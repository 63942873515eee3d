/**
 * Cloudflare Rules language expressions (ruleset rules, Configuration Rules, Origin Rules, Redirect
 * Rules), decided for one request. Pure: no I/O, no clock, no randomness.
 *
 * - `parseExpression(text)` parses, or returns the syntax error and its offset.
 * - `evaluate(expression, request)` decides for the request a probe sends (GET, no query string).
 * - `decideForHost(expression, host, path?)` decides for EVERY request to a hostname (on a path when
 *   given): anything the visitor chooses (scheme, port, method, query string, address, headers...)
 *   is unknown, and the answer is "undecidable" unless it holds whatever those are.
 */
import type { Expression } from "./ast.js";
import { evaluateTri } from "./evaluate.js";
import { PROBE_METHOD } from "./facts.js";
import type { Facts } from "./fields.js";
import { isUnknown, type Tri } from "./value.js";

export type { Expression } from "./ast.js";
export { type ParseResult, parseExpression } from "./parse.js";
export { printExpression } from "./print.js";

export type Decision =
  | { readonly kind: "match" }
  | { readonly kind: "no-match" }
  | { readonly kind: "undecidable"; readonly why: string };

export interface RequestFacts {
  readonly host: string;
  /** The path, optionally with `?query`; a probe's path has no query string. */
  readonly path: string;
  readonly scheme: "http" | "https";
  /** The edge port the request arrived on; unknown when not given. */
  readonly port?: number;
  /** The zone's name, for `cf.zone.name` (account-level rulesets). */
  readonly zone?: string;
}

export interface HostOptions {
  /** The zone's name, for `cf.zone.name`. */
  readonly zone?: string;
  /**
   * Only requests over this scheme (e.g. "https" when the route is for HTTPS visitors). By default both
   * are considered and a rule that treats them differently is undecidable.
   */
  readonly scheme?: "http" | "https";
}

const MATCH: Decision = { kind: "match" };
const NO_MATCH: Decision = { kind: "no-match" };

function toDecision(t: Tri): Decision {
  if (isUnknown(t)) return { kind: "undecidable", why: t.unknown.join("; ") };
  return t ? MATCH : NO_MATCH;
}

function splitQuery(path: string): { path: string; query: string } {
  const q = path.indexOf("?");
  return q < 0 ? { path, query: "" } : { path: path.slice(0, q), query: path.slice(q + 1) };
}

/** Decides the expression for the request a probe sends (method GET, query string as in `path`). */
export function evaluate(expression: Expression, request: RequestFacts): Decision {
  const { path, query } = splitQuery(request.path);
  const facts: Facts = {
    host: request.host,
    path,
    query,
    scheme: request.scheme,
    method: PROBE_METHOD,
    ...(request.port !== undefined ? { port: request.port } : {}),
    ...(request.zone !== undefined ? { zone: request.zone } : {}),
  };
  return toDecision(evaluateTri(expression, facts));
}

/**
 * For a hostname (and a path, when given): "match" when the expression matches every request to it,
 * "no-match" when it matches none, else "undecidable" with what it depends on. The scheme is tried
 * both ways (visitors arrive over HTTP and HTTPS) unless `options.scheme` fixes it; the edge port,
 * method, query string and everything about the visitor stay unknown. A path with `?query` fixes the
 * query string too.
 */
export function decideForHost(
  expression: Expression,
  host: string,
  path?: string,
  options: HostOptions = {},
): Decision {
  const given =
    path === undefined ? undefined : path.includes("?") ? splitQuery(path) : { path, query: undefined };
  const schemes = options.scheme ? [options.scheme] : (["https", "http"] as const);
  const results = schemes.map((scheme) =>
    evaluateTri(expression, {
      host,
      scheme,
      ...(given !== undefined ? { path: given.path } : {}),
      ...(given?.query !== undefined ? { query: given.query } : {}),
      ...(options.zone !== undefined ? { zone: options.zone } : {}),
    }),
  );
  const undecided = results.flatMap((t) => (isUnknown(t) ? t.unknown : []));
  if (undecided.length > 0) return { kind: "undecidable", why: [...new Set(undecided)].join("; ") };
  const [first, second] = results as [boolean, boolean | undefined];
  if (second !== undefined && first !== second) {
    return {
      kind: "undecidable",
      why: `the expression ${first ? "matches" : "does not match"} HTTPS requests and ${second ? "matches" : "does not match"} HTTP requests (it depends on ssl or the URI scheme)`,
    };
  }
  return first ? MATCH : NO_MATCH;
}
