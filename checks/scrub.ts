/**
 * The one scrubber: every text cf-preflight writes (stdout, stderr, report files, the SDK's log,
 * error messages) goes through it. It removes
 *
 * - the API token, its URL-encoded and JSON-escaped forms, and any fragment of them of
 *   `MIN_SECRET_FRAGMENT` characters or more (an API error echoing part of a token, a `JSON.parse`
 *   message quoting a slice of it);
 * - the userinfo of every URL (`https://user:pass@host` becomes `https://[redacted]@host`).
 *
 * It is linear in the text: fragments are found with a Wu-Manber scan over the secret's 8-grams,
 * which skips about seven characters at a time through text that shares nothing with the token,
 * so a report of 100,000 findings is scrubbed in milliseconds.
 */

export type Scrub = (text: string) => string;

export const REDACTED_TOKEN = "[redacted token]";
export const REDACTED_USERINFO = "[redacted]";
/** The shortest piece of a secret that is redacted wherever it appears. */
export const MIN_SECRET_FRAGMENT = 8;
/** Secrets shorter than this are not scrubbed (they would redact ordinary words). */
const MIN_SECRET_LENGTH = 4;

/** A scrubber for the given secrets (e.g. the API token); URL userinfo is scrubbed in any case. */
export function createScrubber(secrets: readonly (string | undefined)[]): Scrub {
  const variants = new Set<string>();
  for (const secret of secrets) {
    if (secret === undefined) continue;
    for (const s of [secret, secret.trim()]) {
      if (s.length < MIN_SECRET_LENGTH) continue;
      variants.add(s);
      variants.add(encodeURIComponent(s));
      variants.add(JSON.stringify(s).slice(1, -1));
    }
  }
  const long = [...variants].filter((v) => v.length >= MIN_SECRET_FRAGMENT);
  const short = [...variants].filter((v) => v.length < MIN_SECRET_FRAGMENT);
  const fragments = long.length > 0 ? new FragmentIndex(long) : undefined;
  return (text) => {
    let out = fragments ? fragments.redact(text) : text;
    for (const s of short) if (out.includes(s)) out = out.split(s).join(REDACTED_TOKEN);
    return redactUserinfo(out);
  };
}

let cached: { secret: string | undefined; scrub: Scrub } | undefined;

/** Scrub one text of one secret (the live reader's messages); the scrubber is built once per secret. */
export function scrubSecret(text: string, secret: string | undefined): string {
  if (cached === undefined || cached.secret !== secret) cached = { secret, scrub: createScrubber([secret]) };
  return cached.scrub(text);
}

/**
 * Every substring of length ≥ 8 of a secret contains one of its 8-grams: find the 8-grams in the
 * text, then extend each hit as far as the text keeps following the secret.
 */
class FragmentIndex {
  /** 8-gram → where it starts in each secret. */
  private readonly grams = new Map<string, { secret: string; at: number }[]>();
  /** Wu-Manber shift per 2-character block (low bytes of the two char codes). */
  private readonly shift = new Uint8Array(65_536);

  constructor(secrets: readonly string[]) {
    const m = MIN_SECRET_FRAGMENT;
    this.shift.fill(m - 1);
    for (const secret of secrets) {
      for (let at = 0; at + m <= secret.length; at++) {
        const gram = secret.slice(at, at + m);
        const list = this.grams.get(gram) ?? [];
        list.push({ secret, at });
        this.grams.set(gram, list);
        // The block ending at offset q (1-based) of the gram may shift the window by m - q.
        for (let q = 2; q <= m; q++) {
          const block = blockKey(gram.charCodeAt(q - 2), gram.charCodeAt(q - 1));
          const s = m - q;
          if (s < (this.shift[block] as number)) this.shift[block] = s;
        }
      }
    }
  }

  redact(text: string): string {
    const m = MIN_SECRET_FRAGMENT;
    const ranges: [number, number][] = [];
    let pos = m - 1;
    while (pos < text.length) {
      const s = this.shift[blockKey(text.charCodeAt(pos - 1), text.charCodeAt(pos))] as number;
      if (s > 0) {
        pos += s;
        continue;
      }
      const start = pos - m + 1;
      const hits = this.grams.get(text.slice(start, pos + 1));
      if (hits !== undefined) {
        for (const { secret, at } of hits) {
          let from = start;
          let to = pos + 1;
          let i = at;
          let j = at + m;
          while (from > 0 && i > 0 && text.charCodeAt(from - 1) === secret.charCodeAt(i - 1)) {
            from--;
            i--;
          }
          while (to < text.length && j < secret.length && text.charCodeAt(to) === secret.charCodeAt(j)) {
            to++;
            j++;
          }
          ranges.push([from, to]);
        }
      }
      pos += 1;
    }
    if (ranges.length === 0) return text;
    ranges.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const range of ranges) {
      const previous = merged[merged.length - 1];
      if (previous !== undefined && range[0] <= previous[1]) previous[1] = Math.max(previous[1], range[1]);
      else merged.push([range[0], range[1]]);
    }
    let out = "";
    let last = 0;
    for (const [from, to] of merged) {
      out += text.slice(last, from) + REDACTED_TOKEN;
      last = to;
    }
    return out + text.slice(last);
  }
}

function blockKey(a: number, b: number): number {
  return ((a & 0xff) << 8) | (b & 0xff);
}

/** Characters that end a URL's userinfo without an `@` (so it was no userinfo). */
const USERINFO_STOP = new Set([..."/?#[]\"'<>`\\ \t\r\n"]);

/** `scheme://user:pass@host` → `scheme://[redacted]@host`, for every URL in the text. */
export function redactUserinfo(text: string): string {
  let at = text.indexOf("://");
  if (at < 0) return text;
  let out = "";
  let last = 0;
  while (at >= 0) {
    if (at > 0 && /[A-Za-z0-9+.-]/.test(text[at - 1] as string)) {
      const begin = at + 3;
      let i = begin;
      while (i < text.length && text[i] !== "@" && !USERINFO_STOP.has(text[i] as string)) i++;
      if (i < text.length && text[i] === "@" && i > begin) {
        out += text.slice(last, begin) + REDACTED_USERINFO;
        last = i;
      }
    }
    at = text.indexOf("://", at + 3);
  }
  return last === 0 ? text : out + text.slice(last);
}

export const REDACTED_SENSITIVE = "[sensitive]";

/**
 * Values a Terraform plan marks sensitive (plans print them in clear): each is replaced wherever it
 * appears whole, in its plain and JSON-escaped forms. Unlike the token, fragments are left alone:
 * a sensitive value may share words with ordinary text.
 */
export function createValueRedactor(values: readonly string[]): Scrub {
  const variants = new Set<string>();
  for (const value of values) {
    if (value.length < MIN_SECRET_LENGTH) continue;
    variants.add(value);
    variants.add(JSON.stringify(value).slice(1, -1));
  }
  // Longest first, so a value that contains another is replaced whole.
  const ordered = [...variants].sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const v of ordered) if (out.includes(v)) out = out.split(v).join(REDACTED_SENSITIVE);
    return out;
  };
}
