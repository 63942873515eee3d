/**
 * Terraform values as the readers see them: JSON-like values with holes. A hole (`Unknown`) is a
 * value Terraform itself would know only at apply time, or that this checker cannot evaluate; it
 * carries the expression and why, and the resources it refers to, so that the provider adapters can
 * still tie a record to its zone and the report can say what was not known.
 */
export class Unknown {
  constructor(
    /** The expression as written, e.g. `cloudflare_zone.main.id` or `var.zone_id`. */
    readonly expression: string,
    /** Why it is not known, e.g. "known after apply", "variable zone_id has no value". */
    readonly why: string,
    /** Resource addresses it refers to (`cloudflare_zone.main`, `module.dns.data.cloudflare_zone.z`). */
    readonly references: readonly string[] = [],
    /** Set when the value is known to the plan but marked sensitive: it must never be shown. */
    readonly sensitive = false,
    /**
     * What the value is, when expressions written apart read the same thing: an attribute of data
     * sources of one type read with the same arguments (`data.aws_ssm_parameter{"name":"/zone"}.value`).
     */
    readonly identity?: string,
  ) {}
}

export type TfValue = null | string | number | boolean | TfList | TfObject | Unknown;
export type TfList = readonly TfValue[];
export interface TfObject {
  readonly [key: string]: TfValue;
}

export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown;
}

export function isTfObject(value: TfValue | undefined): value is TfObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Unknown);
}

export function isTfList(value: TfValue | undefined): value is TfList {
  return Array.isArray(value);
}

/** The first unknown inside a value (deep), or undefined when the value is wholly known. */
export function firstUnknown(value: TfValue | undefined): Unknown | undefined {
  if (value instanceof Unknown) return value;
  if (Array.isArray(value)) {
    for (const item of value as TfList) {
      const found = firstUnknown(item);
      if (found) return found;
    }
    return undefined;
  }
  if (isTfObject(value)) {
    for (const item of Object.values(value)) {
      const found = firstUnknown(item);
      if (found) return found;
    }
  }
  return undefined;
}

/** Every reference of every unknown inside a value. */
export function referencesIn(value: TfValue | undefined): string[] {
  const out = new Set<string>();
  const walk = (v: TfValue | undefined): void => {
    if (v instanceof Unknown) for (const r of v.references) out.add(r);
    else if (Array.isArray(v)) for (const item of v as TfList) walk(item);
    else if (isTfObject(v)) for (const item of Object.values(v)) walk(item);
  };
  walk(value);
  return [...out];
}

/** Terraform's name for a value's type, for messages. */
export function typeName(value: TfValue | undefined): string {
  if (value === undefined || value === null) return "null";
  if (value instanceof Unknown) return "unknown";
  if (Array.isArray(value)) return "list";
  if (typeof value === "object") return "object";
  return typeof value === "boolean" ? "bool" : typeof value;
}

/**
 * Terraform's conversion to string (`"1"` for 1, `"true"` for true); undefined when the value has
 * no string form (a list, an object, null).
 */
export function convertToString(value: TfValue): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  return undefined;
}

/** Terraform's conversion to number: `"1"` is 1, `"1.5"` is 1.5; anything else is undefined. */
export function convertToNumber(value: TfValue): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^\s*-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(value))
    return Number(value);
  return undefined;
}

/** Terraform's conversion to bool: only `"true"` and `"false"` convert from strings. */
export function convertToBool(value: TfValue): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === "true") return true;
  if (value === "false") return false;
  return undefined;
}

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(n);
}

/** Render a value for messages (short, never the value of a sensitive unknown). */
export function describeTfValue(value: TfValue | undefined): string {
  if (value === undefined) return "(not set)";
  if (value instanceof Unknown) return value.sensitive ? "(sensitive)" : `\${${value.expression}}`;
  const text = JSON.stringify(value, (_k, v: unknown) =>
    v instanceof Unknown ? `\${${(v as Unknown).expression}}` : v,
  );
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
