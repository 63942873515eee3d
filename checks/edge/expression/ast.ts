/**
 * The syntax tree of a Rules language expression. `at` is the offset in the source text where the
 * node starts (for messages); it does not take part in evaluation.
 */

export type Expression =
  | {
      readonly type: "logical";
      readonly op: "and" | "or" | "xor";
      readonly items: readonly Expression[];
      readonly at: number;
    }
  | { readonly type: "not"; readonly arg: Expression; readonly at: number }
  | {
      readonly type: "compare";
      readonly lhs: ValueExpr;
      readonly op: CompareOp;
      readonly rhs: Rhs;
      readonly at: number;
    }
  /** A value used as a condition on its own: a boolean field (`ssl`) or function (`starts_with(...)`). */
  | { readonly type: "test"; readonly value: ValueExpr; readonly at: number }
  /** The literals `true` and `false`, which the API accepts as whole expressions. */
  | { readonly type: "bool"; readonly value: boolean; readonly at: number };

export type CompareOp =
  | "eq"
  | "ne"
  | "lt"
  | "le"
  | "gt"
  | "ge"
  | "contains"
  | "matches"
  | "wildcard"
  | "strict wildcard"
  | "in"
  | "bitwise_and";

export type ValueExpr =
  | { readonly type: "field"; readonly name: string; readonly indexes: readonly Index[]; readonly at: number }
  | {
      readonly type: "call";
      readonly name: string;
      readonly args: readonly Argument[];
      readonly indexes: readonly Index[];
      readonly at: number;
    };

/** `[0]`, `["key"]` or `[*]` after a field or call. */
export type Index =
  | { readonly kind: "position"; readonly value: bigint }
  | { readonly kind: "key"; readonly value: string }
  | { readonly kind: "each" };

/** A function argument: a literal, or any expression (a field, a call, a comparison, `a and b`). */
export type Argument =
  | { readonly type: "literal"; readonly value: Literal; readonly at: number }
  | Expression;

export type Literal =
  /**
   * A string; `utf8` is false when escapes (`\xFF`) produced bytes that are not UTF-8, in which case
   * `value` is not exact and comparisons with it are undecidable.
   */
  | { readonly kind: "string"; readonly value: string; readonly raw: boolean; readonly utf8: boolean }
  | { readonly kind: "int"; readonly value: bigint }
  /** An IP address or CIDR range (`192.0.2.0/24`, `2001:db8::/32`), kept as written. */
  | { readonly kind: "ip"; readonly text: string };

export type Rhs =
  | { readonly kind: "literal"; readonly value: Literal }
  /** The pattern of `matches`, as the regex engine receives it (quoted-string regex escaping applied). */
  | { readonly kind: "regex"; readonly pattern: string; readonly raw: boolean }
  /** The pattern of `wildcard` / `strict wildcard`, validated at parse time. */
  | { readonly kind: "wildcard"; readonly pattern: string; readonly raw: boolean }
  | { readonly kind: "set"; readonly items: readonly SetItem[] }
  | { readonly kind: "list"; readonly name: string };

export type SetItem =
  | Literal
  | { readonly kind: "int-range"; readonly from: bigint; readonly to: bigint }
  | { readonly kind: "ip-range"; readonly from: string; readonly to: string };
