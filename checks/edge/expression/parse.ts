import type { Argument, CompareOp, Expression, Index, Literal, Rhs, SetItem, ValueExpr } from "./ast.js";
import { COMPARISON_OPERATORS, LIST_NAME_PATTERN, LOGICAL_OPERATORS, MAX_NESTING } from "./facts.js";
import { readBareLiteral, readInteger } from "./literal.js";
import { ParseError, Scanner } from "./scanner.js";
import { parseWildcard } from "./wildcard.js";

export type ParseResult =
  | { readonly ok: true; readonly expression: Expression }
  | { readonly ok: false; readonly error: string; readonly at: number };

/**
 * Parses a Rules language expression. Recursive descent over the text in one forward pass (linear
 * in its length); precedence from loosest to tightest: `or`, `xor`, `and`, then `not` / groups /
 * comparisons. A syntax error is returned with its offset, never thrown.
 */
export function parseExpression(text: string): ParseResult {
  const parser = new Parser(text);
  try {
    return { ok: true, expression: parser.parseWhole() };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, error: e.message, at: e.at };
    throw e;
  }
}

const OPERATOR_OF: Readonly<Record<keyof typeof COMPARISON_OPERATORS, CompareOp>> = {
  eq: "eq",
  ne: "ne",
  lt: "lt",
  le: "le",
  gt: "gt",
  ge: "ge",
  contains: "contains",
  matches: "matches",
  wildcard: "wildcard",
  strictWildcard: "strict wildcard",
  in: "in",
  bitwiseAnd: "bitwise_and",
};

/** Spellings of the comparison operators: words (`eq`), then symbols longest first (`<=` before `<`). */
const SPELLINGS: readonly { readonly text: string; readonly op: CompareOp; readonly word: boolean }[] =
  Object.entries(COMPARISON_OPERATORS)
    .flatMap(([key, spellings]) =>
      spellings.map((text) => ({
        text,
        op: OPERATOR_OF[key as keyof typeof COMPARISON_OPERATORS],
        word: /^[a-z_]/.test(text),
      })),
    )
    .filter((s) => !s.text.includes(" ")) // `strict wildcard` is read as two words
    .sort((x, y) => Number(y.word) - Number(x.word) || y.text.length - x.text.length);

class Parser {
  private readonly s: Scanner;
  private depth = 0;

  constructor(text: string) {
    this.s = new Scanner(text);
  }

  parseWhole(): Expression {
    this.s.skipSpace();
    if (this.s.done) throw new ParseError("the expression is empty", 0);
    const e = this.parseOr();
    this.s.skipSpace();
    if (!this.s.done) {
      throw new ParseError(
        `unexpected ${JSON.stringify(this.s.text.slice(this.s.pos, this.s.pos + 12))}: expected and, or, xor or the end`,
        this.s.pos,
      );
    }
    return e;
  }

  private parseOr(): Expression {
    return this.parseLevel("or", LOGICAL_OPERATORS.or, () => this.parseXor());
  }

  private parseXor(): Expression {
    return this.parseLevel("xor", LOGICAL_OPERATORS.xor, () => this.parseAnd());
  }

  private parseAnd(): Expression {
    return this.parseLevel("and", LOGICAL_OPERATORS.and, () => this.parseUnary());
  }

  private parseLevel(
    op: "and" | "or" | "xor",
    spellings: readonly string[],
    next: () => Expression,
  ): Expression {
    const at = this.s.pos;
    const items = [next()];
    for (;;) {
      this.s.skipSpace();
      const matched = spellings.some((w) => (/^[a-z]/.test(w) ? this.s.eatWord(w) : this.s.eat(w)));
      if (!matched) break;
      this.s.skipSpace();
      items.push(next());
    }
    return items.length === 1 ? items[0]! : { type: "logical", op, items, at };
  }

