import type { OriginRule } from "../model/origin-rule.js";

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
export function hostnamesOf(expression: string): string[] | undefined {
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

/** A rule of the `http_request_origin` entrypoint, as far as the reader looks at it. */
export interface ApiOriginRule {
  readonly action?: string;
  readonly expression?: string;
  readonly enabled?: boolean;
  readonly action_parameters?: { readonly origin?: { readonly host?: string; readonly port?: number } };
}

/** Route rules of the entrypoint as the shared `OriginRule` model; other actions are skipped. */
export function toOriginRules(rules: readonly ApiOriginRule[]): OriginRule[] {
  return rules
    .filter((rule) => rule.action === "route" && typeof rule.expression === "string")
    .map((rule) => {
      const origin = rule.action_parameters?.origin;
      const expression = rule.expression!;
      return {
        expression,
        hostnames: hostnamesOf(expression),
        enabled: rule.enabled ?? true,
        ...(origin?.port === undefined ? {} : { port: origin.port }),
        ...(origin?.host === undefined ? {} : { host: origin.host }),
      };
    });
}
