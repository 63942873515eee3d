import { InputError } from "../../errors.js";
import type { SourceRef } from "../../model/source.js";
import { quote } from "../../printable.js";
import type {
  InstanceSet,
  PlanAction,
  RawDeclarations,
  ResourceInstance,
  UnresolvedInput,
} from "../instance.js";
import { wantedType } from "../providers/index.js";
import { collectSensitiveStrings } from "../sensitive-strings.js";
import type { TfObject, TfValue } from "../terraform/value.js";
import { Unknown } from "../terraform/value.js";
import { constraintMajor, DECLARATIONS_OUTPUT } from "./evaluate-tree.js";

/**
 * A Terraform or OpenTofu plan as `terraform show -json PLAN` / `tofu show -json PLAN` prints it
 * (format_version 1.x; documented at developer.hashicorp.com/terraform/internals/json-format,
 * checked 2026-11-30). The most faithful input: modules, `count`/`for_each` and variables are
 * already evaluated. What the plan marks `after_unknown` stays unknown (with the references the
 * configuration gives for it); what it marks sensitive is never shown.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface ResourceChange {
  address: string;
  module_address?: string;
  mode: "managed" | "data";
  type: string;
  name: string;
  index?: string | number;
  change: {
    actions: string[];
    before?: Json;
    after?: Json;
    after_unknown?: Json;
    before_sensitive?: Json;
    after_sensitive?: Json;
  };
}

interface ConfigModule {
  resources?: {
    address: string;
    mode: string;
    type: string;
    name: string;
    expressions?: Record<string, Json>;
  }[];
  module_calls?: Record<string, { expressions?: Record<string, Json>; module?: ConfigModule }>;
  outputs?: Record<string, { expression?: Json; sensitive?: boolean }>;
}

interface StateModule {
  address?: string;
  resources?: {
    address: string;
    mode: "managed" | "data";
    type: string;
    name: string;
    index?: string | number;
    values?: Json;
    sensitive_values?: Json;
  }[];
  child_modules?: StateModule[];
}

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function planError(file: string, path: string | undefined, expected: string, detail?: string): InputError {
  return new InputError(file, path, expected, detail);
}

/** `module.a["x"].module.b[0]` → `module.a.module.b` (configuration is per module, not per instance). */
function configPath(moduleAddress: string | undefined): string[] {
  if (!moduleAddress) return [];
  return [...moduleAddress.matchAll(/module\.([A-Za-z0-9_-]+)/g)].map((m) => m[1]!);
}

function configModuleAt(root: ConfigModule | undefined, names: readonly string[]): ConfigModule | undefined {
  let current = root;
  for (const name of names) current = current?.module_calls?.[name]?.module;
  return current;
}

/** The instance address of the module that contains `moduleAddress`'s parent call. */
function parentModuleAddress(moduleAddress: string): string {
  const parts = [...moduleAddress.matchAll(/module\.[A-Za-z0-9_-]+(\[[^\]]*\])?/g)].map((m) => m[0]);
  return parts.slice(0, -1).join(".");
}

/**
 * Turn a configuration expression's references (module-relative: `cloudflare_zone.main.id`,
 * `var.zone_id`) into absolute resource addresses, following variables up through module calls.
 */
function absoluteReferences(
  references: readonly string[],
  moduleAddress: string,
  root: ConfigModule | undefined,
  depth = 0,
): string[] {
  const out = new Set<string>();
  const prefix = moduleAddress ? `${moduleAddress}.` : "";
  for (const ref of references) {
    if (ref.startsWith("var.") && moduleAddress && depth < 16) {
      const names = configPath(moduleAddress);
      const call = configModuleAt(root, names.slice(0, -1))?.module_calls?.[names[names.length - 1]!];
      const variable = ref.split(".")[1]!;
      const expression = call?.expressions?.[variable];
      const inner =
        isObject(expression) && Array.isArray(expression.references)
          ? (expression.references as string[])
          : [];
      for (const r of absoluteReferences(inner, parentModuleAddress(moduleAddress), root, depth + 1))
        out.add(r);
      continue;
    }
    if (/^(var|local|each|count|path|terraform|self)\./.test(ref)) continue;
    if (ref.startsWith("module.")) continue;
    // Keep the resource part (`cloudflare_zone.main`, `data.cloudflare_zone.z`), with any index.
    const m = /^(data\.)?[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+(\[[^\]]*\])?/.exec(ref);
    if (m) out.add(`${prefix}${m[0]}`);
  }
  return [...out];
}

