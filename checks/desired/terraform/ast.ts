import type { TFExpressionSyntaxTree } from "@cdktn/hcl2json";
import { isTemplate, quotedTemplate, splitTemplate } from "./template.js";

/**
 * A node of HCL's expression syntax tree as the library returns it. Its own types leave out the
 * untyped wrapper nodes (parentheses, object keys), so the evaluator reads nodes through this.
 */
export interface ExpressionNode {
  readonly type: string;
  // biome-ignore lint/suspicious/noExplicitAny: the meta shape depends on the node type.
  readonly meta?: any;
  readonly children?: readonly ExpressionNode[];
  readonly range?: TFExpressionSyntaxTree.CodeRange;
}

/** A parsed expression and the text it was parsed from (node ranges are offsets into it). */
export interface ParsedExpression {
  readonly text: string;
  readonly node: ExpressionNode;
}

export type ParseOutcome =
  | { readonly ok: true; readonly parsed: ParsedExpression }
  | { readonly ok: false; readonly error: string };

/**
 * Expressions parsed by CDK Terrain's HCL library (HashiCorp's own HCL parser compiled to
 * WebAssembly), cached by text: `for_each` instances share their expressions, so each distinct
 * expression is parsed once. Parsing is asynchronous; evaluation is not, so every expression a
 * configuration holds is parsed up front (`prepare`), then looked up (`get`).
 */
export class ExpressionCache {
  private readonly parsed = new Map<string, ParseOutcome>();

  get(text: string): ParseOutcome | undefined {
    return this.parsed.get(text);
  }

  /** Parse every expression inside these strings (interpolations, or whole templates with directives). */
  async prepare(strings: Iterable<string>): Promise<void> {
    const expressions: string[] = [];
    for (const text of strings) expressions.push(...expressionsOf(text));
    await this.prepareExpressions(expressions);
  }

  /** Parse bare expressions (a variable's `type`, written without `${}` in Terraform JSON). */
  async prepareExpressions(expressions: Iterable<string>): Promise<void> {
    const { getExpressionAst } = await import("@cdktn/hcl2json");
    for (const expression of expressions) {
      if (this.parsed.has(expression)) continue;
      try {
        const node = await getExpressionAst("expression.tf", expression);
        this.parsed.set(
          expression,
          node
            ? { ok: true, parsed: { text: expression, node: node as unknown as ExpressionNode } }
            : { ok: false, error: "empty expression" },
        );
      } catch (error) {
        this.parsed.set(expression, { ok: false, error: cleanParseError(error) });
      }
    }
  }
}

/** The expressions a configuration string asks to evaluate. */
export function expressionsOf(text: string): string[] {
  if (!isTemplate(text)) return [];
  const parts = splitTemplate(text);
  if (parts.some((p) => p.kind === "directive")) return [quotedTemplate(text)];
  return parts.flatMap((p) => (p.kind === "interpolation" ? [p.expression] : []));
}

function cleanParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/^getExpressionAst errors on input string '[\s\S]*?': /, "")
    .replace(/expression\.tf:\d+,\d+-\d+: /g, "")
    .replace(/, and \d+ other diagnostic\(s\)\s*$/, "")
    .trim();
}
