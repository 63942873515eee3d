import type { ExpressionNode, ParsedExpression } from "./ast.js";

/**
 * The literal text of a template inside an expression, as Terraform reads it. HashiCorp's parser
 * decodes the strings it hands over as configuration values, but inside an expression
 * (`split("\n", x)`, `jsonencode(<<-EOT ... EOT)`) its syntax tree keeps each literal as written:
 * quoted strings with their escapes (`\n`, `\"`, `\u00e9`), heredocs with their indentation. This
 * turns them into what Terraform evaluates (HCL native syntax spec, "Template Literals" and
 * "Heredoc Templates"; checked 2026-11-30).
 */

/** How the template around a literal was written: quoted (escapes apply), or a heredoc (`strip` for `<<-`). */
type LiteralContext = { readonly kind: "quoted" } | { readonly kind: "heredoc"; readonly strip: number };

const QUOTED: LiteralContext = { kind: "quoted" };
const CONTEXTS = new WeakMap<ParsedExpression, WeakMap<ExpressionNode, LiteralContext>>();

/** The value of a string literal node: escapes decoded in quoted strings, indentation stripped in `<<-` heredocs. */
export function templateLiteralText(raw: string, node: ExpressionNode, parsed: ParsedExpression): string {
  const context = contextsOf(parsed).get(node) ?? QUOTED;
  if (context.kind === "quoted") return unescapeTemplateMarkers(decodeQuotedEscapes(raw));
  return unescapeTemplateMarkers(context.strip > 0 ? stripAfterNewlines(raw, context.strip) : raw);
}

/** `\n`, `\r`, `\t`, `\"`, `\\`, `\uNNNN` and `\UNNNNNNNN`, as in a quoted HCL string. */
export function decodeQuotedEscapes(raw: string): string {
  if (!raw.includes("\\")) return raw;
  return raw.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/gs, (whole, sequence: string) => {
    switch (sequence[0]) {
      case "n":
        return "\n";
      case "r":
        return "\r";
      case "t":
        return "\t";
      case '"':
        return '"';
      case "\\":
        return "\\";
      case "u":
      case "U":
        return sequence.length > 1 ? String.fromCodePoint(Number.parseInt(sequence.slice(1), 16)) : whole;
      default:
        return whole;
    }
  });
}

/** `$${` and `%%{` stand for a literal `${` and `%{` in every template. */
function unescapeTemplateMarkers(text: string): string {
  return text.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
}

/** Remove up to `count` leading spaces or tabs after each newline. */
function stripAfterNewlines(text: string, count: number): string {
  return text.replace(new RegExp(`\\n[ \\t]{0,${count}}`, "g"), "\n");
}

/**
 * The context of every literal of an expression. A template node's source (in `meta.value`; its
 * range is not reliable) starts with `"` or `<<`; the bodies of `%{ for }` and `%{ if }` inside a
 * template have neither and belong to the template around them.
 */
function contextsOf(parsed: ParsedExpression): WeakMap<ExpressionNode, LiteralContext> {
  let contexts = CONTEXTS.get(parsed);
  if (contexts === undefined) {
    const found = new WeakMap<ExpressionNode, LiteralContext>();
    const walk = (node: ExpressionNode, around: LiteralContext): void => {
      let context = around;
      const source = (node.meta as { value?: unknown } | undefined)?.value;
      if (node.type === "template" && typeof source === "string") {
        if (source.startsWith('"')) context = QUOTED;
        else if (source.startsWith("<<"))
          context = { kind: "heredoc", strip: source.startsWith("<<-") ? minimumIndent(source) : 0 };
      }
      if (node.type === "literalValue") found.set(node, context);
      for (const child of node.children ?? []) walk(child, context);
    };
    walk(parsed.node, QUOTED);
    contexts = found;
    CONTEXTS.set(parsed, contexts);
  }
  return contexts;
}

/** A flush heredoc's common indentation: the least leading whitespace of its non-blank body lines. */
function minimumIndent(source: string): number {
  const lines = source.split("\n").slice(1, -1);
  let least: number | undefined;
  for (const line of lines) {
    if (line.trim() === "") continue;
    const indent = /^[ \t]*/.exec(line)![0].length;
    least = least === undefined ? indent : Math.min(least, indent);
  }
  return least ?? 0;
}
