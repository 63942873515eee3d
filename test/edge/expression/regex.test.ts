import { describe, expect, it } from "vitest";
import { compileRegex, isAsciiHaystack, regexMatches } from "../../../checks/edge/expression/regex.js";
import { seeded } from "./random.js";

function matches(pattern: string, haystack: string): boolean {
  const c = compileRegex(pattern);
  if (!c.ok) throw new Error(`${pattern}: ${c.unsupported}`);
  return regexMatches(c.regex, haystack);
}

/**
 * Random patterns from the part of the syntax where Rust's regex and JavaScript's RegExp agree on
 * ASCII text without line breaks; the NFA must answer exactly as RegExp does.
 */
function randomPattern(rnd: () => number, depth = 0): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const atom = (): string => {
    const r = rnd();
    if (depth < 3 && r < 0.15) return `(${randomPattern(rnd, depth + 1)})`;
    if (depth < 3 && r < 0.25) return `(?:${randomPattern(rnd, depth + 1)})`;
    return pick([
      "a",
      "b",
      "-",
      "/",
      ".",
      "\\.",
      "[ab]",
      "[^a]",
      "[a-c]",
      "[-/]",
      "\\d",
      "\\w",
      "\\s",
      "\\D",
      "\\W",
      "1",
      "_",
    ]);
  };
  const quant = (): string => {
    const q = pick(["", "", "", "*", "+", "?", "{2}", "{1,2}", "{0,}", "*?", "+?", "??", "{1,3}?"]);
    return q;
  };
  const branch = (): string => {
    const n = 1 + Math.floor(rnd() * 4);
    let s = "";
    for (let i = 0; i < n; i++) {
      const r = rnd();
      if (r < 0.06) s += "^";
      else if (r < 0.12) s += "$";
      else if (r < 0.16) s += "\\b";
      else if (r < 0.18) s += "\\B";
      else s += atom() + quant();
    }
    return s;
  };
  const branches = 1 + (rnd() < 0.3 ? Math.floor(rnd() * 3) : 0);
  return Array.from({ length: branches }, branch).join("|");
}

function randomHaystack(rnd: () => number): string {
  const alphabet = "ab./-1 _AB";
  const n = Math.floor(rnd() * 9);
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
  return s;
}

describe("the regex subset agrees with RegExp where the two languages agree", () => {
  it("on 3,000 random patterns × 10 haystacks each, case-sensitive and with (?i)", () => {
    const rnd = seeded(20261130);
    let compared = 0;
    let matched = 0;
    const disagreements: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const pattern = randomPattern(rnd);
      const insensitive = rnd() < 0.3;
      const source = insensitive ? `(?i)${pattern}` : pattern;
      const c = compileRegex(source);
      if (!c.ok) {
        disagreements.push(`${source}: ${c.unsupported}`);
        continue;
      }
      const js = new RegExp(pattern, insensitive ? "i" : "");
      for (let k = 0; k < 10; k++) {
        const h = randomHaystack(rnd);
        const want = js.test(h);
        if (regexMatches(c.regex, h) !== want)
          disagreements.push(`${source} on ${JSON.stringify(h)}: RegExp says ${want}`);
        compared++;
        if (want) matched++;
      }
    }
    expect(disagreements).toEqual([]);
    // Both answers occur often enough for the comparison to mean something.
    expect(matched).toBeGreaterThan(compared * 0.2);
    expect(matched).toBeLessThan(compared * 0.9);
  });
});

