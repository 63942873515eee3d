import type { Decide, Decision } from "./decide.js";
import { decideForHost, type Expression, parseExpression } from "./expression/index.js";

/**
 * Decide rule expressions with the Rules language evaluator (`./expression`): each expression is
 * parsed once; one that does not parse is undecidable, naming the error and where it is.
 */
export function createRulesDecide(options: { readonly zone?: string } = {}): Decide {
  const parsed = new Map<string, { ok: true; expression: Expression } | { ok: false; why: string }>();
  return (text, hostname, path): Decision => {
    let entry = parsed.get(text);
    if (!entry) {
      const result = parseExpression(text);
      entry = result.ok
        ? { ok: true, expression: result.expression }
        : { ok: false, why: `the expression does not parse (${result.error}, at ${result.at})` };
      parsed.set(text, entry);
    }
    if (!entry.ok) return { kind: "undecidable", why: entry.why };
    return decideForHost(
      entry.expression,
      hostname,
      path,
      options.zone !== undefined ? { zone: options.zone } : {},
    );
  };
}
