import { InputError } from "../../errors.js";
import type { Building } from "../../model/mutable.js";
import { formatPath } from "../zod-issue.js";

/**
 * One Terraform module's configuration (a folder of `.tf` and `.tf.json` files, or one Terraform
 * JSON document), with values still unevaluated: strings are templates, as in Terraform JSON. HCL
 * is turned into this shape by HashiCorp's parser (through `@cdktn/hcl2json`), which writes blocks
 * as arrays of objects; Terraform JSON may use objects or arrays of blocks at every level. Both
 * normalise to the same maps here.
 */
export interface DeclaredIn {
  readonly file: string;
}

export interface ResourceBlock extends DeclaredIn {
  /** Its key in `ModuleConfig.resources` (`type.name`, `data.type.name`). */
  readonly key: string;
  /** Its place in `ModuleConfig.resources` (0, 1, ...): evaluators keep per-resource state in arrays by it. */
  readonly index: number;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly body: Readonly<Record<string, unknown>>;
  /** For cdktf output: the construct path from the block's `//` metadata. */
  readonly constructPath?: string;
}

export interface ModuleCallBlock extends DeclaredIn {
  readonly name: string;
  readonly body: Readonly<Record<string, unknown>>;
}

export interface VariableBlock extends DeclaredIn {
  readonly name: string;
  readonly hasDefault: boolean;
  readonly default: unknown;
  /** The `type` constraint as an expression text (`list(object({ a = optional(string, "x") }))`). */
  readonly typeExpression?: string;
  /** `sensitive = true`: Terraform hides the value in its output, and so must cf-preflight. */
  readonly sensitive?: boolean;
}

export interface ValueBlock extends DeclaredIn {
  readonly name: string;
  readonly raw: unknown;
}

export interface ModuleConfig {
  readonly dir: string;
  readonly files: string[];
  readonly variables: Map<string, VariableBlock>;
  readonly locals: Map<string, ValueBlock>;
  /** Keyed `type.name` (managed) or `data.type.name`. */
  readonly resources: Map<string, ResourceBlock>;
  readonly moduleCalls: Map<string, ModuleCallBlock>;
  readonly outputs: Map<string, ValueBlock>;
  /** The version constraint given for the cloudflare provider, if any (e.g. `~> 4.0`). */
  cloudflareConstraint?: { readonly constraint: string; readonly file: string };
  /** cf-preflight declarations found under a Terraform JSON document's `//` comment key. */
  readonly declarations: { readonly raw: unknown; readonly file: string }[];
  /** Files Terraform would merge as overrides; not merged here, so listed as unresolved. */
  readonly overrideFiles: string[];
}

