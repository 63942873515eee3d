import type { SourceRef } from "./source.js";

/**
 * One rule of the zone's `http_request_origin` phase that routes to another origin port (and
 * optionally host). `hostnames` lists the hosts its expression names when the expression is the
 * simple `http.host eq "..."` / `http.host in {...}` form; `undefined` means the checker cannot tell
 * which hosts it applies to.
 */
export interface OriginRule {
  readonly expression: string;
  readonly hostnames: readonly string[] | undefined;
  readonly port?: number;
  readonly host?: string;
  /** `action_parameters.host_header`: the Host header (and SNI, unless `sni` is set) sent to the origin. */
  readonly hostHeader?: string;
  /** `action_parameters.sni.value`: the SNI sent to the origin. */
  readonly sni?: string;
  readonly description?: string;
  readonly enabled: boolean;
  readonly source?: SourceRef;
  /**
   * What the rule does that the checker does not model (another action, parameters it does not
   * know, a value known only after apply): a hostname the rule may match has an unknown route.
   */
  readonly unmodelled?: string;
}

/** The `action_parameters` of a route rule the checker models, and the keys of its `origin`. */
export const ROUTE_PARAMETERS: ReadonlySet<string> = new Set(["origin", "host_header", "sni"]);
export const ROUTE_ORIGIN_KEYS: ReadonlySet<string> = new Set(["host", "port"]);

/** What a route rule's parameters hold beyond what the checker models, or undefined. */
export function unmodelledRouteParameters(
  action: string | undefined,
  parameters: Readonly<Record<string, unknown>> | undefined,
): string | undefined {
  if (action !== undefined && action !== "route") return `has the action "${action}"`;
  const extra = Object.entries(parameters ?? {})
    .filter(([key, value]) => !ROUTE_PARAMETERS.has(key) && isSet(value))
    .map(([key]) => key);
  // 4.x writes blocks as lists of one object.
  const origins = [parameters?.origin].flat();
  for (const origin of origins)
    if (typeof origin === "object" && origin !== null && !Array.isArray(origin))
      for (const [key, value] of Object.entries(origin))
        if (!ROUTE_ORIGIN_KEYS.has(key) && isSet(value)) extra.push(`origin.${key}`);
  return extra.length > 0 ? `sets ${extra.join(", ")}` : undefined;
}

/**
 * Whether a parameter holds a value: plans print every attribute of the schema, unset ones as null
 * or empty blocks, and computed ones unknown; none of those changes where a rule routes.
 */
function isSet(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.some(isSet);
  if (typeof value === "object") {
    // A value known only after apply (the model's `{ unresolved }`, or an evaluator's Unknown, an
    // instance of a class rather than a plain object) is not a parameter the rule is known to set.
    if ("unresolved" in value || Object.getPrototypeOf(value) !== Object.prototype) return false;
    return Object.values(value).some(isSet);
  }
  return true;
}

const EQ = /^http\.host\s+(?:eq|==)\s+"([^"\\]*)"$/;
const IN = /^http\.host\s+in\s+\{((?:\s*"[^"\\]*")+)\s*\}$/;

function stripParens(text: string): string {
  let out = text.trim();
  while (out.startsWith("(") && out.endsWith(")") && balanced(out.slice(1, -1)))
    out = out.slice(1, -1).trim();
  return out;
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const char of text) {
    if (char === "(") depth += 1;
    if (char === ")") depth -= 1;
    if (depth < 0) return false;
  }
  return depth === 0;
}

function atom(text: string): string[] | undefined {
  const inner = stripParens(text);
  const eq = EQ.exec(inner);
  if (eq) return [eq[1]!];
  const inSet = IN.exec(inner);
  if (inSet) return [...inSet[1]!.matchAll(/"([^"\\]*)"/g)].map((m) => m[1]!);
  return undefined;
}

/**
 * The hostnames a rule expression names when it is the simple form `http.host eq "x"`,
 * `http.host in {"a" "b"}`, or an `or` of those; `undefined` for anything else (the checker then
 * cannot tell which hosts the rule applies to).
 */
export function hostnamesOfExpression(expression: string): string[] | undefined {
  const text = stripParens(expression);
  if (/[()]/.test(text.replaceAll(/\([^()]*\)/g, "")) || /\b(and|not|xor)\b|&&|!/.test(text))
    return undefined;
  const parts = text.split(/\s+(?:or|\|\|)\s+/);
  const hosts: string[] = [];
  for (const part of parts) {
    const found = atom(part);
    if (!found) return undefined;
    hosts.push(...found.map((h) => h.toLowerCase()));
  }
  return hosts.length > 0 ? [...new Set(hosts)] : undefined;
}
