import { relative } from "node:path";
import type { RawDeclarations, ResourceInstance, UnresolvedInput } from "../instance.js";
import { templatedType, wantedType } from "../providers/index.js";
import type { ModuleConfig, ResourceBlock } from "../terraform/config.js";
import { type EvaluationContext, ModuleInstance } from "../terraform/module-eval.js";
import type { TfValue } from "../terraform/value.js";
import type { LoadedTree } from "./terraform-folder.js";

/** The name of the output through which plan and HCL users declare origins, allowlists and acknowledgements. */
export const DECLARATIONS_OUTPUT = "cf_preflight";

export interface EvaluatedTree {
  readonly instances: ResourceInstance[];
  readonly unresolved: UnresolvedInput[];
  readonly declarations: RawDeclarations[];
  readonly root: ModuleInstance;
  /** Strings of values the configuration marks sensitive: never shown in any output. */
  readonly sensitive: string[];
}

/** The provider major a `required_providers` constraint allows (`~> 4.0`, `>= 5`), if it names one. */
export function constraintMajor(constraint: string | undefined): number | undefined {
  if (!constraint) return undefined;
  const majors = [...constraint.matchAll(/(~>|>=|=|==|\^)?\s*v?(\d+)(?:\.\d+)*/g)].map((m) => Number(m[2]));
  const distinct = [...new Set(majors.filter((n) => n >= 1 && n < 100))];
  if (distinct.length === 1) return distinct[0];
  // `>= 4.0, < 5.0` style: the lower bound decides.
  if (/</.test(constraint) && distinct.length > 1) return Math.min(...distinct);
  return undefined;
}

/**
 * Evaluate a loaded configuration from its root module, as a plan would without state: every
 * Cloudflare resource instance (count/for_each expanded, modules followed), what could not be
 * known, and the cf-preflight declarations (a `cf_preflight` root output, or `//` in Terraform JSON).
 */
export interface TreeOptions {
  readonly stack?: string;
  readonly remoteState?: (block: ResourceBlock, module: ModuleConfig) => TfValue | undefined;
}

/** The root module instance of a loaded tree, ready to evaluate (cross-stack lookups need it early). */
export interface PreparedRoot {
  readonly root: ModuleInstance;
  readonly unresolved: UnresolvedInput[];
  /** Strings of sensitive values met while evaluating (filled as evaluation goes). */
  readonly sensitive: Set<string>;
}

export function prepareRoot(tree: LoadedTree, options: TreeOptions = {}): PreparedRoot {
  const unresolved: UnresolvedInput[] = [];
  const sensitive = new Set<string>();
  const context: EvaluationContext = {
    modules: tree.modules,
    installedModules: tree.installed,
    cache: tree.cache,
    rootDir: tree.rootDir,
    rootVariables: tree.rootVariables,
    unreadableVariableFiles: tree.unreadableVariableFiles,
    wants: wantedType,
    templates: templatedType,
    unresolved,
    sensitive,
    fileTexts: new Map(),
    ...(options.stack !== undefined ? { stack: options.stack } : {}),
    ...(options.remoteState ? { remoteState: options.remoteState } : {}),
  };
  const rootConfig = tree.modules.get(tree.rootDir)!;
  return { root: new ModuleInstance(rootConfig, "", "", new Map(), context), unresolved, sensitive };
}

export function evaluateTree(
  tree: LoadedTree,
  options: TreeOptions = {},
  prepared: PreparedRoot = prepareRoot(tree, options),
): EvaluatedTree {
  const { root, unresolved } = prepared;
  const rootConfig = root.config;
  const collected: ResourceInstance[] = [];
  root.collect(collected);
  const major = constraintMajor(rootConfig.cloudflareConstraint?.constraint);
  const instances = major === undefined ? collected : collected.map((i) => ({ ...i, providerMajor: major }));

  for (const file of tree.unreadableVariableFiles)
    unresolved.push({
      address: relative(tree.rootDir, file),
      attribute: "file",
      why: "Terraform loads this variables file, but it is not text (encrypted?): variables it may set are unknown, and defaults it may override were used",
    });
  for (const config of tree.modules.values())
    for (const file of config.overrideFiles)
      unresolved.push({
        address: relative(tree.rootDir, file),
        attribute: "file",
        why: "override files are not merged by cf-preflight",
      });

  const declarations = root.declarations();
  const output = rootConfig.outputs.get(DECLARATIONS_OUTPUT);
  if (output) {
    declarations.push({
      value: root.output(DECLARATIONS_OUTPUT) ?? null,
      file: output.file,
      path: ["output", DECLARATIONS_OUTPUT],
      ...(options.stack !== undefined ? { stack: options.stack } : {}),
    });
  }
  return { instances, unresolved, declarations, root, sensitive: [...prepared.sensitive] };
}
