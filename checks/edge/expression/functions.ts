import { DOCUMENTED_FUNCTIONS } from "./facts.js";
import { asciiLower, asciiUpper, bool, byteLength, int, isAscii, str, unknown, type Value } from "./value.js";

/**
 * Functions of the Rules language the checker computes when their arguments are known. An argument
 * that is a condition arrives as a boolean, or as unknown with the reasons it could not be decided.
 * Per the functions page (checked 2026-11-30): `lower()`/`upper()` convert ASCII letters only, `len()`
 * counts bytes, `substring()` indexes bytes and accepts negative indexes, `remove_bytes()` drops every
 * listed byte, `url_decode()` decodes `%XX` and `+`.
 */

const documented: ReadonlySet<string> = new Set(DOCUMENTED_FUNCTIONS);

export function callFunction(name: string, args: readonly Value[]): Value {
  const unknownArg = args.find((a): a is Extract<Value, { t: "unknown" }> => a.t === "unknown");
  switch (name) {
    case "lower":
    case "upper": {
      const map = name === "lower" ? asciiLower : asciiUpper;
      const [x] = args;
      if (args.length !== 1 || x === undefined) return arity(name, "1");
      if (x.t === "unknown") return x;
      if (x.t === "str") return str(map(x.v));
      if (x.t === "prefix") return { t: "prefix", prefix: map(x.prefix), why: x.why };
      return typeError(name, "a string");
    }
    case "len": {
      const [x] = args;
      if (args.length !== 1 || x === undefined) return arity(name, "1");
      if (x.t === "unknown") return x;
      if (x.t === "str") return int(BigInt(byteLength(x.v)));
      if (x.t === "prefix") return unknown(x.why);
      return typeError(name, "a string or array");
    }
    case "starts_with":
    case "ends_with": {
      const [src, sub] = args;
      if (args.length !== 2 || src === undefined || sub === undefined) return arity(name, "2");
      if (unknownArg) return unknownArg;
      if (sub.t !== "str") return typeError(name, "a string as its second argument");
      if (src.t === "str")
        return bool(name === "starts_with" ? src.v.startsWith(sub.v) : src.v.endsWith(sub.v));
      if (src.t === "prefix") {
        if (name === "ends_with") return unknown(src.why);
        if (src.prefix.startsWith(sub.v)) return bool(true);
        return sub.v.startsWith(`${src.prefix}?`) ? unknown(src.why) : bool(false);
      }
      return typeError(name, "a string as its first argument");
    }
    case "concat": {
      if (args.length === 0) return arity(name, "at least 1");
      if (unknownArg) return unknownArg;
      let out = "";
      for (let i = 0; i < args.length; i++) {
        const a = args[i]!;
        if (a.t === "str") out += a.v;
        else if (a.t === "prefix" && i === args.length - 1)
          return { t: "prefix", prefix: out + a.prefix, why: a.why };
        else if (a.t === "prefix") return unknown(a.why);
        else return typeError(name, "strings");
      }
      return str(out);
    }
    case "substring": {
      const [src, start, end] = args;
      if (args.length < 2 || args.length > 3 || src === undefined || start === undefined)
        return arity(name, "2 or 3");
      if (unknownArg) return unknownArg;
      if (src.t === "prefix") return unknown(src.why);
      if (src.t !== "str" || start.t !== "int" || (end !== undefined && end.t !== "int")) {
        return typeError(name, "a string and integer indexes");
      }
      if (!isAscii(src.v))
        return unknown("substring() of non-ASCII text counts bytes the checker does not split");
      const n = BigInt(src.v.length);
      const s = start.v < 0n ? n + start.v : start.v;
      const e = end === undefined ? n : end.v < 0n ? n + end.v : end.v;
      if (s < 0n || e > n || s > e)
        return unknown("substring() with indexes outside the value is not documented");
      return str(src.v.slice(Number(s), Number(e)));
    }
    case "to_string": {
      const [x] = args;
      if (args.length !== 1 || x === undefined) return arity(name, "1");
      if (x.t === "unknown") return x;
      if (x.t === "int") return str(x.v.toString());
      if (x.t === "bool") return str(String(x.v));
      return typeError(name, "an integer, boolean or IP address");
    }
    case "remove_bytes": {
      const [src, bytes] = args;
      if (args.length !== 2 || src === undefined || bytes === undefined) return arity(name, "2");
      if (unknownArg) return unknownArg;
      if (src.t === "prefix") return unknown(src.why);
      if (src.t !== "str" || bytes.t !== "str") return typeError(name, "two strings");
      if (!isAscii(src.v) || !isAscii(bytes.v)) return unknown("remove_bytes() on non-ASCII text");
      const drop = new Set(bytes.v);
      return str([...src.v].filter((c) => !drop.has(c)).join(""));
    }
    case "url_decode": {
      const [src, options] = args;
      if (args.length < 1 || args.length > 2 || src === undefined) return arity(name, "1 or 2");
      if (unknownArg) return unknownArg;
      if (options !== undefined) return unknown("url_decode() with options is not evaluated");
      if (src.t === "prefix") return unknown(src.why);
      if (src.t !== "str") return typeError(name, "a string");
      return urlDecode(src.v);
    }
    case "any":
    case "all": {
      const [x] = args;
      if (args.length !== 1 || x === undefined) return arity(name, "1");
      if (x.t === "unknown") return x;
      return unknown(`${name}() over an array the request facts do not provide`);
    }
  }
  if (documented.has(name)) {
    return unknownArg ?? unknown(`${name}() is not evaluated by the checker`);
  }
  return unknown(`${name}() is not a function of the Rules language the checker knows`);
}

function arity(name: string, n: string): Value {
  return unknown(`${name}() takes ${n} argument(s)`);
}

function typeError(name: string, expected: string): Value {
  return unknown(`${name}() expects ${expected}`);
}

/** `%XX` and `+` decoding (url_decode without options); malformed input stays undecidable. */
function urlDecode(s: string): Value {
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "+") bytes.push(32);
    else if (c === "%") {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return unknown("url_decode() of a malformed percent-encoding");
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else for (const b of encoder.encode(c)) bytes.push(b);
  }
  try {
    return str(new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bytes)));
  } catch {
    return unknown("url_decode() produced bytes that are not UTF-8");
  }
}
