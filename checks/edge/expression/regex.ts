/**
 * A subset of Rust's `regex` syntax, compiled to an NFA and run in time linear in the haystack (a
 * Thompson/Pike simulation, like Rust's own engine, so no pattern can make matching explode).
 *
 * Supported: literals, `.`, classes `[...]` / `[^...]` with ranges and the escapes below, `\d \D \w \W
 * \s \S`, `\b \B \A \z`, `^ $`, groups `( )`, `(?: )`, `(?P<n> )`, `(?<n> )`, flags `i m s U u` as
 * `(?flags)` or `(?flags: )`, alternation, `* + ? {n} {n,} {n,m}` (greedy or lazy), escapes of ASCII
 * punctuation, `\t \n \r \f \v \a`, `\xHH \x{H..} \uHHHH \u{H..} \UHHHHHHHH \U{H..}`.
 * Not supported (the result is "unsupported", never a guess): Unicode classes `\p{..}`, POSIX and
 * nested classes, class set operations (`&& -- ~~`), `(?x)`, `(?R)`, `\< \>`, `\b{..}`, octal.
 *
 * Matching is only attempted on ASCII haystacks: for ASCII text, Rust's Unicode-aware `\d \w \s \b`
 * and simple case folding coincide with their ASCII meaning, so the answer is exact.
 */

export type RegexCompile =
  | { readonly ok: true; readonly regex: CompiledRegex }
  | { readonly ok: false; readonly unsupported: string };

export interface CompiledRegex {
  readonly source: string;
  readonly program: readonly Inst[];
  /** True when the only assertions are start-of-text ones, so a match in `s` is also one in `s + t`. */
  readonly extensionSafe: boolean;
}

type Pred = (cp: number) => boolean;
type AssertKind = "textStart" | "textEnd" | "lineStart" | "lineEnd" | "wordBoundary" | "notWordBoundary";

type Node =
  | { readonly t: "empty" }
  | { readonly t: "char"; readonly pred: Pred }
  | { readonly t: "cat"; readonly items: readonly Node[] }
  | { readonly t: "alt"; readonly items: readonly Node[] }
  | { readonly t: "repeat"; readonly node: Node; readonly min: number; readonly max: number }
  | { readonly t: "assert"; readonly kind: AssertKind };

type Inst =
  | { op: "char"; pred: Pred; next: number }
  | { op: "split"; a: number; b: number }
  | { op: "jmp"; to: number }
  | { op: "assert"; kind: AssertKind; next: number }
  | { op: "match" };

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
}

/** Program size cap (counted repetitions are expanded); larger patterns are reported unsupported. */
export const MAX_PROGRAM_SIZE = 20_000;
const MAX_REPEAT = 1000;
const MAX_DEPTH = 200;

class Unsupported extends Error {}

const isDigit: Pred = (c) => c >= 48 && c <= 57;
const isWord: Pred = (c) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpace: Pred = (c) => c === 32 || (c >= 9 && c <= 13);

function swapAsciiCase(c: number): number {
  if (c >= 65 && c <= 90) return c + 32;
  if (c >= 97 && c <= 122) return c - 32;
  return c;
}

function foldPred(pred: Pred, flags: Flags): Pred {
  return flags.i ? (c) => pred(c) || pred(swapAsciiCase(c)) : pred;
}

class RegexParser {
  private pos = 0;
  private depth = 0;
  private hasEndSensitiveAssertion = false;

  constructor(private readonly src: string) {}

  parse(): { node: Node; extensionSafe: boolean } {
    const node = this.alternation({ i: false, m: false, s: false });
    if (this.pos < this.src.length) {
      throw new Unsupported(`unbalanced ) at offset ${this.pos}`);
    }
    return { node, extensionSafe: !this.hasEndSensitiveAssertion };
  }

  private peek(o = 0): string {
    return this.src[this.pos + o] ?? "";
  }

  /** A sticky match at `at`, without copying the rest of the pattern (keeps parsing linear). */
  private stickyMatch(re: RegExp, at: number): RegExpExecArray | null {
    re.lastIndex = at;
    return re.exec(this.src);
  }

