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
