/**
 * Values during evaluation, and three-valued logic. A value the request facts do not determine is
 * `unknown`, carrying why; comparisons on it are undecidable unless boolean logic makes them
 * irrelevant (`true or unknown` is true, `false and unknown` is false).
 */

export type Value =
  | { readonly t: "str"; readonly v: string }
  | { readonly t: "int"; readonly v: bigint }
  | { readonly t: "bool"; readonly v: boolean }
  /**
   * A string known up to an unknown tail: the value is `prefix` itself, or `prefix` followed by `?` and
   * a query string (the URI fields when the visitor's query string is not known).
   */
  | { readonly t: "prefix"; readonly prefix: string; readonly why: string }
  | { readonly t: "unknown"; readonly why: string };

/** true, false, or undecidable with the reasons. */
export type Tri = true | false | { readonly unknown: readonly string[] };

export const str = (v: string): Value => ({ t: "str", v });
export const int = (v: bigint): Value => ({ t: "int", v });
export const bool = (v: boolean): Value => ({ t: "bool", v });
export const unknown = (why: string): Value => ({ t: "unknown", why });
export const undecided = (why: string): Tri => ({ unknown: [why] });

export function isUnknown(t: Tri): t is { readonly unknown: readonly string[] } {
  return typeof t === "object";
}

/** Reasons of several undecided parts, without repeats. */
function reasons(parts: readonly Tri[]): string[] {
  const out: string[] = [];
  for (const p of parts) if (isUnknown(p)) for (const r of p.unknown) if (!out.includes(r)) out.push(r);
  return out;
}

export function triAnd(parts: readonly Tri[]): Tri {
  if (parts.some((p) => p === false)) return false;
  const why = reasons(parts);
  return why.length > 0 ? { unknown: why } : true;
}

export function triOr(parts: readonly Tri[]): Tri {
  if (parts.some((p) => p === true)) return true;
  const why = reasons(parts);
  return why.length > 0 ? { unknown: why } : false;
}

export function triXor(parts: readonly Tri[]): Tri {
  const why = reasons(parts);
  if (why.length > 0) return { unknown: why };
  return parts.reduce<boolean>((acc, p) => acc !== (p === true), false);
}

export function triNot(t: Tri): Tri {
  return isUnknown(t) ? t : !t;
}

/** Bytewise (UTF-8) ordering of two strings, as the Rules language compares strings. */
export function compareBytes(a: string, b: string): number {
  if (isAscii(a) && isAscii(b)) return a < b ? -1 : a > b ? 1 : 0;
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

export function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}

export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

export function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export function asciiUpper(s: string): string {
  return s.replace(/[a-z]/g, (c) => c.toUpperCase());
}

export function describe(v: Value): string {
  switch (v.t) {
    case "str":
      return JSON.stringify(v.v);
    case "int":
      return v.v.toString();
    case "bool":
      return String(v.v);
    case "prefix":
      return `${JSON.stringify(v.prefix)} (plus any query string)`;
    case "unknown":
      return "an unknown value";
  }
}