  private alternation(flags: Flags): Node {
    if (++this.depth > MAX_DEPTH) throw new Unsupported("nesting too deep");
    const branches: Node[] = [this.concatenation(flags)];
    while (this.peek() === "|") {
      this.pos++;
      branches.push(this.concatenation(flags));
    }
    this.depth--;
    return branches.length === 1 ? branches[0]! : { t: "alt", items: branches };
  }

  private concatenation(flags: Flags): Node {
    const items: Node[] = [];
    while (this.pos < this.src.length && this.peek() !== "|" && this.peek() !== ")") {
      const atom = this.atom(flags);
      if (atom === undefined) continue; // a flag group `(?i)` changes flags and yields nothing
      items.push(this.repetition(atom));
    }
    if (items.length === 0) return { t: "empty" };
    return items.length === 1 ? items[0]! : { t: "cat", items };
  }

  private repetition(atom: Node): Node {
    let node = atom;
    for (;;) {
      const c = this.peek();
      let min: number;
      let max: number;
      if (c === "*") [min, max] = [0, Number.POSITIVE_INFINITY];
      else if (c === "+") [min, max] = [1, Number.POSITIVE_INFINITY];
      else if (c === "?") [min, max] = [0, 1];
      else if (c === "{") {
        const m = this.stickyMatch(/\{(\d+)(,(\d*))?\}/y, this.pos);
        if (!m) throw new Unsupported(`a { that is not a repetition at offset ${this.pos}`);
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === "" ? Number.POSITIVE_INFINITY : Number(m[3]);
        if (min > MAX_REPEAT || (Number.isFinite(max) && max > MAX_REPEAT) || max < min) {
          throw new Unsupported(`repetition ${m[0]} out of range`);
        }
        this.pos += m[0].length - 1;
      } else return node;
      this.pos++;
      if (this.peek() === "?") this.pos++; // lazy: same set of matches
      node = { t: "repeat", node, min, max };
    }
  }

  private atom(flags: Flags): Node | undefined {
    const c = this.peek();
    if (c === "(") return this.group(flags);
    if (c === "[") return this.charClass(flags);
    if (c === "\\") return this.escapeAtom(flags);
    if (c === "*" || c === "+" || c === "?")
      throw new Unsupported(`a repetition operator with nothing to repeat at offset ${this.pos}`);
    if (c === "{") throw new Unsupported(`a { with nothing to repeat at offset ${this.pos}`);
    this.pos++;
    if (c === ".") {
      const s = flags.s;
      return { t: "char", pred: (cp) => s || cp !== 10 };
    }
    if (c === "^") return this.assertion(flags.m ? "lineStart" : "textStart");
    if (c === "$") return this.assertion(flags.m ? "lineEnd" : "textEnd");
    const cp = this.src.codePointAt(this.pos - 1)!;
    if (cp > 0xffff) this.pos++;
    return { t: "char", pred: foldPred((x) => x === cp, flags) };
  }

  private assertion(kind: AssertKind): Node {
    if (kind !== "textStart") this.hasEndSensitiveAssertion = true;
    return { t: "assert", kind };
  }

