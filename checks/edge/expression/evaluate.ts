import type { Argument, Expression, ValueExpr } from "./ast.js";
import { compareValue } from "./compare.js";
import { type Facts, fieldValue } from "./fields.js";
import { callFunction } from "./functions.js";
import {
  bool,
  describe,
  type Tri,
  triAnd,
  triNot,
  triOr,
  triXor,
  undecided,
  unknown,
  type Value,
} from "./value.js";

/** Evaluates an expression against the facts with three-valued logic. */
export function evaluateTri(e: Expression, f: Facts): Tri {
  switch (e.type) {
    case "bool":
      return e.value;
    case "not":
      return triNot(evaluateTri(e.arg, f));
    case "logical": {
      const parts = e.items.map((item) => evaluateTri(item, f));
      return e.op === "and" ? triAnd(parts) : e.op === "or" ? triOr(parts) : triXor(parts);
    }
    case "compare":
      return compareValue(valueOfExpr(e.lhs, f), e.op, e.rhs);
    case "test": {
      const v = valueOfExpr(e.value, f);
      if (v.t === "bool") return v.v;
      if (v.t === "unknown") return undecided(v.why);
      if (v.t === "prefix") return undecided(v.why);
      return undecided(`${describe(v)} is used as a condition but is not a boolean`);
    }
  }
}

/** The value of a field or function call (with its indexes). */
export function valueOfExpr(v: ValueExpr, f: Facts): Value {
  const base =
    v.type === "field"
      ? fieldValue(v.name, f)
      : callFunction(
          v.name,
          v.args.map((a) => argumentValue(a, f)),
        );
  if (v.indexes.length === 0) return base;
  if (base.t === "unknown") return base;
  return unknown(`${v.name}[...]: indexing ${describe(base)} is not supported`);
}

function argumentValue(a: Argument, f: Facts): Value {
  switch (a.type) {
    case "literal": {
      const l = a.value;
      if (l.kind === "string")
        return l.utf8 ? { t: "str", v: l.value } : unknown("a string literal with bytes that are not UTF-8");
      if (l.kind === "int") return { t: "int", v: l.value };
      return unknown(`the IP literal ${l.text} as an argument`);
    }
    case "test":
      return valueOfExpr(a.value, f);
    case "bool":
      return bool(a.value);
    default: {
      const t = evaluateTri(a, f);
      return typeof t === "boolean" ? bool(t) : unknown(t.unknown.join("; "));
    }
  }
}
