import { InputError } from "../../errors.js";
import { type Resolvable, unresolved as unresolvedValue } from "../../model/value.js";
import type { ResourceInstance, UnresolvedInput } from "../instance.js";
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
import type { ZoneRef } from "./facts.js";

/** A 32-character hexadecimal Cloudflare object id (zones, accounts, lists). */
export const CLOUDFLARE_ID = /^[0-9a-f]{32}$/i;

/** The zone reference each Unknown `zone_id` stands for (see `AttributeReader.zone`). */
const ZONE_REFS = new WeakMap<Unknown, ZoneRef>();

/** Where a nested block was read from (`config`, `rules[2].action_parameters`), for messages. */
const BLOCK_PATH = new WeakMap<object, string>();

export function within(from: TfObject | undefined, path: string): string {
  const prefix = from === undefined ? undefined : BLOCK_PATH.get(from);
  return prefix ? `${prefix}.${path}` : path;
}

function mark<T extends object>(value: T, path: string): T {
  if (!BLOCK_PATH.has(value)) BLOCK_PATH.set(value, path);
  return value;
}

/**
 * Reads a resource instance's attributes with Terraform's type conversions (`"1"` is 1 where the
 * schema says number, `true` is `"true"` where it says string). An unknown value becomes an
 * unresolved model value and is listed; a value of the wrong type is bad input, located at the
 * resource's address and attribute.
 */
export class AttributeReader {
  constructor(
    readonly instance: ResourceInstance,
    private readonly unresolved: UnresolvedInput[],
  ) {}

  get address(): string {
    return this.instance.address;
  }

  raw(path: string, from: TfObject = this.instance.values): TfValue | undefined {
    if (!path.includes(".")) return from[path];
    let value: TfValue | undefined = from;
    let start = 0;
    // Walk `a.b.c` without splitting it: adapters read a dozen attributes of every record.
    for (;;) {
      const dot = path.indexOf(".", start);
      value = single(value);
      if (!isTfObject(value)) return undefined;
      value = value[dot < 0 ? (start === 0 ? path : path.slice(start)) : path.slice(start, dot)];
      if (dot < 0) return value;
      start = dot + 1;
    }
  }

  /** The object of a nested block or object attribute (`settings`, `action_parameters.origin`). */
  block(path: string, from?: TfObject): TfObject | undefined {
    const value = single(this.raw(path, from));
    return isTfObject(value) ? mark(value, within(from, path)) : undefined;
  }

  /** Every element of a list of blocks/objects (`rules`, `ingress_rule`). */
  blocks(path: string, from?: TfObject): TfObject[] {
    const value = this.raw(path, from);
    const where = within(from, path);
    if (value === undefined || value === null) return [];
    if (value instanceof Unknown) {
      this.note(where, value);
      return [];
    }
    if (isTfList(value)) {
      return value.flatMap((item, i) => {
        if (item instanceof Unknown) {
          this.note(`${where}[${i}]`, item);
          return [];
        }
        return isTfObject(item) ? [mark(item, `${where}[${i}]`)] : [];
      });
    }
    return isTfObject(value) ? [mark(value, where)] : [];
  }

  private fail(path: string, expected: string, value: TfValue | undefined, from?: TfObject): never {
    path = within(from, path);
    throw new InputError(
      this.instance.source.file,
      `${this.instance.address}.${path}`,
      expected,
      `got ${typeName(value)} ${describeTfValue(value)}`,
    );
  }

  note(path: string, value: Unknown): void {
    this.unresolved.push({ address: this.instance.address, attribute: path, why: value.why });
  }

  private unknownOf(path: string, value: Unknown): Resolvable<never> {
    this.note(path, value);
    if (value.sensitive) return unresolvedValue("(sensitive)");
    const text = value.expression.includes("${") ? value.expression : `\${${value.expression}}`;
    return unresolvedValue(text, value.references);
  }

  string(path: string, from?: TfObject): Resolvable<string> | undefined {
    const value = this.raw(path, from);
    if (value === undefined || value === null) return undefined;
    if (value instanceof Unknown) return this.unknownOf(within(from, path), value);
    const text = convertToString(value);
    if (text === undefined) this.fail(path, "a string", value, from);
    return text;
  }

