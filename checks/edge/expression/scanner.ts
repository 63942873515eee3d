import { QUOTED_STRING_ESCAPES, RAW_STRING_MAX_HASHES, WHITESPACE } from "./facts.js";

/** A syntax error at an offset of the expression text. Thrown inside the parser, returned as a value by it. */
export class ParseError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

export interface ScannedString {
  readonly value: string;
  readonly raw: boolean;
  /** False when escapes produced bytes that are not UTF-8 (then `value` is only approximate). */
  readonly utf8: boolean;
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const BARE_LITERAL_CHAR = /[A-Za-z0-9.:/_-]/;
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Character-level reading of an expression: whitespace, words, names, strings and bare literals.
 * Every method moves forward only, so parsing with it stays linear in the length of the text.
 */
export class Scanner {
  pos = 0;

  constructor(readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? "";
  }

  skipSpace(): void {
    while (this.pos < this.text.length && WHITESPACE.has(this.text[this.pos]!)) this.pos++;
  }

  startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }

  /** Consumes `s` if the text continues with it. */
  eat(s: string): boolean {
    if (!this.startsWith(s)) return false;
    this.pos += s.length;
    return true;
  }

  expect(s: string, what: string): void {
    if (!this.eat(s)) throw new ParseError(`expected ${what}`, this.pos);
  }

  /** True when the text continues with the word `w` not followed by a name character. */
  atWord(w: string): boolean {
    return this.startsWith(w) && !IDENT_PART.test(this.text[this.pos + w.length] ?? "");
  }

  eatWord(w: string): boolean {
    if (!this.atWord(w)) return false;
    this.pos += w.length;
    return true;
  }

  atIdentifier(): boolean {
    return IDENT_START.test(this.peek());
  }

  /** A dotted name: `http.request.uri.path`, `cf.bot_management.score`, `lower`. */
  identifier(): string {
    const start = this.pos;
    if (!this.atIdentifier()) throw new ParseError("expected a field or function name", this.pos);
    for (;;) {
      while (IDENT_PART.test(this.peek())) this.pos++;
      if (this.peek() === "." && IDENT_PART.test(this.peek(1))) {
        this.pos++;
        continue;
      }
      break;
    }
    return this.text.slice(start, this.pos);
  }

  /** True when a string literal starts here: `"`, `r"` or `r#`. */
  atString(): boolean {
    const c = this.peek();
    return c === '"' || (c === "r" && (this.peek(1) === '"' || this.peek(1) === "#"));
  }

  /** A quoted or raw string with ordinary escaping (`\"`, `\\`, `\xHH`, `\OOO`). */
  string(): ScannedString {
    if (this.peek() === "r") return this.rawString();
    if (this.peek() !== '"') throw new ParseError("expected a string", this.pos);
    const start = this.pos;
    this.pos++;
    const bytes: number[] = [];
    const encoder = new TextEncoder();
    for (;;) {
      if (this.done) throw new ParseError("a string has no closing quote", start);
      const c = this.text[this.pos]!;
      if (c === '"') {
        this.pos++;
        break;
      }
      if (c === "\\") {
        const e = this.text[this.pos + 1];
        if (e === undefined) throw new ParseError("a string has no closing quote", start);
        if (e === '"' || e === "\\") {
          bytes.push(e.charCodeAt(0));
          this.pos += 2;
        } else if (e === "x") {
          const hex = this.text.slice(this.pos + 2, this.pos + 4);
          if (!/^[0-9A-Fa-f]{2}$/.test(hex))
            throw new ParseError("expected two hex digits after \\x", this.pos);
          bytes.push(Number.parseInt(hex, 16));
          this.pos += 4;
        } else if (e >= "0" && e <= "7") {
          const oct = this.text.slice(this.pos + 1, this.pos + 4);
          const n = /^[0-7]{3}$/.test(oct) ? Number.parseInt(oct, 8) : Number.NaN;
          if (!(n <= 255))
            throw new ParseError("expected three octal digits (at most 377) after \\", this.pos);
          bytes.push(n);
          this.pos += 4;
        } else {
          const allowed = QUOTED_STRING_ESCAPES.map((x) => `\\${x}`).join(", ");
          throw new ParseError(`invalid escape \\${e} in a string (expected one of ${allowed})`, this.pos);
        }
        continue;
      }
      const cp = this.text.codePointAt(this.pos)!;
      const ch = String.fromCodePoint(cp);
      for (const b of encoder.encode(ch)) bytes.push(b);
      this.pos += ch.length;
    }
    return decodeBytes(bytes, false);
  }

  /**
   * The pattern of `matches` in a quoted string: escapes are kept for the regex engine, except `\"`
   * outside a character class, which is the quote itself.
   */
  regexString(): ScannedString {
    if (this.peek() === "r") return this.rawString();
    if (this.peek() !== '"') throw new ParseError("expected a regular expression string", this.pos);
    const start = this.pos;
    this.pos++;
    let out = "";
    let inClass = false;
    for (;;) {
      if (this.done) throw new ParseError("a regular expression has no closing quote", start);
      const c = this.text[this.pos]!;
      if (c === "\\") {
        const e = this.text[this.pos + 1];
        if (e === undefined) throw new ParseError("a regular expression has no closing quote", start);
        out += inClass || e !== '"' ? `\\${e}` : e;
        this.pos += 2;
        continue;
      }
      if (c === '"' && !inClass) {
        this.pos++;
        break;
      }
      if (c === "[" && !inClass) inClass = true;
      else if (c === "]" && inClass) inClass = false;
      out += c;
      this.pos++;
    }
    return { value: out, raw: false, utf8: true };
  }

  /** `r"..."` or `r#"..."#` (up to 255 `#`): no escapes at all. */
  rawString(): ScannedString {
    const start = this.pos;
    this.expect("r", "a raw string");
    let hashes = 0;
    while (this.peek() === "#") {
      hashes++;
      this.pos++;
    }
    if (hashes > RAW_STRING_MAX_HASHES)
      throw new ParseError(`a raw string may use at most ${RAW_STRING_MAX_HASHES} #`, start);
    this.expect('"', 'a " after r and #');
    const close = `"${"#".repeat(hashes)}`;
    const end = this.text.indexOf(close, this.pos);
    if (end < 0) throw new ParseError("a raw string has no closing delimiter", start);
    const value = this.text.slice(this.pos, end);
    this.pos = end + close.length;
    return { value, raw: true, utf8: true };
  }

  /** A run of the characters numbers, IP addresses, CIDR ranges and ranges are made of. */
  bareLiteral(): string {
    const start = this.pos;
    while (BARE_LITERAL_CHAR.test(this.peek())) {
      // `..` is part of a range; a single `.` inside an IPv4 address too.
      this.pos++;
    }
    return this.text.slice(start, this.pos);
  }
}

function decodeBytes(bytes: readonly number[], raw: boolean): ScannedString {
  const array = Uint8Array.from(bytes);
  try {
    return { value: utf8Decoder.decode(array), raw, utf8: true };
  } catch {
    let value = "";
    for (const b of bytes) value += String.fromCharCode(b);
    return { value, raw, utf8: false };
  }
}