describe("Rust semantics JavaScript cannot express", () => {
  it("scoped and inline flags", () => {
    expect(matches("a(?i:b)c", "aBc")).toBe(true);
    expect(matches("a(?i:b)c", "ABc")).toBe(false);
    expect(matches("a(?i)b", "aB")).toBe(true);
    expect(matches("(?i)a|b", "B")).toBe(true);
    expect(matches("(a(?i)b)c", "aBC")).toBe(false);
    expect(matches("(?i)(?-i:a)b", "aB")).toBe(true);
    expect(matches("(?i)(?-i:a)b", "AB")).toBe(false);
    expect(matches("(?i)[^a]", "A")).toBe(false);
  });
  it("dot and line anchors with s and m", () => {
    expect(matches("a.b", "a\nb")).toBe(false);
    expect(matches("(?s)a.b", "a\nb")).toBe(true);
    expect(matches("^b", "a\nb")).toBe(false);
    expect(matches("(?m)^b", "a\nb")).toBe(true);
    expect(matches("a$", "a\nb")).toBe(false);
    expect(matches("(?m)a$", "a\nb")).toBe(true);
    expect(matches("\\Aa", "ba")).toBe(false);
    expect(matches("a\\z", "ab")).toBe(false);
    expect(matches("a\\z", "ba")).toBe(true);
  });
  it("named groups, escapes and a literal ] first in a class", () => {
    expect(matches("(?P<x>ab)+$", "abab")).toBe(true);
    expect(matches("(?<x>ab)", "xab")).toBe(true);
    expect(matches("[]a]", "]")).toBe(true);
    expect(matches("[^]a]", "]")).toBe(false);
    expect(matches("\\x41\\x{42}\\u0043\\u{44}", "ABCD")).toBe(true);
    expect(matches("\\/api\\/", "/api/")).toBe(true);
    expect(matches("a\\tb", "a\tb")).toBe(true);
  });
  it("counted repetition is exact", () => {
    expect(matches("^a{3}$", "aaa")).toBe(true);
    expect(matches("^a{3}$", "aaaa")).toBe(false);
    expect(matches("^a{2,}$", "aaaaa")).toBe(true);
    expect(matches("^(ab){1,2}$", "ababab")).toBe(false);
  });
  it("does not explode on patterns that make backtracking engines exponential", () => {
    const evil = "^(a+)+$";
    // 5,000 characters: a backtracking engine would not finish; the NFA is linear.
    expect(matches(evil, `${"a".repeat(5000)}b`)).toBe(false);
    expect(matches("(a|a)*c", "a".repeat(5000))).toBe(false);
    expect(matches("(a*)*", "b")).toBe(true);
  });
});

describe("outside the subset: unsupported, never guessed", () => {
  const unsupported: [string, string][] = [
    ["\\p{Greek}", "escape"],
    ["\\pL", "escape"],
    ["[[:alpha:]]", "POSIX"],
    ["[a-z&&[^x]]", "set operations"],
    ["[a[b]]", "nested"],
    ["[a-z--x]", "set operations"],
    ["(?x) a b", "flag x"],
    ["(?=a)", "look-around"],
    ["(?<!a)b", "look-around"],
    ["(a)\\1", "escape"],
    ["\\b{start}", "\\b{"],
    ["\\<a", "escape"],
    ["a{2000}", "out of range"],
    ["a{,3}", "not a repetition"],
    ["*a", "nothing to repeat"],
    ["(a", "unclosed"],
    ["a)", "unbalanced"],
    ["[a", "unclosed"],
    ["[z-a]", "out of order"],
    ["a\\", "backslash"],
    ["((((a{1000}){1000}){1000}))", "too large"],
  ];
  for (const [pattern, why] of unsupported) {
    it(`${pattern}: ${why}`, () => {
      const c = compileRegex(pattern);
      expect(c.ok).toBe(false);
      if (!c.ok) expect(c.unsupported).toContain(why);
    });
  }
  it("matching is only attempted on ASCII text", () => {
    expect(isAsciiHaystack("/caf\u00e9")).toBe(false);
    expect(isAsciiHaystack("/cafe")).toBe(true);
  });
});

describe("extension safety (a match in s is a match in s + anything)", () => {
  it("holds without end-sensitive assertions", () => {
    for (const p of ["^/api/", "\\Aabc", "a+b", "(?i)^x"]) {
      const c = compileRegex(p);
      expect(c.ok && c.regex.extensionSafe, p).toBe(true);
    }
    for (const p of ["^/api$", "a\\z", "a\\b", "a\\B", "(?m)^a"]) {
      const c = compileRegex(p);
      expect(c.ok && c.regex.extensionSafe, p).toBe(false);
    }
  });
});
