import type { Argument, Expression, Index, Literal, Rhs, SetItem, ValueExpr } from "./ast.js";

/**
 * Writes an expression back as Rules language text that parses to the same tree: every group is
 * parenthesised, strings use raw syntax when that avoids escapes, English operators throughout.
 */
export function printExpression(e: Expression): string {
  switch (e.type) {
    case "bool":
      return String(e.value);
    case "not":
      return `not ${wrap(e.arg)}`;
    case "logical":
      return e.items.map(wrap).join(` ${e.op} `);
    case "test":
      return printValue(e.value);
    case "compare":
      return `${printValue(e.lhs)} ${e.op} ${printRhs(e.rhs)}`;
  }
}

function wrap(e: Expression): string {
  return e.type === "logical" || e.type === "compare" ? `(${printExpression(e)})` : printExpression(e);
}

function printValue(v: ValueExpr): string {
  const head = v.type === "field" ? v.name : `${v.name}(${v.args.map(printArgument).join(", ")})`;
  return head + v.indexes.map(printIndex).join("");
}

function printArgument(a: Argument): string {
  return a.type === "literal" ? printLiteral(a.value) : printExpression(a);
}

function printIndex(i: Index): string {
  if (i.kind === "each") return "[*]";
  if (i.kind === "position") return `[${i.value}]`;
  return `[${quote(i.value)}]`;
}

function printRhs(r: Rhs): string {
  switch (r.kind) {
    case "literal":
      return printLiteral(r.value);
    case "regex":
      return rawString(r.pattern);
    case "wildcard":
      return rawString(r.pattern);
    case "set":
      return `{${r.items.map(printItem).join(" ")}}`;
    case "list":
      return `$${r.name}`;
  }
}

function printItem(i: SetItem): string {
  if (i.kind === "int-range" || i.kind === "ip-range") return `${i.from}..${i.to}`;
  return printLiteral(i);
}

function printLiteral(l: Literal): string {
  if (l.kind === "int") return l.value.toString();
  if (l.kind === "ip") return l.text;
  return quote(l.value);
}

/** A quoted string with `\"` and `\\` escaped (the only escapes printable text needs). */
function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** A raw string with enough `#` that the text cannot close it early. */
function rawString(s: string): string {
  let hashes = "";
  while (s.includes(`"${hashes}`)) hashes += "#";
  return `r${hashes}"${s}"${hashes}`;
}