  number(path: string, from?: TfObject): Resolvable<number> | undefined {
    const value = this.raw(path, from);
    if (value === undefined || value === null) return undefined;
    if (value instanceof Unknown) return this.unknownOf(within(from, path), value);
    const n = convertToNumber(value);
    if (n === undefined) this.fail(path, "a number", value, from);
    return n;
  }

  bool(path: string, from?: TfObject): Resolvable<boolean> | undefined {
    const value = this.raw(path, from);
    if (value === undefined || value === null) return undefined;
    if (value instanceof Unknown) return this.unknownOf(within(from, path), value);
    const b = convertToBool(value);
    if (b === undefined) this.fail(path, "true or false", value, from);
    return b;
  }

  /** A string the adapter cannot do without (the record's name, a list's name): unknown means skip. */
  requiredString(path: string, from?: TfObject): string | undefined {
    const value = this.raw(path, from);
    if (value === undefined || value === null) this.fail(path, `the ${path} attribute`, value);
    if (value instanceof Unknown) {
      this.note(path, value);
      return undefined;
    }
    const text = convertToString(value);
    if (text === undefined) this.fail(path, "a string", value);
    return text;
  }

  strings(path: string, from?: TfObject): string[] | undefined {
    const value = this.raw(path, from);
    if (value === undefined || value === null) return undefined;
    if (value instanceof Unknown) {
      this.note(path, value);
      return undefined;
    }
    if (!isTfList(value)) this.fail(path, "a list of strings", value);
    return value.flatMap((item, i) => {
      if (item instanceof Unknown) {
        this.note(`${path}[${i}]`, item);
        return [];
      }
      const text = convertToString(item);
      if (text === undefined) this.fail(`${path}[${i}]`, "a string", item);
      return [text];
    });
  }

  /** The zone an attribute (`zone_id`) points at. */
  zone(path = "zone_id"): ZoneRef {
    const value = this.raw(path);
    if (value instanceof Unknown) {
      if (value.references.length > 0) {
        const stack = this.instance.source.stack;
        // Every record of a zone carries the one Unknown of its zone reference: one ZoneRef for all.
        const cached = ZONE_REFS.get(value);
        if (cached?.kind === "ref" && cached.stack === stack) return cached;
        const ref: ZoneRef = {
          kind: "ref",
          addresses: value.references,
          expression: value.expression,
          ...(stack !== undefined ? { stack } : {}),
          ...(value.identity !== undefined ? { identity: value.identity } : {}),
        };
        ZONE_REFS.set(value, ref);
        return ref;
      }
      return { kind: "unknown", expression: value.expression, why: value.why };
    }
    if (value === undefined || value === null) this.fail(path, "a zone_id", value);
    const text = convertToString(value);
    if (text !== undefined && CLOUDFLARE_ID.test(text)) return { kind: "id", id: text.toLowerCase() };
    const written = this.instance.config?.[path];
    if (typeof written === "string" && written.includes("${")) {
      // A variable default such as "GET FROM CLOUDFLARE": a -var or tfvars value would replace it.
      // Listed by the assembler, which asks every resource's zone (once per resource and attribute).
      const why = `${written} gives ${JSON.stringify(text ?? value)}, which is not a zone id (a placeholder to be set with -var or terraform.tfvars?)`;
      return { kind: "unknown", expression: written, why };
    }
    this.fail(path, "a zone id (32 hexadecimal characters) or a reference to a cloudflare_zone", value);
  }

  /** Addresses an attribute refers to (`tunnel_id = cloudflare_tunnel.t.id`), and its literal value. */
  reference(path: string): { literal?: string; addresses: readonly string[] } {
    const value = this.raw(path);
    if (value instanceof Unknown) return { addresses: value.references };
    const text = value === undefined || value === null ? undefined : convertToString(value);
    return { ...(text !== undefined ? { literal: text } : {}), addresses: [] };
  }
}

/** A block written as a list of one (HCL blocks, 4.x) or as an object (5.x attributes). */
function single(value: TfValue | undefined): TfValue | undefined {
  if (isTfList(value) && value.length === 1) return value[0];
  return value;
}
