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
    const rest: string[] = [];
    for (const expression of expressions) {
      if (this.parsed.has(expression)) continue;
      const node = nameTraversal(expression);
      if (node) this.parsed.set(expression, { ok: true, parsed: { text: expression, node } });
      else rest.push(expression);
    }
    // HashiCorp's parser (WebAssembly, a few megabytes) is loaded only for what needs it.
    if (rest.length === 0) return;
    const { getExpressionAst } = await import("@cdktn/hcl2json");
    for (const expression of rest) {
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

/**
 * An identifier as HCL reads it, in ASCII: a letter or `_`, then letters, digits, `_` and `-`
 * (`a-b` is one name; a subtraction needs spaces or starts elsewhere). Other names go to the parser.
 */
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Names that begin a literal, not a traversal (`true.x` is an attribute of a literal). */
const LITERAL_KEYWORDS: ReadonlySet<string> = new Set(["true", "false", "null"]);

/**
 * The syntax tree HashiCorp's parser gives a plain traversal of names (`data.cloudflare_zone.main.zone_id`,
 * `var.zone`, `each.value`), built here without loading the parser: most configuration expressions
 * are such references (cdktf writes little else). Anything else (spaces, indexes, operators, calls)
 * is undefined, for the parser. Tests hold the two trees equal.
 */
export function nameTraversal(expression: string): ExpressionNode | undefined {
  const names = expression.split(".");
  if (!names.every((name) => NAME.test(name)) || LITERAL_KEYWORDS.has(names[0]!)) return undefined;
  const position = (byte: number) => ({ line: 0, column: byte, byte });
  let offset = 0;
  const traversal = names.map((segment, i) => {
    const start = offset;
    offset += segment.length + (i === 0 ? 0 : 1);
    return { type: "nameTraversal", segment, range: { start: position(start), end: position(offset) } };
  });
  return {
    children: [],
    type: "scopeTraversal",
    meta: { fullAccessor: expression, traversal, value: expression },
    range: { start: position(0), end: position(expression.length) },
  };
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
