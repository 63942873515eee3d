import { InputError } from "../../errors.js";
import { mergeUnknowns } from "../terraform/evaluate.js";
import { isTfObject, type TfObject, type TfValue, typeName, Unknown } from "../terraform/value.js";

/**
 * How an included file merges into the unit (`include { merge_strategy }`, checked against
 * https://terragrunt.gruntwork.io/docs/reference/hcl/blocks/#include on 2026-11-30): `shallow`
 * (the default) replaces top-level keys, `deep` merges maps recursively and concatenates lists,
 * `deep_map_only` merges maps recursively only, `no_merge` leaves the included file out.
 */
export type MergeStrategy = "shallow" | "deep" | "deep_map_only" | "no_merge";

export const TERRAGRUNT_MERGE_STRATEGIES: readonly MergeStrategy[] = [
  "no_merge",
  "shallow",
  "deep",
  "deep_map_only",
];

export function parseMergeStrategy(value: TfValue | undefined, file: string, label: string): MergeStrategy {
  if (value === undefined || value === null) return "shallow";
  if (typeof value === "string" && (TERRAGRUNT_MERGE_STRATEGIES as readonly string[]).includes(value))
    return value as MergeStrategy;
  throw new InputError(
    file,
    label,
    `one of ${TERRAGRUNT_MERGE_STRATEGIES.join(", ")}`,
    value instanceof Unknown ? `it is not known here: ${value.why}` : `got ${JSON.stringify(value)}`,
  );
}

/** The merged `inputs` and, per key, the file whose value it holds (for the unresolved list). */
export interface InputsValue {
  readonly value: TfValue;
  readonly origins: ReadonlyMap<string, string>;
}

/** `over` (a later file's inputs) merged over `base` by `strategy`. */
export function mergeInputs(
  base: InputsValue,
  over: TfValue,
  file: string,
  strategy: MergeStrategy,
): InputsValue {
  if (over instanceof Unknown || base.value instanceof Unknown) {
    const unknowns = [over, base.value].filter((v): v is Unknown => v instanceof Unknown);
    return { value: mergeUnknowns(unknowns, "inputs"), origins: new Map([["", file]]) };
  }
  if (!isTfObject(over))
    throw new InputError(file, "inputs", "an object of input values", `got ${typeName(over)}`);
  const origins = new Map(base.origins);
  for (const key of Object.keys(over)) origins.set(key, file);
  const value =
    strategy === "shallow" || strategy === "no_merge"
      ? { ...(base.value as TfObject), ...over }
      : deepMerge(base.value as TfObject, over, strategy === "deep");
  return { value, origins };
}

/** Terragrunt's deep merge: maps recursively; lists concatenated when `lists`; otherwise the later value. */
export function deepMerge(base: TfObject, over: TfObject, lists: boolean): TfObject {
  const out: Record<string, TfValue> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const before = out[key];
    if (isTfObject(before) && isTfObject(value)) out[key] = deepMerge(before, value, lists);
    else if (lists && Array.isArray(before) && Array.isArray(value)) out[key] = [...before, ...value];
    else out[key] = value;
  }
  return out;
}