/** The configuration expression at a path inside a resource's `expressions` (blocks are arrays). */
function expressionAt(
  expressions: Record<string, Json> | undefined,
  path: readonly (string | number)[],
): Json | undefined {
  let current: Json | undefined = expressions ?? undefined;
  for (const part of path) {
    if (Array.isArray(current)) current = typeof part === "number" ? current[part] : current[0];
    if (Array.isArray(current) && typeof part === "string") current = current[0];
    if (!isObject(current)) return undefined;
    current = current[String(part)];
  }
  return current;
}

interface OverlayContext {
  readonly address: string;
  readonly sensitive: Set<string>;
  /** What the configuration's expression for a path refers to: as written, and as absolute addresses. */
  readonly referencesAt: (path: readonly (string | number)[]) => { written: string[]; absolute: string[] };
}

/** A planned value with its unknown and sensitive marks applied. */
function overlay(
  value: Json | undefined,
  unknown: Json | undefined,
  sensitive: Json | undefined,
  path: (string | number)[],
  context: OverlayContext,
): TfValue {
  const where = path.length > 0 ? `${context.address}.${path.join(".")}` : context.address;
  if (unknown === true) {
    const refs = context.referencesAt(path);
    return new Unknown(refs.written[0] ?? where, "known after apply", refs.absolute);
  }
  if (sensitive === true) {
    collectSensitiveStrings(value, context.sensitive);
    return new Unknown(where, "marked sensitive in the plan", [], true);
  }
  if (Array.isArray(value)) {
    const unknowns = Array.isArray(unknown) ? unknown : [];
    const sensitives = Array.isArray(sensitive) ? sensitive : [];
    const length = Math.max(value.length, unknowns.length);
    return Array.from({ length }, (_, i) =>
      overlay(value[i], unknowns[i], sensitives[i], [...path, i], context),
    );
  }
  if (isObject(value) || isObject(unknown)) {
    const v = isObject(value) ? value : {};
    const u = isObject(unknown) ? unknown : {};
    const s = isObject(sensitive) ? sensitive : {};
    const out: Record<string, TfValue> = {};
    for (const key of new Set([...Object.keys(v), ...Object.keys(u)])) {
      out[key] = overlay(v[key], u[key], s[key], [...path, key], context);
    }
    return out;
  }
  return value === undefined ? null : value;
}

/**
 * The action lists `terraform show -json` writes (Terraform's jsonplan: no-op, create, read, update,
 * delete, both orders of a replace, forget, and create-then-forget of `lifecycle { destroy = false }`;
 * checked 2026-11-30). Anything else is a change the checker does not understand: undefined.
 */
function actionOf(actions: readonly string[]): PlanAction | "forget" | undefined {
  const list = actions.join(",");
  switch (list) {
    case "no-op":
    case "create":
    case "update":
    case "delete":
    case "read":
    case "forget":
      return list;
    case "delete,create":
    case "create,delete":
      return "replace";
    // A new object is created and the old one left in place, out of Terraform's hands.
    case "create,forget":
    case "forget,create":
      return "create";
    default:
      return undefined;
  }
}

function validatePlan(plan: unknown, file: string): Record<string, Json> {
  if (!isObject(plan))
    throw planError(file, undefined, "a plan printed by terraform show -json (a JSON object)");
  const version = plan.format_version;
  if (typeof version !== "string" || !/^1\.\d+$/.test(version))
    throw planError(
      file,
      "format_version",
      "a plan printed by terraform show -json or tofu show -json (format_version 1.x)",
      version === undefined ? "it has no format_version" : `got ${JSON.stringify(version)}`,
    );
  if (plan.resource_changes === undefined && plan.planned_values === undefined)
    throw planError(
      file,
      undefined,
      "a plan (resource_changes or planned_values)",
      isObject(plan.values) ? "this is a state file (terraform show -json without a plan)" : "it has neither",
    );
  if (plan.resource_changes !== undefined && !Array.isArray(plan.resource_changes))
    throw planError(file, "resource_changes", "an array");
  // Terraform writes a plan file even when planning failed; what it holds is not what an apply does.
  if (plan.errored === true)
    throw planError(
      file,
      "errored",
      "a plan that finished (errored is true: Terraform stopped with errors while planning; fix them and plan again)",
    );
  if (plan.deferred_changes !== undefined && !Array.isArray(plan.deferred_changes))
    throw planError(file, "deferred_changes", "an array");
  return plan;
}

