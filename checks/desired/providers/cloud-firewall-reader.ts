import { cidrFamily } from "../../diff/cidr-set.js";
import type { IpFamily, RulePorts, RuleSource, Undecided } from "../../model/cloud-firewall.js";
import type { ResourceInstance } from "../instance.js";
import { EachElement, UnknownBlocks } from "../terraform/unknown-blocks.js";
import {
  convertToBool,
  convertToNumber,
  convertToString,
  describeTfValue,
  isTfList,
  isTfObject,
  type TfObject,
  type TfValue,
  typeName,
  Unknown,
} from "../terraform/value.js";
import type { FirewallAttachment, FirewallProblem } from "./cloud-firewall-fact.js";
import { cloudflareRangesOf } from "./cloudflare-ranges-ref.js";

/** A nested block as read: its values, or the template of a `dynamic` over an unknown collection, or nothing known. */
export type BlockReading =
  | { readonly kind: "block"; readonly where: string; readonly values: TfObject }
  | { readonly kind: "template"; readonly where: string; readonly values: TfObject }
  | { readonly kind: "undecided"; readonly where: string; readonly cause: string };

const EVERYONE_CIDRS: Readonly<Record<IpFamily, string>> = { 4: "0.0.0.0/0", 6: "::/0" };

/**
 * Reads one firewall resource's values with Terraform's conversions. A value not known before apply
 * becomes `Undecided` with a cause naming the attribute; a value of the wrong type is recorded as a
 * problem (bad input once an allowlist names the firewall), never thrown here.
 */
export class FirewallReader {
  readonly problems: FirewallProblem[] = [];
  /** `dynamic.<block>` attributes read through their template (see `UnknownBlocks`). */
  readonly templates = new Set<string>();

  constructor(readonly instance: ResourceInstance) {}

  get address(): string {
    return this.instance.address;
  }

  /** `<where>: <why>`, without the value of anything sensitive. */
  cause(where: string, why: string): string {
    return `${where}: ${why}`;
  }

  undecided(where: string, why: string): Undecided {
    return { undecided: this.cause(where, why) };
  }

  unknownCause(where: string, value: Unknown): string {
    if (value.sensitive) return this.cause(where, "a sensitive value not shown in the plan");
    const expression = value.expression.replace(/^\$\{([\s\S]*)\}$/, "$1").trim();
    const shown = isWhole(expression) && !value.why.includes(expression) ? `${expression}: ` : "";
    const references = value.references.filter((r) => !value.why.includes(r) && !shown.includes(r));
    const from = references.length > 0 ? ` (refers to ${references.slice(0, 3).join(", ")})` : "";
    return this.cause(where, `${shown}${value.why}${from}`);
  }

  problem(where: string, expected: string, value: TfValue | undefined): void {
    this.problems.push({ path: where, expected, got: `got ${typeName(value)} ${describeTfValue(value)}` });
  }

  /** A string attribute (numbers and bools converted), Undecided, or undefined when unset. */
  string(from: TfObject, key: string, where: string): string | Undecided | undefined {
    const value = single(from[key]);
    if (value === undefined || value === null) return undefined;
    if (value instanceof Unknown) return { undecided: this.unknownCause(where, value) };
    const text = convertToString(value);
    if (text === undefined) {
      this.problem(where, "a string", value);
      return this.undecided(where, "not a string");
    }
    return text;
  }

  number(from: TfObject, key: string, where: string): number | Undecided | undefined {
    const value = single(from[key]);
    if (value === undefined || value === null) return undefined;
    if (value instanceof Unknown) return { undecided: this.unknownCause(where, value) };
    const n = convertToNumber(value);
    if (n === undefined || !Number.isInteger(n)) {
      this.problem(where, "a whole number", value);
      return this.undecided(where, "not a whole number");
    }
    return n;
  }

  bool(from: TfObject, key: string, where: string): boolean | Undecided | undefined {
    const value = single(from[key]);
    if (value === undefined || value === null) return undefined;
    if (value instanceof Unknown) return { undecided: this.unknownCause(where, value) };
    const b = convertToBool(value);
    if (b === undefined) {
      this.problem(where, "true or false", value);
      return this.undecided(where, "not true or false");
    }
    return b;
  }

  /** A list attribute's elements (a single value is a list of one), Undecided, or [] when unset. */
  list(from: TfObject, key: string, where: string): readonly TfValue[] | Undecided {
    const value = from[key];
    if (value === undefined || value === null) return [];
    if (value instanceof Unknown) return { undecided: this.unknownCause(where, value) };
    if (isTfList(value)) return value;
    return [value];
  }

  /** Whether a list-of-references attribute (security groups, tags, prefix lists) names anything. */
  names(from: TfObject, key: string, where: string, what: string): Undecided | undefined {
    const items = this.list(from, key, where);
    if ("undecided" in items) return items;
    const named = items.filter((item) => item !== null && item !== "");
    if (named.length === 0) return undefined;
    const shown = named.every((n) => typeof n === "string") ? ` (${named.slice(0, 3).join(", ")})` : "";
    return this.undecided(
      where,
      `${what}${shown}: which addresses they stand for is not in this configuration`,
    );
  }

