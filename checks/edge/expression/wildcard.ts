import { WILDCARD_ESCAPABLE } from "./facts.js";

/**
 * The `wildcard` / `strict wildcard` operators: the whole value must match a pattern in which `*`
 * stands for zero or more characters; `\*` and `\\` are a literal star and backslash. `**` and any
 * other escape are invalid (Cloudflare refuses the rule). Case folding for `wildcard` is ASCII only.
 */

/** A parsed pattern: literal segments between stars. `segments.length === stars + 1`. */
export interface WildcardPattern {
  readonly segments: readonly string[];
}

export type WildcardParse = { ok: true; pattern: WildcardPattern } | { ok: false; error: string };

export function parseWildcard(text: string): WildcardParse {
  const segments: string[] = [];
  let current = "";
  let lastWasStar = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\") {
      const e = text[i + 1];
      if (e === undefined || !WILDCARD_ESCAPABLE.includes(e)) {
        return { ok: false, error: `invalid escape \\${e ?? ""} in a wildcard pattern (only \\* and \\\\)` };
      }
      current += e;
      i++;
      lastWasStar = false;
    } else if (c === "*") {
      if (lastWasStar)
        return { ok: false, error: "a wildcard pattern may not contain ** (two stars in a row)" };
      segments.push(current);
      current = "";
      lastWasStar = true;
    } else {
      current += c;
      lastWasStar = false;
    }
  }
  segments.push(current);
  return { ok: true, pattern: { segments } };
}

function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/** Whether the whole of `value` matches. Greedy star matching with one backtrack point: O(n·m) at worst. */
export function wildcardMatches(pattern: WildcardPattern, value: string, caseSensitive: boolean): boolean {
  const norm = caseSensitive ? (s: string) => s : asciiLower;
  const segs = pattern.segments.map(norm);
  const v = norm(value);
  if (segs.length === 1) return v === segs[0];
  const first = segs[0]!;
  const last = segs[segs.length - 1]!;
  if (v.length < first.length + last.length) return false;
  if (!v.startsWith(first) || !v.endsWith(last)) return false;
  // Middle segments: leftmost placement is optimal for a pattern of literal runs separated by stars.
  let pos = first.length;
  const end = v.length - last.length;
  for (let i = 1; i < segs.length - 1; i++) {
    const seg = segs[i]!;
    const found = v.indexOf(seg, pos);
    if (found < 0 || found + seg.length > end) return false;
    pos = found + seg.length;
  }
  return true;
}

/** The literal text before the first star (what every matching value starts with, modulo case). */
export function wildcardHead(pattern: WildcardPattern): string {
  return pattern.segments[0] ?? "";
}

/** True when the pattern ends with a star (so any extension of a matching value also matches). */
export function wildcardEndsWithStar(pattern: WildcardPattern): boolean {
  return pattern.segments.length > 1 && pattern.segments[pattern.segments.length - 1] === "";
}

export function foldForWildcard(s: string, caseSensitive: boolean): string {
  return caseSensitive ? s : asciiLower(s);
}
