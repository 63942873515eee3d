import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { InputError } from "../../errors.js";
import { readTextFile } from "../../input/read-text.js";
import { readJsonFile } from "../json-file.js";
import { ExpressionCache } from "../terraform/ast.js";
import { addDocument, emptyModuleConfig, type ModuleConfig } from "../terraform/config.js";
import { moduleSourceDir } from "../terraform/module-eval.js";
import { mayHoldTemplate } from "../terraform/template.js";
import { templateFilesNamed } from "../terraform/template-files.js";
import type { TfValue } from "../terraform/value.js";
import { environmentVariables } from "./env-variables.js";

/**
 * Read a Terraform configuration folder — `.tf` files through HashiCorp's HCL parser (CDK Terrain's
 * `@cdktn/hcl2json`), `.tf.json` files as Terraform JSON — and every local module it calls, and the
 * root variable files Terraform loads by itself (`terraform.tfvars`, `*.auto.tfvars`, and their
 * `.json` forms). Modules installed by `terraform init` are followed through
 * `.terraform/modules/modules.json`.
 */
export interface LoadedTree {
  readonly rootDir: string;
  readonly modules: Map<string, ModuleConfig>;
  readonly installed: Map<string, string>;
  readonly rootVariables: Map<string, TfValue>;
  readonly files: string[];
  readonly cache: ExpressionCache;
  /** Variable files Terraform would load but that are not text (encrypted): their values are unknown. */
  readonly unreadableVariableFiles: string[];
}

/** Configuration files: Terraform's `.tf` / `.tf.json`, and OpenTofu's `.tofu` / `.tofu.json`. */
const TF_FILE = /\.(tf|tofu)(\.json)?$/;
const OVERRIDE_FILE = /(^|_)override\.(tf|tofu)(\.json)?$/;

/**
 * The configuration files of a folder as OpenTofu selects them: when `x.tofu` and `x.tf` (or
 * `x.tofu.json` and `x.tf.json`) are both present, only the `.tofu` file is loaded. Terraform never
 * reads `.tofu` files, so a folder that has them is written for OpenTofu.
 * https://opentofu.org/docs/language/files/ (Extension Precedence), checked 2026-11-30.
 */
export function configurationFiles(names: readonly string[]): string[] {
  const present = new Set(names);
  return names
    .filter((name) => TF_FILE.test(name))
    .filter((name) => {
      const tf = /\.tf(\.json)?$/.exec(name);
      return !tf || !present.has(`${name.slice(0, tf.index)}.tofu${tf[1] ?? ""}`);
    })
    .sort();
}

/** Whether a folder holds Terraform configuration files. */
export function isTerraformFolder(dir: string): boolean {
  try {
    return readdirSync(dir).some((f) => TF_FILE.test(f) && statSync(join(dir, f)).isFile());
  } catch {
    return false;
  }
}

export type HclParse = (filename: string, contents: string) => Promise<Record<string, unknown>>;

/**
 * Files of the root folder that are not on disk there, by name: what a wrapper such as Terragrunt
 * puts into the working directory beside the module's own files (its `generate` blocks, the unit
 * folder's files). An overlay file replaces a module file of the same name, as a copy over it would.
 */
export type RootOverlay = ReadonlyMap<string, { readonly text: string; readonly file: string }>;

export async function hclParser(): Promise<HclParse> {
  const { parse } = await import("@cdktn/hcl2json");
  return parse as HclParse;
}

function readText(file: string, what: string): string {
  return readTextFile(file, `a readable ${what}`);
}

/** HashiCorp's diagnostics carry `file:line,col-col: summary; detail`: keep the place and the words. */
export function hclError(
  file: string,
  error: unknown,
  expected = "valid HCL (Terraform configuration)",
): InputError {
  const message = error instanceof Error ? error.message : String(error);
  const diag = /:(\d+),(\d+)(?:-\d+)?: ([^\]]*)/.exec(message);
  const text = (diag?.[3] ?? message)
    .replace(/^parse config: \[?/, "")
    .replace(/\]$/, "")
    .trim();
  return new InputError(file, diag ? `line ${diag[1]}, column ${diag[2]}` : undefined, expected, text);
}

/** A folder's file names with the overlay's: each name once. */
function namesWith(dir: string, overlay: RootOverlay | undefined): string[] {
  const names = readdirSync(dir);
  if (!overlay) return names;
  return [...new Set([...names, ...overlay.keys()])];
}

