/**
 * Terraform's string templates as they appear in configuration values (HCL strings after parsing,
 * and every string of Terraform JSON): literal text, `${ ... }` interpolations and `%{ ... }`
 * directives, with `$${` and `%%{` standing for literal `${` and `%{`.
 */

export type TemplatePart =
  | { readonly kind: "literal"; readonly text: string }
  | { readonly kind: "interpolation"; readonly expression: string }
  | { readonly kind: "directive"; readonly source: string };

/** Whether a string holds anything to evaluate (an interpolation or a directive). */
export function isTemplate(text: string): boolean {
  return mayHoldTemplate(text) && splitTemplate(text).some((p) => p.kind !== "literal");
}

/**
 * Whether a string can hold a template sequence at all: every one (`${`, `%{`, and their escapes
 * `$${`, `%%{`) has a `{`. Most configuration strings have none, and are literals as they stand.
 */
export function mayHoldTemplate(text: string): boolean {
  return text.includes("{");
}

/** Templates split before, by text: a configuration repeats the same few across its resources. */
const SPLIT_CACHE = new Map<string, readonly TemplatePart[]>();
const SPLIT_CACHE_MAX = 10_000;

/** Where a `${`/`%{` opened at `start` closes (index of its `}`), or -1 when it never does. */
function closingBrace(text: string, start: number): number {
  let depth = 1;
  let i = start + 2;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      i = skipString(text, i);
      continue;
    }
    if (c === "{") depth += 1;
    else if (c === "}") {
      depth -= 1;
      if (depth === 0) return i;
    }
    i += 1;
  }
  return -1;
}

/** The index just past the string literal that starts at `start` (a `"`), nested templates included. */
function skipString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\\") i += 2;
    else if (c === '"') return i + 1;
    else if ((c === "$" || c === "%") && text[i + 1] === "{") {
      const end = closingBrace(text, i);
      i = end < 0 ? text.length : end + 1;
    } else i += 1;
  }
  return text.length;
}

/**
 * Split a template into its parts; an unclosed `${` is kept as literal text (Terraform would refuse
 * it). The parts are shared between calls with the same text: callers must not change them.
 */
export function splitTemplate(text: string): readonly TemplatePart[] {
  if (!mayHoldTemplate(text)) return [{ kind: "literal", text }];
  const cached = SPLIT_CACHE.get(text);
  if (cached !== undefined) return cached;
  const parts = splitTemplateText(text);
  if (SPLIT_CACHE.size >= SPLIT_CACHE_MAX) SPLIT_CACHE.clear();
  SPLIT_CACHE.set(text, parts);
  return parts;
}

function splitTemplateText(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if ((c === "$" || c === "%") && next === c && text[i + 2] === "{") {
      literal += `${c}{`;
      i += 3;
      continue;
    }
    if ((c === "$" || c === "%") && next === "{") {
      const end = closingBrace(text, i);
      if (end < 0) {
        literal += text.slice(i);
        break;
      }
      if (literal) parts.push({ kind: "literal", text: literal });
      literal = "";
      const inner = text.slice(i + 2, end);
      parts.push(
        c === "$"
          ? { kind: "interpolation", expression: inner.replace(/^~/, "").replace(/~$/, "").trim() }
          : { kind: "directive", source: text.slice(i, end + 1) },
      );
      i = end + 1;
      continue;
    }
    literal += c;
    i += 1;
  }
  if (literal || parts.length === 0) parts.push({ kind: "literal", text: literal });
  return parts;
}

/**
 * The template as one HCL quoted-string expression (literal parts escaped, interpolations and
 * directives kept), for parsers that read whole templates (needed when directives are present).
 */
export function quotedTemplate(text: string): string {
  let out = '"';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if ((c === "$" || c === "%") && text[i + 1] === c && text[i + 2] === "{") {
      out += `${c}${c}{`;
      i += 3;
      continue;
    }
    if ((c === "$" || c === "%") && text[i + 1] === "{") {
      const end = closingBrace(text, i);
      if (end >= 0) {
        out += text.slice(i, end + 1);
        i = end + 1;
        continue;
      }
    }
    out +=
      c === '"'
        ? '\\"'
        : c === "\\"
          ? "\\\\"
          : c === "\n"
            ? "\\n"
            : c === "\r"
              ? "\\r"
              : c === "\t"
                ? "\\t"
                : c;
    i += 1;
  }
  return `${out}"`;
}