export function emptyModuleConfig(dir: string): ModuleConfig {
  return {
    dir,
    files: [],
    variables: new Map(),
    locals: new Map(),
    resources: new Map(),
    moduleCalls: new Map(),
    outputs: new Map(),
    declarations: [],
    overrideFiles: [],
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A level that may be one object or an array of objects (blocks). */
function objectsAt(
  value: unknown,
  file: string,
  path: readonly PropertyKey[],
  what: string,
): Record<string, unknown>[] {
  if (isObject(value)) return [value];
  if (Array.isArray(value)) {
    return value.map((item, i) => {
      if (!isObject(item))
        throw new InputError(file, formatPath([...path, i]), what, `got ${describe(item)}`);
      return item;
    });
  }
  throw new InputError(file, formatPath(path), what, `got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? `a string` : `a ${typeof value}`;
}

/** The path of one `label -> body` pair of a labelled block level (for messages): built when asked for. */
function entryPath(parent: readonly PropertyKey[], level: number | undefined, label: string): PropertyKey[] {
  return level === undefined ? [...parent, label] : [...parent, level, label];
}

/**
 * Each `label -> body` pair of a labelled block level, in either JSON form, handed to `visit` with
 * the index of its level when the level is an array of objects. No object per pair: a level may
 * hold 100,000 resources.
 */
function eachLabelled(
  value: unknown,
  file: string,
  path: readonly PropertyKey[],
  what: string,
  visit: (label: string, body: unknown, level: number | undefined) => void,
): void {
  const levels = objectsAt(value, file, path, what);
  const array = Array.isArray(value);
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    // Object.keys, not for-in: a level of 100,000 resources is a dictionary-mode object, which
    // for-in walks many times slower.
    const labels = Object.keys(level);
    for (let k = 0; k < labels.length; k++) {
      const label = labels[k]!;
      if (label !== "//") visit(label, level[label], array ? i : undefined);
    }
  }
}

/** The one body of a block (an object, or an array holding exactly one object). */
function singleBody(
  value: unknown,
  file: string,
  path: readonly PropertyKey[],
  what: string,
): Record<string, unknown> {
  const bodies = objectsAt(value, file, path, what);
  if (bodies.length !== 1)
    throw new InputError(
      file,
      formatPath(path),
      what,
      bodies.length === 0 ? "it is empty" : "it is declared more than once",
    );
  return bodies[0]!;
}

function constructPathOf(body: Record<string, unknown>): string | undefined {
  const meta = body["//"];
  if (!isObject(meta)) return undefined;
  const inner = meta.metadata;
  return isObject(inner) && typeof inner.path === "string" ? inner.path : undefined;
}

/** Merge one parsed document (a `.tf` file through the HCL parser, or a Terraform JSON document). */
export function addDocument(config: ModuleConfig, document: unknown, file: string): void {
  if (!isObject(document))
    throw new InputError(
      file,
      "(top level)",
      "a Terraform configuration (an object of blocks)",
      `got ${describe(document)}`,
    );
  config.files.push(file);
  for (const [key, value] of Object.entries(document)) {
    switch (key) {
      case "resource":
      case "data":
        addResources(config, value, file, key);
        break;
      case "variable":
        eachLabelled(value, file, [key], "variable blocks", (label, body, level) => {
          const path = entryPath([key], level, label);
          const block = singleBody(body, file, path, `one variable "${label}" block`);
          declaredOnce(config.variables, label, `variable "${label}"`, file, path);
          const type =
            typeof block.type === "string" ? block.type.replace(/^\$\{([\s\S]*)\}$/, "$1").trim() : undefined;
          config.variables.set(label, {
            name: label,
            file,
            hasDefault: Object.hasOwn(block, "default"),
            default: block.default,
            ...(type ? { typeExpression: type } : {}),
            ...(block.sensitive === true || block.sensitive === "true" ? { sensitive: true } : {}),
          });
        });
        break;
      case "locals":
        objectsAt(value, file, [key], "locals blocks").forEach((block) => {
          for (const [name, raw] of Object.entries(block)) {
            declaredOnce(config.locals, name, `local "${name}"`, file, [key, name]);
            config.locals.set(name, { name, raw, file });
          }
        });
        break;
      case "module":
        eachLabelled(value, file, [key], "module blocks", (label, body, level) => {
          const path = entryPath([key], level, label);
          declaredOnce(config.moduleCalls, label, `module "${label}"`, file, path);
          config.moduleCalls.set(label, {
            name: label,
            file,
            body: singleBody(body, file, path, `one module "${label}" block`),
          });
        });
        break;
      case "output":
        eachLabelled(value, file, [key], "output blocks", (label, body, level) => {
          const path = entryPath([key], level, label);
          const block = singleBody(body, file, path, `one output "${label}" block`);
          declaredOnce(config.outputs, label, `output "${label}"`, file, path);
          config.outputs.set(label, { name: label, file, raw: block.value });
        });
        break;
      case "terraform":
        readProviderConstraint(config, value, file);
        break;
      case "//":
        if (isObject(value) && value.cf_preflight !== undefined)
          config.declarations.push({ raw: value.cf_preflight, file });
        break;
      default:
        // provider, moved, import, removed, check: nothing the checker reads.
        break;
    }
  }
}

/** Terraform refuses a second declaration of a name in one module (exit 2, naming both files). */
function declaredOnce(
  declared: ReadonlyMap<string, { readonly file: string }>,
  name: string,
  what: string,
  file: string,
  path: readonly PropertyKey[],
): void {
  const first = declared.get(name);
  if (first !== undefined)
    throw new InputError(
      file,
      formatPath(path),
      `${what} declared once`,
      `it is also declared in ${first.file}`,
    );
}

function addResources(config: ModuleConfig, value: unknown, file: string, key: "resource" | "data"): void {
  const mode = key === "resource" ? "managed" : "data";
  eachLabelled(value, file, [key], `${key} blocks keyed by type`, (type, blocks, typeLevel) => {
    const path = entryPath([key], typeLevel, type);
    const prefix = mode === "managed" ? `${type}.` : `data.${type}.`;
    eachLabelled(blocks, file, path, `${type} blocks keyed by name`, (name, body, level) => {
      // Looked up for every resource, even in one object of distinct names: labels may hold dots,
      // and type "a" named "b.c" has the address of type "a.b" named "c".
      const address = prefix + name;
      // The path (for the message) only when there is something to say.
      if (config.resources.has(address))
        declaredOnce(config.resources, address, address, file, entryPath(path, level, name));
      // One object (the usual form) needs no path; an array form is checked with its path.
      const block = isObject(body)
        ? body
        : singleBody(body, file, entryPath(path, level, name), `one ${address} block`);
      const constructPath = constructPathOf(block);
      // Built field by field: a spread of an empty object costs an allocation per resource.
      const index = config.resources.size;
      const resource: Building<ResourceBlock> = { key: address, index, mode, type, name, body: block, file };
      if (constructPath) resource.constructPath = constructPath;
      config.resources.set(address, resource);
    });
  });
}

function readProviderConstraint(config: ModuleConfig, value: unknown, file: string): void {
  for (const block of objectsAt(value, file, ["terraform"], "terraform blocks")) {
    const required = block.required_providers;
    if (required === undefined) continue;
    for (const providers of objectsAt(
      required,
      file,
      ["terraform", "required_providers"],
      "required_providers",
    )) {
      const cloudflare = providers.cloudflare;
      if (!isObject(cloudflare)) continue;
      const source = typeof cloudflare.source === "string" ? cloudflare.source : "cloudflare/cloudflare";
      if (!/(^|\/)cloudflare\/cloudflare$/.test(source)) continue;
      if (typeof cloudflare.version === "string")
        config.cloudflareConstraint = { constraint: cloudflare.version, file };
    }
  }
}