function* stateResources(
  module: StateModule | undefined,
): Generator<NonNullable<StateModule["resources"]>[number]> {
  if (!module) return;
  for (const r of module.resources ?? []) yield r;
  for (const child of module.child_modules ?? []) yield* stateResources(child);
}

export function readPlan(document: unknown, file: string): InstanceSet {
  const plan = validatePlan(document, file);
  const configuration = isObject(plan.configuration) ? plan.configuration : undefined;
  const configRoot = configuration?.root_module as ConfigModule | undefined;
  const providers = isObject(configuration?.provider_config) ? configuration.provider_config : {};
  const cloudflareProvider = Object.values(providers).find(
    (p) => isObject(p) && typeof p.full_name === "string" && /cloudflare\/cloudflare$/.test(p.full_name),
  );
  const major = constraintMajor(
    isObject(cloudflareProvider) && typeof cloudflareProvider.version_constraint === "string"
      ? cloudflareProvider.version_constraint
      : undefined,
  );
  const sensitive = new Set<string>();
  // Variables declared sensitive are printed in clear in the plan's `variables`.
  const declaredVariables =
    isObject(configRoot) && isObject((configRoot as Record<string, Json>).variables)
      ? ((configRoot as Record<string, Json>).variables as Record<string, Json>)
      : {};
  const values = isObject(plan.variables) ? plan.variables : {};
  for (const [name, declared] of Object.entries(declaredVariables))
    if (isObject(declared) && declared.sensitive === true && isObject(values[name]))
      collectSensitiveStrings((values[name] as Record<string, Json>).value, sensitive);
  const unresolved: UnresolvedInput[] = [];
  const instances: ResourceInstance[] = [];
  const seen = new Set<string>();

  const changes = (plan.resource_changes ?? []) as unknown[];
  changes.forEach((raw, i) => {
    if (
      !isObject(raw) ||
      typeof raw.address !== "string" ||
      !isObject(raw.change) ||
      !Array.isArray(raw.change.actions)
    )
      throw planError(file, `resource_changes[${i}]`, "a resource change with address and change.actions");
    const rc = raw as unknown as ResourceChange;
    if (!wantedType(rc.type, rc.mode)) return;
    const action = actionOf(rc.change.actions);
    if (action === "forget") return;
    seen.add(rc.address);
    if (action === undefined) {
      // Never read as planned or unchanged: what an apply does with it is not known here.
      const actions = rc.change.actions as unknown[];
      unresolved.push({
        address: rc.address,
        attribute: "(resource)",
        why:
          actions.length === 0
            ? "the plan gives no action for this resource; what an apply does with it is not known"
            : `the plan's action ${quote(actions.join(","))} is not one cf-preflight knows; what an apply does with it is not known`,
      });
      return;
    }
    const moduleAddress = rc.module_address ?? "";
    const configModule = configModuleAt(configRoot, configPath(moduleAddress));
    const configResource = configModule?.resources?.find(
      (r) => r.mode === rc.mode && r.type === rc.type && r.name === rc.name,
    );
    const referencesAt = (path: readonly (string | number)[]) => {
      const expression = expressionAt(configResource?.expressions, path);
      const written =
        isObject(expression) && Array.isArray(expression.references)
          ? (expression.references as string[])
          : [];
      return { written, absolute: absoluteReferences(written, moduleAddress, configRoot) };
    };
    const context: OverlayContext = { address: rc.address, sensitive, referencesAt };
    const deleting = action === "delete";
    const values = deleting
      ? overlay(rc.change.before, undefined, rc.change.before_sensitive, [], context)
      : overlay(rc.change.after, rc.change.after_unknown, rc.change.after_sensitive, [], context);
    if (!deleting) collectSensitive(rc.change.before, rc.change.before_sensitive, sensitive);
    instances.push(instanceOf(rc, values as TfObject, action, file, major));
  });

  readDeferred(plan, file, unresolved);

  // Data sources read while planning live in prior_state; planned_values covers plans without changes.
  const prior =
    isObject(plan.prior_state) && isObject(plan.prior_state.values) ? plan.prior_state.values : undefined;
  const planned = isObject(plan.planned_values) ? plan.planned_values : undefined;
  for (const [origin, module] of [
    ["prior_state", prior?.root_module],
    ["planned_values", planned?.root_module],
  ] as const) {
    for (const r of stateResources(module as StateModule | undefined)) {
      if (seen.has(r.address) || !wantedType(r.type, r.mode)) continue;
      if (origin === "prior_state" && r.mode === "managed") continue;
      seen.add(r.address);
      const context: OverlayContext = {
        address: r.address,
        sensitive,
        referencesAt: () => ({ written: [], absolute: [] }),
      };
      const values = overlay(r.values, undefined, r.sensitive_values, [], context) as TfObject;
      instances.push(instanceOf(r, values, r.mode === "data" ? "read" : "no-op", file, major));
    }
  }

  return {
    sources: [{ path: file, kind: "plan" }],
    instances,
    unresolved,
    declarations: declarationsOf(plan, file, configRoot),
    sensitive: [...sensitive],
    deletesKnown: true,
  };
}