function overlayJson(file: string, text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(file, undefined, `valid JSON (${what})`, (error as Error).message);
  }
}

async function readModuleDir(dir: string, parse: HclParse, overlay?: RootOverlay): Promise<ModuleConfig> {
  const config = emptyModuleConfig(dir);
  const names = configurationFiles(namesWith(dir, overlay));
  for (const name of names) {
    const over = overlay?.get(name);
    const file = over?.file ?? join(dir, name);
    if (!over && !statSync(file).isFile()) continue;
    if (OVERRIDE_FILE.test(name)) {
      config.overrideFiles.push(file);
      continue;
    }
    let document: unknown;
    if (name.endsWith(".json"))
      document = over ? overlayJson(file, over.text, "Terraform JSON") : readJsonFile(file, "Terraform JSON");
    else {
      const text = over?.text ?? readText(file, "Terraform file");
      try {
        document = await parse(name, text);
      } catch (error) {
        throw hclError(file, error);
      }
    }
    addDocument(config, document, file);
  }
  return config;
}

/** `.terraform/modules/modules.json`: module keys (`a.b`) → installed folders. */
function installedModules(rootDir: string): Map<string, string> {
  const out = new Map<string, string>();
  const file = join(rootDir, ".terraform", "modules", "modules.json");
  if (!existsSync(file)) return out;
  const manifest = readJsonFile(file, "Terraform modules manifest") as {
    Modules?: { Key?: string; Dir?: string }[];
  };
  for (const m of manifest.Modules ?? []) {
    if (!m.Key || !m.Dir) continue;
    out.set(
      m.Key.split(".")
        .map((k) => `module.${k}`)
        .join("."),
      resolve(rootDir, m.Dir),
    );
  }
  return out;
}

/** Whether a file is text Terraform could read: no NUL bytes, valid UTF-8 (else encrypted or binary). */
function isText(file: string): boolean {
  const bytes = readFileSync(file);
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

async function rootVariables(
  rootDir: string,
  parse: HclParse,
  unreadable: string[],
  overlay?: RootOverlay,
): Promise<Map<string, TfValue>> {
  const out = new Map<string, TfValue>();
  const names = namesWith(rootDir, overlay).filter(
    (f) => f === "terraform.tfvars" || f === "terraform.tfvars.json" || /\.auto\.tfvars(\.json)?$/.test(f),
  );
  // Terraform's order: terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars* alphabetically.
  const ordered = [
    ...names.filter((n) => n.startsWith("terraform.tfvars")).sort(),
    ...names.filter((n) => !n.startsWith("terraform.tfvars")).sort(),
  ];
  for (const name of ordered) {
    const over = overlay?.get(name);
    const file = over?.file ?? join(rootDir, name);
    if (!over && !isText(file)) {
      // git-crypt and similar keep secrets.auto.tfvars encrypted in the repository.
      unreadable.push(file);
      continue;
    }
    let document: unknown;
    if (name.endsWith(".json"))
      document = over
        ? overlayJson(file, over.text, "Terraform variables")
        : readJsonFile(file, "Terraform variables (JSON)");
    else {
      try {
        document = await parse(name, over?.text ?? readText(file, "Terraform variables file"));
      } catch (error) {
        throw hclError(file, error);
      }
    }
    if (typeof document !== "object" || document === null || Array.isArray(document))
      throw new InputError(file, undefined, "variable assignments");
    for (const [key, value] of Object.entries(document)) out.set(key, value as TfValue);
  }
  return out;
}

/**
 * Every string of a configuration value (object keys too) that may hold a template, into `out`:
 * the expressions are parsed up front. A configuration repeats the same few templates across its
 * resources, so they are gathered in a set before anything is split.
 */
export function templatesIn(value: unknown, out: Set<string>): void {
  if (typeof value === "string") {
    if (mayHoldTemplate(value)) out.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) templatesIn(item, out);
  } else if (typeof value === "object" && value !== null) {
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      if (mayHoldTemplate(key)) out.add(key);
      const item = (value as Record<string, unknown>)[key];
      // Strings, numbers and booleans here: most attributes of a large configuration.
      if (typeof item === "string") {
        if (mayHoldTemplate(item)) out.add(item);
      } else if (typeof item === "object" && item !== null) templatesIn(item, out);
    }
  }
}