  private parseUnary(): Expression {
    this.s.skipSpace();
    const at = this.s.pos;
    const [notWord, notSymbol] = LOGICAL_OPERATORS.not;
    if (this.s.eatWord(notWord) || (this.s.peek(notSymbol.length) !== "=" && this.s.eat(notSymbol))) {
      return this.nested(() => {
        this.s.skipSpace();
        return { type: "not", arg: this.parseUnary(), at };
      });
    }
    if (this.s.eat("(")) {
      return this.nested(() => {
        this.s.skipSpace();
        const inner = this.parseOr();
        this.s.skipSpace();
        this.s.expect(")", "a closing parenthesis");
        return inner;
      });
    }
    for (const [word, value] of [
      ["true", true],
      ["false", false],
    ] as const) {
      if (this.s.atWord(word) && this.s.peek(word.length) !== ".") {
        this.s.eatWord(word);
        return { type: "bool", value, at };
      }
    }
    if (this.s.done) throw new ParseError("expected a condition, found the end of the expression", at);
    const reserved = ["and", "or", "xor"].find((w) => this.s.atWord(w));
    if (reserved) throw new ParseError(`expected a condition before ${reserved}`, at);
    if (!this.s.atIdentifier()) {
      throw new ParseError(
        `expected a condition (a field, a function, not or a parenthesis), found ${JSON.stringify(this.s.peek())}`,
        at,
      );
    }
    return this.parseComparison();
  }

  /** Runs one level of nesting (a parenthesis, a `not`, a function call), bounded by MAX_NESTING. */
  private nested<T>(body: () => T): T {
    if (++this.depth > MAX_NESTING) throw new ParseError(`nesting deeper than ${MAX_NESTING}`, this.s.pos);
    try {
      return body();
    } finally {
      this.depth--;
    }
  }

  private parseComparison(): Expression {
    const at = this.s.pos;
    const lhs = this.parseValue();
    const afterValue = this.s.pos;
    this.s.skipSpace();
    const op = this.readOperator();
    if (op === undefined) {
      this.s.pos = afterValue;
      return { type: "test", value: lhs, at };
    }
    this.s.skipSpace();
    return { type: "compare", lhs, op, rhs: this.parseRhs(op), at };
  }

  private readOperator(): CompareOp | undefined {
    const s = this.s;
    const save = s.pos;
    if (s.eatWord("strict")) {
      s.skipSpace();
      if (s.eatWord("wildcard")) return "strict wildcard";
      s.pos = save;
      return undefined;
    }
    for (const { text, op, word } of SPELLINGS) {
      if (word ? s.atWord(text) : s.startsWith(text)) {
        // `&&` after a value is the logical and, not the bitwise `&`.
        if (text === "&" && s.peek(1) === "&") continue;
        s.pos += text.length;
        return op;
      }
    }
    return undefined;
  }

  private parseRhs(op: CompareOp): Rhs {
    const s = this.s;
    const at = s.pos;
    switch (op) {
      case "matches": {
        if (!s.atString()) throw new ParseError("expected a regular expression string after matches", at);
        const r = s.regexString();
        return { kind: "regex", pattern: r.value, raw: r.raw };
      }
      case "wildcard":
      case "strict wildcard": {
        if (!s.atString()) throw new ParseError(`expected a string after ${op}`, at);
        const str = s.string();
        const parsed = parseWildcard(str.value);
        if (!parsed.ok) throw new ParseError(parsed.error, at);
        if (!str.utf8)
          throw new ParseError("a wildcard pattern with bytes that are not UTF-8 is not supported", at);
        return { kind: "wildcard", pattern: str.value, raw: str.raw };
      }
      case "in":
        if (s.peek() === "$") return this.parseList();
        if (s.peek() === "{") return { kind: "set", items: this.parseSet() };
        return { kind: "set", items: [this.parseScalar("a value, a list or { ... } after in", true)] };
      case "contains":
        if (s.peek() === "{") return { kind: "set", items: this.parseSet() };
        if (!s.atString()) throw new ParseError("expected a string after contains", at);
        return { kind: "literal", value: this.stringLiteral() };
      case "bitwise_and": {
        const text = s.bareLiteral();
        const n = readInteger(text);
        if (n === undefined) throw new ParseError("expected an integer after &", at);
        return { kind: "literal", value: { kind: "int", value: n } };
      }
      default: {
        const item = this.parseScalar(`a value after ${op}`, false);
        return { kind: "literal", value: item as Literal };
      }
    }
  }

