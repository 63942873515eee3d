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
  readonly enabled: boolean;
  readonly source?: SourceRef;
}

/**
 * The hostnames a rule expression matches when it has the simple forms origin rules are written in:
 * `http.host eq "a.example.com"`, `http.host in {"a.example.com" "b.example.com"}`, joined by `or`,
 * optionally in parentheses. Anything else (other fields, `and`, `not`, wildcards) → undefined: the
 * checker cannot tell which hosts the rule applies to.
 */
export function hostnamesOfExpression(expression: string): string[] | undefined {
  const hosts: string[] = [];
  const parts = expression.trim().split(/\s+or\s+|\s*\|\|\s*/);
  for (const raw of parts) {
    const part = raw.trim().replace(/^\(+/, "").replace(/\)+$/, "").trim();
    const eq = /^http\.host\s+(?:eq|==)\s+"([^"]+)"$/.exec(part);
    if (eq) {
      hosts.push(eq[1]!.toLowerCase());
      continue;
    }
    const inSet = /^http\.host\s+in\s+\{((?:\s*"[^"]+"\s*)+)\}$/.exec(part);
    if (inSet) {
      for (const m of inSet[1]!.matchAll(/"([^"]+)"/g)) hosts.push(m[1]!.toLowerCase());
      continue;
    }
    return undefined;
  }
  return hosts.length > 0 ? hosts : undefined;
}