/** The strings of a module's configuration that may hold templates. */
export function configTemplates(config: ModuleConfig, out: Set<string> = new Set()): Set<string> {
  for (const v of config.variables.values()) templatesIn(v.default, out);
  for (const l of config.locals.values()) templatesIn(l.raw, out);
  // forEach: an iterator over 100,000 resources would make a result object for each.
  config.resources.forEach((r) => {
    templatesIn(r.body, out);
  });
  for (const m of config.moduleCalls.values()) templatesIn(m.body, out);
  for (const o of config.outputs.values()) templatesIn(o.raw, out);
  for (const d of config.declarations) templatesIn(d.raw, out);
  return out;
}

/** Parse every expression of every loaded module. */
export async function prepareExpressions(
  cache: ExpressionCache,
  modules: Iterable<ModuleConfig>,
  rootDir: string,
): Promise<void> {
  const strings = new Set<string>();
  const types = new Set<string>();
  for (const config of modules) {
    const own = configTemplates(config);
    for (const text of own) strings.add(text);
    for (const template of templateFilesNamed(own, config.dir, rootDir)) strings.add(template.text);
    for (const v of config.variables.values()) if (v.typeExpression) types.add(v.typeExpression);
  }
  await cache.prepare(strings);
  await cache.prepareExpressions(types);
}

/**
 * Load a configuration folder and every module it calls (local, or installed by terraform init).
 * `overlay` adds files to the root folder (see RootOverlay).
 */
export async function loadTerraformFolder(
  rootDir: string,
  overlay?: RootOverlay,
  env?: Readonly<Record<string, string | undefined>>,
): Promise<LoadedTree> {
  const parse = await hclParser();
  const modules = new Map<string, ModuleConfig>();
  const installed = installedModules(rootDir);
  const queue: { dir: string; callKey: string; from?: { file: string; name: string } }[] = [
    { dir: rootDir, callKey: "" },
  ];
  while (queue.length > 0) {
    const { dir, callKey, from } = queue.shift()!;
    if (modules.has(dir)) continue;
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      if (!from) throw new InputError(dir, undefined, "a folder of Terraform files", "it does not exist");
      throw new InputError(
        from.file,
        `module.${from.name}.source`,
        "a module folder that exists",
        `${relative(rootDir, dir) || dir} does not exist`,
      );
    }
    const config = await readModuleDir(dir, parse, from === undefined ? overlay : undefined);
    if (config.files.length === 0 && from === undefined)
      throw new InputError(
        dir,
        undefined,
        "a folder with .tf, .tf.json, .tofu or .tofu.json files",
        "it has none",
      );
    modules.set(dir, config);
    for (const call of config.moduleCalls.values()) {
      const key = `${callKey ? `${callKey}.` : ""}module.${call.name}`;
      const located = moduleSourceDir(dir, call, key, installed);
      if ("dir" in located)
        queue.push({ dir: located.dir, callKey: key, from: { file: call.file, name: call.name } });
    }
  }
  const cache = new ExpressionCache();
  await prepareExpressions(cache, modules.values(), rootDir);
  const unreadable: string[] = [];
  const fromFiles = await rootVariables(rootDir, parse, unreadable, overlay);
  // TF_VAR_ values rank below every variables file, as Terraform ranks them.
  const variables = env
    ? new Map([
        ...(await environmentVariables(env, modules.get(rootDir)!.variables, async (name, text) => {
          try {
            return await parse(name, text);
          } catch (error) {
            throw hclError(`environment variable ${name}`, error);
          }
        })),
        ...fromFiles,
      ])
    : fromFiles;
  const files = [...modules.values()].flatMap((m) => m.files);
  return {
    rootDir,
    modules,
    installed,
    rootVariables: variables,
    files,
    cache,
    unreadableVariableFiles: unreadable,
  };
}

/** A single Terraform JSON file read as a one-file module. */
export async function loadTerraformJsonFile(file: string): Promise<LoadedTree> {
  return loadTerraformJsonDocument(readJsonFile(file, "Terraform JSON"), file);
}

/** A Terraform JSON document already in memory, as if read from `file`. */
export async function loadTerraformJsonDocument(document: unknown, file: string): Promise<LoadedTree> {
  const config = emptyModuleConfig(resolve(file, ".."));
  addDocument(config, document, file);
  const modules = new Map([[config.dir, config]]);
  const cache = new ExpressionCache();
  await prepareExpressions(cache, modules.values(), config.dir);
  return {
    rootDir: config.dir,
    modules,
    installed: new Map(),
    rootVariables: new Map(),
    files: [file],
    cache,
    unreadableVariableFiles: [],
  };
}

export const folderName = basename;