  private stringLiteral(): Literal {
    const str = this.s.string();
    return { kind: "string", value: str.value, raw: str.raw, utf8: str.utf8 };
  }

  /** A string, or a bare integer / IP address (and, inside a list, a range). */
  private parseScalar(expected: string, inSet: boolean): SetItem {
    const s = this.s;
    const at = s.pos;
    if (s.atString()) return this.stringLiteral();
    const text = s.bareLiteral();
    const item = text === "" ? undefined : readBareLiteral(text, inSet);
    if (item === undefined) {
      s.pos = at;
      throw new ParseError(`expected ${expected}${text ? `, found ${JSON.stringify(text)}` : ""}`, at);
    }
    return item;
  }

  private parseSet(): SetItem[] {
    const s = this.s;
    const start = s.pos;
    s.expect("{", "{");
    const items: SetItem[] = [];
    for (;;) {
      s.skipSpace();
      if (s.eat("}")) return items;
      if (s.done) throw new ParseError("a list { ... } has no closing }", start);
      items.push(this.parseScalar("a string, number, range or IP address in the list", true));
    }
  }

  private parseList(): Rhs {
    const s = this.s;
    const at = s.pos;
    s.expect("$", "$");
    const start = s.pos;
    while (/[A-Za-z0-9_.]/.test(s.peek())) s.pos++;
    const name = s.text.slice(start, s.pos);
    if (!LIST_NAME_PATTERN.test(name) || name.endsWith(".")) {
      throw new ParseError(`invalid list name ${JSON.stringify(name)} (lower-case letters, digits, _)`, at);
    }
    return { kind: "list", name };
  }

  private parseValue(): ValueExpr {
    const s = this.s;
    const at = s.pos;
    const name = s.identifier();
    const afterName = s.pos;
    s.skipSpace();
    if (s.peek() === "(") {
      s.pos++;
      const args = this.nested(() => this.parseArguments());
      return { type: "call", name, args, indexes: this.parseIndexes(), at };
    }
    s.pos = afterName;
    return { type: "field", name, indexes: this.parseIndexes(), at };
  }

  private parseArguments(): Argument[] {
    const s = this.s;
    const args: Argument[] = [];
    s.skipSpace();
    if (s.eat(")")) return args;
    for (;;) {
      s.skipSpace();
      args.push(this.parseArgument());
      s.skipSpace();
      if (s.eat(",")) continue;
      s.expect(")", ", or ) after a function argument");
      return args;
    }
  }

  private parseArgument(): Argument {
    const s = this.s;
    const at = s.pos;
    if (s.atString()) return { type: "literal", value: this.stringLiteral(), at };
    const c = s.peek();
    if ((c >= "0" && c <= "9") || (c === "-" && s.peek(1) >= "0" && s.peek(1) <= "9")) {
      const item = this.parseScalar("a number", false);
      return { type: "literal", value: item as Literal, at };
    }
    return this.parseOr();
  }

  private parseIndexes(): Index[] {
    const s = this.s;
    const indexes: Index[] = [];
    while (s.peek() === "[") {
      const at = s.pos;
      s.pos++;
      s.skipSpace();
      if (s.eat("*")) indexes.push({ kind: "each" });
      else if (s.atString()) indexes.push({ kind: "key", value: s.string().value });
      else {
        const n = readInteger(s.bareLiteral());
        if (n === undefined || n < 0n) throw new ParseError("expected an index: a number, a string or *", at);
        indexes.push({ kind: "position", value: n });
      }
      s.skipSpace();
      s.expect("]", "]");
    }
    return indexes;
  }
}
