import { createHash } from "node:crypto";
import { expressionsOf } from "./ast.js";
import { cidrhost, cidrnetmask, cidrsubnet, cidrsubnets } from "./cidr-functions.js";
import { csvDecode } from "./csv-decode.js";
import type { ModuleScope } from "./evaluate.js";
import { deepEqual, evaluateString, mergeUnknowns, TerraformEvalError } from "./evaluate.js";
import { goRegExp, goReplacement } from "./go-regexp.js";
import { distinctValues, setOf } from "./sets.js";
import {
  convertToBool,
  convertToNumber,
  convertToString,
  firstUnknown,
  isTfObject,
  type TfList,
  type TfObject,
  type TfValue,
  typeName,
  Unknown,
} from "./value.js";
import { YamlNotRead, yamlDecode } from "./yaml-decode.js";

/**
 * Terraform's built-in functions that configurations use to shape DNS and firewall data (checked
 * against developer.hashicorp.com/terraform/language/functions, 2026-11-30). A function not listed
 * here gives an Unknown that names it: never a guess.
 */

export interface CallContext {
  readonly source: string;
  readonly module: ModuleScope;
}

export type TerraformFunction = (args: readonly TfValue[], context: CallContext) => TfValue;
type Fn = TerraformFunction;

/** Functions that work on collections whose elements may be unknown (the rest need known arguments). */
const STRUCTURAL = new Set([
  "length",
  "keys",
  "values",
  "lookup",
  "element",
  "merge",
  "concat",
  "flatten",
  "tolist",
  "toset",
  "tomap",
  "zipmap",
  "coalesce",
  "one",
  "slice",
  "reverse",
  "contains",
  "sensitive",
  "nonsensitive",
  "compact",
]);

/** Functions whose result depends on time, randomness or the file system outside the config. */
const NOT_REPEATABLE = new Set(["timestamp", "uuid", "uuidv5", "plantimestamp", "bcrypt", "timeadd"]);

export function callFunction(name: string, args: readonly TfValue[], context: CallContext): TfValue {
  // A scope may bring functions of its own (Terragrunt's), which Terraform does not have.
  const fn = context.module.functions?.[name] ?? FUNCTIONS[name];
  if (NOT_REPEATABLE.has(name)) return new Unknown(context.source, `${name}() is known only at apply time`);
  if (!fn) return new Unknown(context.source, `the function ${name}() is not evaluated by cf-preflight`);
  const direct = args.filter((a): a is Unknown => a instanceof Unknown);
  if (direct.length > 0 && name !== "coalesce") return mergeUnknowns(direct, context.source);
  if (!STRUCTURAL.has(name)) {
    const nested = args.map((a) => firstUnknown(a)).filter((u): u is Unknown => u !== undefined);
    if (nested.length > 0) return mergeUnknowns(nested, context.source);
  }
  return fn(args, context);
}

const str = (v: TfValue | undefined, fn: string): string => {
  const s = v === undefined ? undefined : convertToString(v);
  if (s === undefined) throw new TerraformEvalError(`${fn}(): expected a string, got ${typeName(v)}`);
  return s;
};
const num = (v: TfValue | undefined, fn: string): number => {
  const n = v === undefined ? undefined : convertToNumber(v);
  if (n === undefined) throw new TerraformEvalError(`${fn}(): expected a number, got ${typeName(v)}`);
  return n;
};
const list = (v: TfValue | undefined, fn: string): TfList => {
  if (Array.isArray(v)) return v;
  throw new TerraformEvalError(`${fn}(): expected a list, got ${typeName(v)}`);
};
const obj = (v: TfValue | undefined, fn: string): TfObject => {
  if (isTfObject(v)) return v;
  throw new TerraformEvalError(`${fn}(): expected a map or object, got ${typeName(v)}`);
};
const collection = (v: TfValue | undefined, fn: string): TfList =>
  Array.isArray(v)
    ? v
    : isTfObject(v)
      ? Object.keys(v)
          .sort()
          .map((k) => v[k]!)
      : list(v, fn);

function flatten(items: TfList): TfValue[] {
  return items.flatMap((item) => (Array.isArray(item) ? flatten(item) : [item]));
}