/**
 * Changes Terraform deferred to a later round (`deferred_changes`, with `complete: false`) are
 * not planned yet: each Cloudflare resource among them is listed as unresolved, never read as if
 * planned and never dropped.
 */
function readDeferred(plan: Record<string, Json>, file: string, unresolved: UnresolvedInput[]): void {
  const deferred = (plan.deferred_changes ?? []) as Json[];
  deferred.forEach((entry, i) => {
    const rc = isObject(entry) ? entry.resource_change : undefined;
    if (!isObject(rc) || typeof rc.address !== "string" || typeof rc.type !== "string")
      throw planError(
        file,
        `deferred_changes[${i}]`,
        "a deferred change with resource_change.address and .type",
      );
    const mode = rc.mode === "data" ? "data" : "managed";
    if (!wantedType(rc.type, mode)) return;
    const reason = isObject(entry) && typeof entry.reason === "string" ? entry.reason : "no reason given";
    unresolved.push({
      address: rc.address,
      attribute: "(resource)",
      why: `Terraform deferred this change to a later plan (${reason}); its values are not planned yet`,
    });
  });
  if (plan.complete === false && deferred.length === 0)
    unresolved.push({
      address: file,
      attribute: "complete",
      why: "the plan says it is not complete: another plan and apply will change more than it shows",
    });
}

function collectSensitive(value: Json | undefined, marks: Json | undefined, into: Set<string>): void {
  if (marks === true) collectSensitiveStrings(value, into);
  else if (Array.isArray(marks))
    marks.forEach((m, i) => {
      collectSensitive(Array.isArray(value) ? value[i] : undefined, m, into);
    });
  else if (isObject(marks))
    for (const [k, m] of Object.entries(marks))
      collectSensitive(isObject(value) ? value[k] : undefined, m, into);
}

function instanceOf(
  rc: Pick<ResourceChange, "address" | "mode" | "type" | "name" | "index">,
  values: TfObject,
  action: PlanAction,
  file: string,
  major: number | undefined,
): ResourceInstance {
  const source: SourceRef = { file, address: rc.address };
  return {
    address: rc.address,
    mode: rc.mode,
    type: rc.type,
    name: rc.name,
    ...(rc.index !== undefined ? { key: rc.index } : {}),
    values,
    source,
    action,
    ...(major !== undefined ? { providerMajor: major } : {}),
  };
}

/** The `cf_preflight` output, from planned values (or the output's change). */
function declarationsOf(
  plan: Record<string, Json>,
  file: string,
  configRoot: ConfigModule | undefined,
): RawDeclarations[] {
  const planned =
    isObject(plan.planned_values) && isObject(plan.planned_values.outputs) ? plan.planned_values.outputs : {};
  const changes = isObject(plan.output_changes) ? plan.output_changes : {};
  const output = planned[DECLARATIONS_OUTPUT];
  const change = changes[DECLARATIONS_OUTPUT];
  if (output === undefined && change === undefined) {
    if (configRoot?.outputs?.[DECLARATIONS_OUTPUT])
      throw planError(
        file,
        `output.${DECLARATIONS_OUTPUT}`,
        "the output's planned value",
        "the plan does not carry it",
      );
    return [];
  }
  const context: OverlayContext = {
    address: `output.${DECLARATIONS_OUTPUT}`,
    sensitive: new Set(),
    referencesAt: () => ({ written: [], absolute: [] }),
  };
  let value: TfValue;
  if (isObject(change) && isObject(change.after ?? null))
    value = overlay(change.after, change.after_unknown, undefined, [], context);
  else if (isObject(output)) value = overlay(output.value, undefined, undefined, [], context);
  else value = null;
  return [{ value, file, path: ["planned_values", "outputs", DECLARATIONS_OUTPUT, "value"] }];
}