  private group(flags: Flags): Node | undefined {
    this.pos++; // (
    let inner: Flags = flags;
    if (this.peek() === "?") {
      this.pos++;
      if (this.peek() === "=" || this.peek() === "!" || (this.peek() === "<" && /[=!]/.test(this.peek(1)))) {
        throw new Unsupported("look-around, which Rust's regex engine does not support");
      }
      if (this.peek() === "P" && this.peek(1) === "<") this.groupName(2);
      else if (this.peek() === "<") this.groupName(1);
      else if (this.peek() === ":") this.pos++;
      else {
        const m = this.stickyMatch(/([a-zA-Z-]*)([:)])/y, this.pos);
        if (!m) throw new Unsupported(`unsupported group syntax at offset ${this.pos}`);
        const updated = applyFlags(flags, m[1]!);
        this.pos += m[0].length;
        if (m[2] === ")") {
          // `(?i)`: applies to the rest of the enclosing group.
          Object.assign(flags, updated);
          return undefined;
        }
        inner = updated;
      }
    }
    const node = this.alternation(inner === flags ? { ...flags } : inner);
    if (this.peek() !== ")") throw new Unsupported("unclosed group");
    this.pos++;
    return node;
  }

  private groupName(skip: number): void {
    this.pos += skip;
    const m = this.stickyMatch(/[A-Za-z_][A-Za-z0-9_.[\]]*>/y, this.pos);
    if (!m) throw new Unsupported("invalid group name");
    this.pos += m[0].length;
  }

  private escapeAtom(flags: Flags): Node {
    this.pos++; // backslash
    const e = this.peek();
    if (e === "") throw new Unsupported("a pattern ends with a backslash");
    switch (e) {
      case "A":
        this.pos++;
        return this.assertion("textStart");
      case "z":
        this.pos++;
        return this.assertion("textEnd");
      case "b":
        if (this.peek(1) === "{") throw new Unsupported("\\b{...} assertions");
        this.pos++;
        return this.assertion("wordBoundary");
      case "B":
        this.pos++;
        return this.assertion("notWordBoundary");
    }
    const cls = this.perlClass(e);
    if (cls) {
      this.pos++;
      return { t: "char", pred: cls };
    }
    const cp = this.escapedCodePoint();
    return { t: "char", pred: foldPred((x) => x === cp, flags) };
  }

  private perlClass(e: string): Pred | undefined {
    switch (e) {
      case "d":
        return isDigit;
      case "D":
        return (c) => !isDigit(c);
      case "w":
        return isWord;
      case "W":
        return (c) => !isWord(c);
      case "s":
        return isSpace;
      case "S":
        return (c) => !isSpace(c);
    }
    return undefined;
  }

  /** After a backslash: a character escape, returning its code point (advances past it). */
  private escapedCodePoint(): number {
    const e = this.peek();
    const simple: Record<string, number> = { t: 9, n: 10, r: 13, f: 12, v: 11, a: 7 };
    if (e in simple) {
      this.pos++;
      return simple[e]!;
    }
    if (e === "x" || e === "u" || e === "U") {
      const width = e === "x" ? 2 : e === "u" ? 4 : 8;
      const braced = this.stickyMatch(/\{([0-9A-Fa-f]{1,8})\}/y, this.pos + 1);
      const fixed = this.stickyMatch(new RegExp(`[0-9A-Fa-f]{${width}}`, "y"), this.pos + 1);
      const hex = braced ? braced[1]! : fixed ? fixed[0] : undefined;
      if (hex === undefined) throw new Unsupported(`invalid \\${e} escape`);
      const cp = Number.parseInt(hex, 16);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new Unsupported("escape outside Unicode");
      this.pos += 1 + (braced ? braced[0].length : hex.length);
      return cp;
    }
    if (/^[!-/:-@[-`{-~]$/.test(e) && e !== "<" && e !== ">") {
      this.pos++;
      return e.charCodeAt(0);
    }
    throw new Unsupported(`escape \\${e}`);
  }

  private charClass(flags: Flags): Node {
    const start = this.pos;
    this.pos++; // [
    let negated = false;
    if (this.peek() === "^") {
      negated = true;
      this.pos++;
    }
    const preds: Pred[] = [];
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === "") throw new Unsupported(`unclosed class at offset ${start}`);
      if (c === "]" && !first) {
        this.pos++;
        break;
      }
      if (c === "[") throw new Unsupported("nested or POSIX classes");
      if (
        (c === "&" && this.peek(1) === "&") ||
        (c === "~" && this.peek(1) === "~") ||
        (c === "-" && this.peek(1) === "-")
      ) {
        throw new Unsupported("class set operations");
      }
      first = false;
      if (c === "\\") {
        const cls = this.perlClass(this.peek(1));
        if (cls) {
          this.pos += 2;
          preds.push(cls);
          continue;
        }
      }
      const lo = this.classChar();
      if (this.peek() === "-" && this.peek(1) !== "]" && this.peek(1) !== "") {
        this.pos++;
        if (this.peek() === "\\" && this.perlClass(this.peek(1)))
          throw new Unsupported("a range ending in a class");
        const hi = this.classChar();
        if (hi < lo) throw new Unsupported("a class range out of order");
        preds.push((x) => x >= lo && x <= hi);
      } else {
        preds.push((x) => x === lo);
      }
    }
    const union: Pred = (x) => preds.some((p) => p(x));
    const folded = foldPred(union, flags);
    return { t: "char", pred: negated ? (x) => !folded(x) : folded };
  }

  private classChar(): number {
    if (this.peek() === "\\") {
      this.pos++;
      if (this.peek() === "b" || this.peek() === "B" || this.peek() === "A" || this.peek() === "z") {
        throw new Unsupported("an assertion inside a class");
      }
      return this.escapedCodePoint();
    }
    const cp = this.src.codePointAt(this.pos)!;
    this.pos += cp > 0xffff ? 2 : 1;
    return cp;
  }
}

function applyFlags(flags: Flags, spec: string): Flags {
  const out = { ...flags };
  let on = true;
  for (const f of spec) {
    if (f === "-") {
      on = false;
      continue;
    }
    if (f === "i" || f === "m" || f === "s") out[f] = on;
    else if (f === "U" || f === "u") {
      // Greediness does not change whether there is a match; `u` does not change ASCII matching.
    } else throw new Unsupported(`flag ${f}`);
  }
  return out;
}

class Compiler {
  readonly program: Inst[] = [];

  emit(inst: Inst): number {
    if (this.program.length >= MAX_PROGRAM_SIZE) throw new Unsupported("pattern too large");
    this.program.push(inst);
    return this.program.length - 1;
  }

  /** Compiles `node` so that it continues at the returned hole list; returns [entry, holes]. */
  compile(node: Node): { entry: number; holes: ((target: number) => void)[] } {
    switch (node.t) {
      case "empty": {
        const i = this.emit({ op: "jmp", to: -1 });
        return { entry: i, holes: [(t) => this.patch(i, t)] };
      }
      case "char": {
        const i = this.emit({ op: "char", pred: node.pred, next: -1 });
        return { entry: i, holes: [(t) => this.patch(i, t)] };
      }
      case "assert": {
        const i = this.emit({ op: "assert", kind: node.kind, next: -1 });
        return { entry: i, holes: [(t) => this.patch(i, t)] };
      }
      case "cat": {
        let first: { entry: number; holes: ((t: number) => void)[] } | undefined;
        let holes: ((t: number) => void)[] = [];
        for (const item of node.items) {
          const part = this.compile(item);
          if (!first) first = part;
          else for (const h of holes) h(part.entry);
          holes = part.holes;
        }
        return { entry: first!.entry, holes };
      }
      case "alt": {
        const parts = node.items.map((n) => this.compile(n));
        let entry = parts[parts.length - 1]!.entry;
        for (let k = parts.length - 2; k >= 0; k--)
          entry = this.emit({ op: "split", a: parts[k]!.entry, b: entry });
        return { entry, holes: parts.flatMap((p) => p.holes) };
      }
      case "repeat":
        return this.compileRepeat(node.node, node.min, node.max);
    }
  }

  private compileRepeat(
    node: Node,
    min: number,
    max: number,
  ): { entry: number; holes: ((t: number) => void)[] } {
    const parts: Node[] = [];
    for (let k = 0; k < min; k++) parts.push(node);
    let entry: number | undefined;
    let holes: ((t: number) => void)[] = [];
    const link = (part: { entry: number; holes: ((t: number) => void)[] }) => {
      if (entry === undefined) entry = part.entry;
      else for (const h of holes) h(part.entry);
      holes = part.holes;
    };
    for (const p of parts) link(this.compile(p));
    if (max === Number.POSITIVE_INFINITY) {
      // split -> body -> back to split; the split's other branch leaves.
      const split = this.emit({ op: "split", a: -1, b: -1 });
      const body = this.compile(node);
      this.setSplitA(split, body.entry);
      for (const h of body.holes) h(split);
      link({ entry: split, holes: [(t) => this.setSplitB(split, t)] });
    } else {
      for (let k = min; k < max; k++) {
        const split = this.emit({ op: "split", a: -1, b: -1 });
        const body = this.compile(node);
        this.setSplitA(split, body.entry);
        link({ entry: split, holes: [...body.holes, (t) => this.setSplitB(split, t)] });
      }
    }
    if (entry === undefined) {
      const i = this.emit({ op: "jmp", to: -1 });
      return { entry: i, holes: [(t) => this.patch(i, t)] };
    }
    return { entry, holes };
  }

  private patch(i: number, target: number): void {
    const inst = this.program[i]!;
    if (inst.op === "jmp") inst.to = target;
    else if (inst.op === "char" || inst.op === "assert") inst.next = target;
  }

  private setSplitA(i: number, t: number): void {
    (this.program[i] as { a: number }).a = t;
  }

  private setSplitB(i: number, t: number): void {
    (this.program[i] as { b: number }).b = t;
  }
}

/** Parses and compiles `source`, or says why it is outside the supported subset. */
export function compileRegex(source: string): RegexCompile {
  try {
    const { node, extensionSafe } = new RegexParser(source).parse();
    const compiler = new Compiler();
    const { entry, holes } = compiler.compile(node);
    const done = compiler.emit({ op: "match" });
    for (const h of holes) h(done);
    // Entry is not necessarily 0: put a jump in front so the program starts at 0.
    const program = [{ op: "jmp", to: entry } as Inst, ...compiler.program].map((inst) => shift(inst));
    return { ok: true, regex: { source, program, extensionSafe } };
  } catch (e) {
    if (e instanceof Unsupported) return { ok: false, unsupported: e.message };
    throw e;
  }
}

function shift(inst: Inst): Inst {
  switch (inst.op) {
    case "char":
      return { ...inst, next: inst.next + 1 };
    case "split":
      return { op: "split", a: inst.a + 1, b: inst.b + 1 };
    case "jmp":
      return { op: "jmp", to: inst.to + 1 };
    case "assert":
      return { ...inst, next: inst.next + 1 };
    case "match":
      return inst;
  }
}

/** True for text Rust's Unicode-aware matching treats exactly like the ASCII subset implemented here. */
export function isAsciiHaystack(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * Whether the regex matches anywhere in `haystack` (Rust's `is_match`). The caller must check
 * `isAsciiHaystack` first. Runs in O(haystack × program).
 */
export function regexMatches(regex: CompiledRegex, haystack: string): boolean {
  const prog = regex.program;
  let current: number[] = [];
  let next: number[] = [];
  const mark = new Int32Array(prog.length).fill(-1);
  const n = haystack.length;
  const add = (list: number[], pc: number, pos: number, stamp: number): boolean => {
    // Iterative epsilon closure; returns true when a match state is reached.
    const stack = [pc];
    while (stack.length > 0) {
      const p = stack.pop()!;
      if (mark[p] === stamp) continue;
      mark[p] = stamp;
      const inst = prog[p]!;
      switch (inst.op) {
        case "match":
          return true;
        case "jmp":
          stack.push(inst.to);
          break;
        case "split":
          stack.push(inst.b, inst.a);
          break;
        case "assert":
          if (assertionHolds(inst.kind, haystack, pos)) stack.push(inst.next);
          break;
        case "char":
          list.push(p);
          break;
      }
    }
    return false;
  };
  for (let pos = 0; pos <= n; pos++) {
    // Unanchored search: a new thread may start at every position.
    if (add(current, 0, pos, pos)) return true;
    if (pos === n) break;
    const cp = haystack.charCodeAt(pos);
    next = [];
    for (const p of current) {
      const inst = prog[p] as { op: "char"; pred: Pred; next: number };
      if (inst.pred(cp) && add(next, inst.next, pos + 1, pos + 1)) return true;
    }
    [current, next] = [next, current];
  }
  return false;
}

function assertionHolds(kind: AssertKind, text: string, pos: number): boolean {
  const before = pos > 0 ? text.charCodeAt(pos - 1) : -1;
  const after = pos < text.length ? text.charCodeAt(pos) : -1;
  switch (kind) {
    case "textStart":
      return pos === 0;
    case "textEnd":
      return pos === text.length;
    case "lineStart":
      return pos === 0 || before === 10;
    case "lineEnd":
      return pos === text.length || after === 10;
    case "wordBoundary":
      return (before >= 0 && isWord(before)) !== (after >= 0 && isWord(after));
    case "notWordBoundary":
      return (before >= 0 && isWord(before)) === (after >= 0 && isWord(after));
  }
}