/** Go's fmt verbs as Terraform's format() accepts them (the common ones). */
function format(spec: string, args: readonly TfValue[], fn: string): string {
  let i = 0;
  return spec.replace(
    /%(\[(\d+)\])?([-+# 0]*)(\d+)?(?:\.(\d+))?([%vdsfqtxXeEgGbo])/g,
    (_m, _b, index, flags, width, precision, verb) => {
      if (verb === "%") return "%";
      const argIndex = index !== undefined ? Number(index) - 1 : i++;
      if (argIndex >= args.length)
        throw new TerraformEvalError(`${fn}(): not enough arguments for "${spec}"`);
      const arg = args[argIndex]!;
      let out: string;
      switch (verb) {
        case "d":
          out = String(Math.trunc(num(arg, fn)));
          break;
        case "f":
          out = num(arg, fn).toFixed(precision !== undefined ? Number(precision) : 6);
          break;
        case "x":
          out = Math.trunc(num(arg, fn)).toString(16);
          break;
        case "X":
          out = Math.trunc(num(arg, fn)).toString(16).toUpperCase();
          break;
        case "q":
          out = JSON.stringify(str(arg, fn));
          break;
        case "t":
          out = String(convertToBool(arg));
          break;
        case "v":
          out = typeof arg === "object" && arg !== null ? JSON.stringify(arg) : str(arg, fn);
          break;
        default:
          out = str(arg, fn);
      }
      if (width !== undefined && out.length < Number(width)) {
        const pad = (flags as string).includes("0") && !(flags as string).includes("-") ? "0" : " ";
        out = (flags as string).includes("-") ? out.padEnd(Number(width)) : out.padStart(Number(width), pad);
      }
      return out;
    },
  );
}

const FUNCTIONS: Record<string, Fn> = {
  // Strings
  lower: ([s]) => str(s, "lower").toLowerCase(),
  upper: ([s]) => str(s, "upper").toUpperCase(),
  title: ([s]) => str(s, "title").replace(/\b\p{L}/gu, (c) => c.toUpperCase()),
  chomp: ([s]) => str(s, "chomp").replace(/(\r?\n)+$/, ""),
  trimspace: ([s]) => str(s, "trimspace").trim(),
  trim: ([s, chars]) => {
    const set = new Set(str(chars, "trim"));
    let text = str(s, "trim");
    while (text && set.has(text[0]!)) text = text.slice(1);
    while (text && set.has(text[text.length - 1]!)) text = text.slice(0, -1);
    return text;
  },
  trimprefix: ([s, p]) => {
    const text = str(s, "trimprefix");
    const prefix = str(p, "trimprefix");
    return text.startsWith(prefix) ? text.slice(prefix.length) : text;
  },
  trimsuffix: ([s, p]) => {
    const text = str(s, "trimsuffix");
    const suffix = str(p, "trimsuffix");
    return suffix && text.endsWith(suffix) ? text.slice(0, -suffix.length) : text;
  },
  startswith: ([s, p]) => str(s, "startswith").startsWith(str(p, "startswith")),
  endswith: ([s, p]) => str(s, "endswith").endsWith(str(p, "endswith")),
  strcontains: ([s, p]) => str(s, "strcontains").includes(str(p, "strcontains")),
  strrev: ([s]) => [...str(s, "strrev")].reverse().join(""),
  substr: ([s, o, l]) => {
    const chars = [...str(s, "substr")];
    let offset = num(o, "substr");
    if (offset < 0) offset = Math.max(0, chars.length + offset);
    const length = num(l, "substr");
    return chars.slice(offset, length < 0 ? undefined : offset + length).join("");
  },
  split: ([sep, s]) => str(s, "split").split(str(sep, "split")),
  join: ([sep, ...lists]) =>
    lists
      .flatMap((l) => list(l, "join"))
      .map((v) => str(v, "join"))
      .join(str(sep, "join")),
  replace: ([s, search, replacement], context) => {
    const text = str(s, "replace");
    const pattern = str(search, "replace");
    const by = str(replacement, "replace");
    if (pattern.length > 1 && pattern.startsWith("/") && pattern.endsWith("/")) {
      const re = goRegExp(pattern.slice(1, -1), "g", context.source);
      if (re instanceof Unknown) return re;
      return text.replace(re, goReplacement(by));
    }
    return text.split(pattern).join(by);
  },
  format: ([spec, ...rest]) => format(str(spec, "format"), rest, "format"),
  formatlist: ([spec, ...rest]) => {
    const lengths = rest.filter(Array.isArray).map((l) => (l as TfList).length);
    const n = lengths.length > 0 ? Math.min(...lengths) : 1;
    return Array.from({ length: n }, (_, i) =>
      format(
        str(spec, "formatlist"),
        rest.map((a) => (Array.isArray(a) ? (a as TfList)[i]! : a)),
        "formatlist",
      ),
    );
  },
  indent: ([n, s]) => str(s, "indent").replace(/\n/g, `\n${" ".repeat(num(n, "indent"))}`),
  regex: ([pattern, s], context) => {
    const re = goRegExp(str(pattern, "regex"), "", context.source);
    if (re instanceof Unknown) return re;
    const m = re.exec(str(s, "regex"));
    if (!m) throw new TerraformEvalError("regex(): no match");
    if (m.groups) return { ...m.groups } as TfObject;
    return m.length > 1 ? m.slice(1).map((g) => g ?? null) : m[0];
  },
  regexall: ([pattern, s], context) => {
    const re = goRegExp(str(pattern, "regexall"), "g", context.source);
    if (re instanceof Unknown) return re;
    return [...str(s, "regexall").matchAll(re)].map((m) =>
      m.groups ? ({ ...m.groups } as TfObject) : m.length > 1 ? m.slice(1).map((g) => g ?? null) : m[0],
    );
  },
  urlencode: ([s]) => encodeURIComponent(str(s, "urlencode")),
  base64encode: ([s]) => Buffer.from(str(s, "base64encode"), "utf8").toString("base64"),
  base64decode: ([s]) => Buffer.from(str(s, "base64decode"), "base64").toString("utf8"),
  md5: ([s]) => createHash("md5").update(str(s, "md5")).digest("hex"),
  sha1: ([s]) => createHash("sha1").update(str(s, "sha1")).digest("hex"),
  sha256: ([s]) => createHash("sha256").update(str(s, "sha256")).digest("hex"),
  sha512: ([s]) => createHash("sha512").update(str(s, "sha512")).digest("hex"),
  base64sha256: ([s]) => createHash("sha256").update(str(s, "base64sha256")).digest("base64"),
  base64sha512: ([s]) => createHash("sha512").update(str(s, "base64sha512")).digest("base64"),
  // Numbers
  abs: ([n]) => Math.abs(num(n, "abs")),
  ceil: ([n]) => Math.ceil(num(n, "ceil")),
  floor: ([n]) => Math.floor(num(n, "floor")),
  max: (args) => Math.max(...flatten(args).map((a) => num(a, "max"))),
  min: (args) => Math.min(...flatten(args).map((a) => num(a, "min"))),
  pow: ([a, b]) => num(a, "pow") ** num(b, "pow"),
  signum: ([n]) => Math.sign(num(n, "signum")),
  parseint: ([s, base]) => {
    const n = Number.parseInt(str(s, "parseint"), num(base, "parseint"));
    if (Number.isNaN(n)) throw new TerraformEvalError("parseint(): not a number");
    return n;
  },
  sum: ([l]) => collection(l, "sum").reduce<number>((a, v) => a + num(v, "sum"), 0),
  // Collections
  length: ([v]) => {
    if (typeof v === "string") return [...v].length;
    if (Array.isArray(v)) return v.length;
    if (isTfObject(v)) return Object.keys(v).length;
    throw new TerraformEvalError(`length(): expected a string, list or map, got ${typeName(v)}`);
  },
  keys: ([m]) => Object.keys(obj(m, "keys")).sort(),
  values: ([m]) => {
    const o = obj(m, "values");
    return Object.keys(o)
      .sort()
      .map((k) => o[k]!);
  },
  lookup: ([m, k, fallback], context) => {
    const o = obj(m, "lookup");
    const key = str(k, "lookup");
    if (Object.hasOwn(o, key)) return o[key]!;
    if (fallback !== undefined) return fallback;
    throw new TerraformEvalError(`${context.source}: the map has no key "${key}" and no default was given`);
  },
  element: ([l, i]) => {
    const items = list(l, "element");
    if (items.length === 0) throw new TerraformEvalError("element(): the list is empty");
    const index = num(i, "element");
    return items[((index % items.length) + items.length) % items.length]!;
  },
  index: ([l, v]) => {
    const at = list(l, "index").findIndex((item) => deepEqual(item, v!));
    if (at < 0) throw new TerraformEvalError("index(): the value is not in the list");
    return at;
  },
  contains: ([l, v]) => {
    const items = collection(l, "contains");
    if (v instanceof Unknown) return v;
    if (items.some((i) => i instanceof Unknown)) {
      if (items.some((i) => deepEqual(i, v!))) return true;
      return mergeUnknowns(
        items.filter((i): i is Unknown => i instanceof Unknown),
        "contains()",
      );
    }
    return items.some((i) => deepEqual(i, v!));
  },
  merge: (args) => {
    const out: Record<string, TfValue> = {};
    for (const a of args) {
      if (a === null) continue;
      Object.assign(out, obj(a, "merge"));
    }
    return out;
  },
  concat: (args) => args.flatMap((a) => [...list(a, "concat")]),
  flatten: ([l]) => flatten(list(l, "flatten")),
  distinct: ([l]) => distinctValues(list(l, "distinct")),
  compact: ([l]) => list(l, "compact").filter((v) => v !== null && v !== ""),
  coalesce: (args, context) => {
    for (const a of args) {
      if (a instanceof Unknown) return mergeUnknowns([a], context.source);
      if (a !== null && a !== "") return a;
    }
    throw new TerraformEvalError("coalesce(): no non-null, non-empty argument");
  },
  coalescelist: (args) => args.find((a) => Array.isArray(a) && a.length > 0) ?? [],
  one: ([l]) => {
    const items = collection(l, "one");
    if (items.length > 1) throw new TerraformEvalError("one(): the collection has more than one element");
    return items[0] ?? null;
  },
  reverse: ([l]) => [...list(l, "reverse")].reverse(),
  slice: ([l, a, b]) => list(l, "slice").slice(num(a, "slice"), num(b, "slice")),
  sort: ([l]) =>
    list(l, "sort")
      .map((v) => str(v, "sort"))
      .sort(),
  range: (args) => {
    const [start, end, step] =
      args.length === 1
        ? [0, num(args[0], "range"), 1]
        : [num(args[0], "range"), num(args[1], "range"), args[2] === undefined ? 1 : num(args[2], "range")];
    if (step === 0) throw new TerraformEvalError("range(): step must not be zero");
    const out: number[] = [];
    for (let i = start; step > 0 ? i < end : i > end; i += step) {
      out.push(i);
      if (out.length > 1024) throw new TerraformEvalError("range(): more than 1024 elements");
    }
    return out;
  },
  zipmap: ([k, v]) => {
    const keys = list(k, "zipmap");
    const values = list(v, "zipmap");
    const out: Record<string, TfValue> = {};
    keys.forEach((key, i) => {
      out[str(key, "zipmap")] = values[i] ?? null;
    });
    return out;
  },
  setunion: (args) => setOf(args.flatMap((a) => [...list(a, "setunion")])),
  setintersection: ([first, ...rest]) =>
    setOf(list(first, "setintersection")).filter((v) =>
      rest.every((r) => list(r, "setintersection").some((x) => deepEqual(x, v))),
    ),
  setsubtract: ([a, b]) =>
    setOf(list(a, "setsubtract")).filter((v) => !list(b, "setsubtract").some((x) => deepEqual(x, v))),
  setproduct: (args) =>
    args.reduce<TfValue[][]>(
      (acc, a) => acc.flatMap((prefix) => list(a, "setproduct").map((v) => [...prefix, v])),
      [[]],
    ),
  chunklist: ([l, n]) => {
    const items = list(l, "chunklist");
    const size = num(n, "chunklist");
    if (size <= 0) return [items];
    const out: TfValue[] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out;
  },
  alltrue: ([l]) => list(l, "alltrue").every((v) => convertToBool(v) === true),
  anytrue: ([l]) => list(l, "anytrue").some((v) => convertToBool(v) === true),
  transpose: ([m]) => {
    const out: Record<string, string[]> = {};
    for (const [k, vs] of Object.entries(obj(m, "transpose")))
      for (const v of list(vs, "transpose")) {
        const key = str(v, "transpose");
        out[key] = [...(out[key] ?? []), k];
      }
    return out;
  },
  matchkeys: ([values, keys, search]) => {
    const ks = list(keys, "matchkeys");
    const wanted = list(search, "matchkeys");
    return list(values, "matchkeys").filter((_, i) => wanted.some((w) => deepEqual(w, ks[i]!)));
  },
  // Conversions
  tostring: ([v]) => (v === null ? null : str(v, "tostring")),
  tonumber: ([v]) => (v === null ? null : num(v, "tonumber")),
  tobool: ([v]) => {
    if (v === null) return null;
    const b = convertToBool(v!);
    if (b === undefined) throw new TerraformEvalError(`tobool(): cannot convert ${typeName(v)}`);
    return b;
  },
  tolist: ([v]) => [...collection(v, "tolist")],
  toset: ([v]) => setOf(collection(v, "toset")),
  tomap: ([v]) => obj(v, "tomap"),
  sensitive: ([v], context) => {
    context.module.markSensitive?.(v!);
    return v!;
  },
  nonsensitive: ([v]) => v!,
  type: ([v]) => typeName(v),
  jsonencode: ([v]) => JSON.stringify(v),
  jsondecode: ([s]) => {
    try {
      return JSON.parse(str(s, "jsondecode")) as TfValue;
    } catch {
      throw new TerraformEvalError("jsondecode(): not valid JSON");
    }
  },
  csvdecode: ([s]) => csvDecode(str(s, "csvdecode")),
  yamldecode: ([s], context) => {
    try {
      return yamlDecode(str(s, "yamldecode"));
    } catch (error) {
      if (!(error instanceof YamlNotRead)) throw error;
      return new Unknown(context.source, `yamldecode(): ${error.message} is not read by cf-preflight`);
    }
  },
  // Network (IPv4 and IPv6)
  cidrhost: ([prefix, host]) => cidrhost(str(prefix, "cidrhost"), num(host, "cidrhost")),
  cidrnetmask: ([prefix]) => cidrnetmask(str(prefix, "cidrnetmask")),
  cidrsubnet: ([prefix, newbits, netnum]) =>
    cidrsubnet(str(prefix, "cidrsubnet"), num(newbits, "cidrsubnet"), num(netnum, "cidrsubnet")),
  cidrsubnets: ([prefix, ...newbits]) =>
    cidrsubnets(
      str(prefix, "cidrsubnets"),
      newbits.map((n) => num(n, "cidrsubnets")),
    ),
  // Files (relative to the working directory, as Terraform reads them)
  file: ([p], context) => {
    const text = context.module.readFile(str(p, "file"));
    if (text === undefined) return new Unknown(context.source, `file ${str(p, "file")} could not be read`);
    return text;
  },
  templatefile: ([p, vars], context) => {
    const path = str(p, "templatefile");
    const text = context.module.readFile(path);
    if (text === undefined) return new Unknown(context.source, `file ${path} could not be read`);
    if (!expressionsOf(text).every((e) => context.module.cache.get(e) !== undefined))
      return new Unknown(
        context.source,
        `templatefile(): the template's path is computed; cf-preflight reads template files the configuration names literally ("\${path.module}/x.tftpl")`,
      );
    // The template sees only the variables given (and functions), by their bare names.
    const bindings = new Map(Object.entries(vars === undefined ? {} : obj(vars, "templatefile")));
    const value = evaluateString(text, { module: context.module, bindings });
    if (value instanceof Unknown || typeof value === "string") return value;
    const asString = convertToString(value);
    if (asString === undefined)
      throw new TerraformEvalError(
        `templatefile(): the template's result is a ${typeName(value)}, not a string`,
      );
    return asString;
  },
  fileexists: ([p], context) => context.module.readFile(str(p, "fileexists")) !== undefined,
  abspath: ([p]) => str(p, "abspath"),
  basename: ([p]) => str(p, "basename").replace(/\/+$/, "").split("/").pop() ?? "",
  dirname: ([p]) => str(p, "dirname").replace(/\/[^/]*$/, "") || ".",
};