  /**
   * A list of CIDRs (or one CIDR) as sources. Cloudflare's ranges through `cloudflare_ip_ranges`
   * stay a reference, resolved later to the ranges the run uses; any other unknown is undecided.
   * `families` is what the attribute accepts (AWS `cidr_blocks` takes IPv4 only).
   */
  sources(from: TfObject, key: string, where: string, families: readonly IpFamily[]): RuleSource[] {
    const value = from[key];
    if (value === undefined || value === null) return [];
    const out: RuleSource[] = [];
    const cidrs: string[] = [];
    const visit = (item: TfValue, at: string): void => {
      if (item === null) return;
      if (item instanceof Unknown) {
        out.push(this.unknownSource(item, at, families));
        return;
      }
      if (isTfList(item)) {
        // Terraform 0.11's `["${list}"]`: the list inside the list.
        item.forEach((inner, i) => {
          visit(inner, `${at}[${i}]`);
        });
        return;
      }
      const text = convertToString(item);
      if (text === undefined || text.trim() === "") {
        this.problem(at, "a CIDR such as 203.0.113.0/24", item);
        return;
      }
      const family = cidrFamily(text);
      if (family === undefined || !families.includes(family)) {
        this.problem(at, `an ${families.map((f) => `IPv${f}`).join(" or ")} CIDR`, item);
        return;
      }
      cidrs.push(text.trim());
    };
    if (isTfList(value))
      value.forEach((item, i) => {
        visit(item, `${where}[${i}]`);
      });
    else visit(value, where);
    if (cidrs.length > 0) out.unshift({ kind: "cidrs", cidrs });
    return out;
  }

  unknownSource(value: Unknown, where: string, families: readonly IpFamily[]): RuleSource {
    const reading = cloudflareRangesOf(value);
    if (reading?.kind === "cloudflare") {
      const usable = reading.families.filter((f) => families.includes(f));
      if (usable.length > 0) return { kind: "cloudflare", families: usable, expression: reading.expression };
      return {
        kind: "undecided",
        cause: this.cause(
          where,
          `${reading.expression} holds IPv${reading.families.join("/")} ranges, which this attribute does not take`,
        ),
      };
    }
    if (reading?.kind === "other") return { kind: "undecided", cause: this.cause(where, reading.why) };
    const cause =
      value instanceof EachElement
        ? this.cause(
            where,
            `one element of ${value.collection.expression.replace(/^\$\{([\s\S]*)\}$/, "$1")}, which is not known (${value.collection.why})`,
          )
        : this.unknownCause(where, value);
    return { kind: "undecided", cause };
  }

  /** Every element of a block list: blocks, `dynamic` templates, and unknown blocks as undecided. */
  blocks(from: TfObject, key: string, where: string): BlockReading[] {
    const value = from[key];
    if (value === undefined || value === null) return [];
    const items = isTfList(value) ? value : [value];
    return items.flatMap((item, i): BlockReading[] => {
      const at = isTfList(value) ? `${where}[${i}]` : where;
      if (item instanceof UnknownBlocks) {
        this.templates.add(`dynamic.${key}`);
        return [{ kind: "template", where: at, values: item.template }];
      }
      if (item instanceof Unknown)
        return [{ kind: "undecided", where: at, cause: this.unknownCause(at, item) }];
      if (isTfObject(item)) return [{ kind: "block", where: at, values: item }];
      this.problem(at, "a block", item);
      return [];
    });
  }

  /** Where a rule resource's firewall is: the references of its attribute, and its literal value. */
  attachment(attribute: string, groupTypes: readonly string[]): FirewallAttachment {
    const value = single(this.instance.values[attribute]);
    if (value instanceof Unknown)
      return { groupTypes, attribute, addresses: value.references.map(withoutStack) };
    const literal = value === undefined || value === null ? undefined : convertToString(value);
    return { groupTypes, attribute, addresses: [], ...(literal !== undefined ? { literal } : {}) };
  }
}

/** Port ranges as providers write them: `80`, `80-443`; `all`/`any`/`*` and `0` are every port. */
export function parsePortRange(text: string): [number, number] | "all" | undefined {
  const t = text.trim().toLowerCase();
  if (t === "all" || t === "any" || t === "*") return "all";
  const m = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(t);
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from > 65535 || to > 65535 || from > to) return undefined;
  return [from, to];
}

/** Many port texts to `RulePorts` (any `all` wins); a malformed one is a problem. */
export function portsOf(
  reader: FirewallReader,
  texts: readonly (string | Undecided)[],
  where: string,
): RulePorts {
  const ranges: [number, number][] = [];
  for (const text of texts) {
    if (typeof text !== "string") return text;
    const parsed = parsePortRange(text);
    if (parsed === undefined) {
      reader.problem(where, 'a port or port range such as "443" or "8000-9000"', text);
      return reader.undecided(where, `${JSON.stringify(text)} is not a port range`);
    }
    if (parsed === "all") return "all";
    ranges.push(parsed);
  }
  return ranges;
}

/** Everyone of the given families, as a source. */
export function everyone(families: readonly IpFamily[] = [4, 6]): RuleSource {
  return { kind: "cidrs", cidrs: families.map((f) => EVERYONE_CIDRS[f]) };
}

/** A block written as a list of one (HCL) or as an object. */
function single(value: TfValue | undefined): TfValue | undefined {
  if (isTfList(value) && value.length === 1) return value[0];
  return value;
}

function withoutStack(reference: string): string {
  const split = reference.indexOf("::");
  return split >= 0 ? reference.slice(split + 2) : reference;
}

/** An expression text worth quoting: short, with balanced brackets (some are cut at the first one). */
function isWhole(expression: string): boolean {
  if (expression === "" || expression.length > 100) return false;
  let depth = 0;
  for (const c of expression) {
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}
