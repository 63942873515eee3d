import { existsSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { TerraformEvalError } from "../terraform/evaluate.js";
import type { TerraformFunction } from "../terraform/functions.js";
import { convertToString, type TfValue, typeName, Unknown } from "../terraform/value.js";

/**
 * Terragrunt's own functions, beside Terraform's (checked against
 * https://terragrunt.gruntwork.io/docs/reference/hcl/functions/ on 2026-11-30). Functions that
 * run commands or reach a cloud (`run_cmd`, `sops_decrypt_file`, `get_aws_account_id`, ...) are
 * not here, so they evaluate to an Unknown that names them. Every path is evaluated as Terragrunt
 * does when it runs in the unit folder: relative to the unit, even inside an included file.
 */
export interface TerragruntFunctionContext {
  /** The unit folder (`get_terragrunt_dir()`); inside a `read_terragrunt_config` target, its folder. */
  readonly terragruntDir: string;
  /** The unit Terragrunt was run in, even inside files read with `read_terragrunt_config`. */
  readonly originalDir: string;
  /** The folder of the file being evaluated: relative paths of `read_terragrunt_config` resolve here. */
  readonly fileDir: string;
  /** The include whose file is being evaluated, when it is an included file. */
  readonly including?: IncludePlace;
  /** The unit's include blocks (name and the folder of the included file). */
  readonly includes: readonly IncludePlace[];
  /** `read_terragrunt_config(path)`: the file's evaluated configuration. */
  readonly readConfig: (file: string, fallback: TfValue | undefined, source: string) => TfValue;
  /** `get_env(NAME, DEFAULT)` was evaluated: the reader lists it (it does not read the environment). */
  readonly envUsed: (name: string, fallback: TfValue | undefined, source: string) => void;
}

export interface IncludePlace {
  readonly name: string;
  readonly dir: string;
}

/** Terragrunt stops looking up after this many folders (its `MaxFoldersToCheck`). */
export const TERRAGRUNT_MAX_PARENT_FOLDERS = 100;

/** What `find_in_parent_folders()` looks for without an argument (terragrunt.hcl, as before root.hcl). */
export const TERRAGRUNT_DEFAULT_PARENT_FILE = "terragrunt.hcl";

/** What `get_terraform_commands_that_need_vars()` returns (Terragrunt's TERRAFORM_COMMANDS_NEED_VARS). */
export const TERRAGRUNT_COMMANDS_THAT_NEED_VARS = [
  "apply",
  "console",
  "destroy",
  "import",
  "plan",
  "push",
  "refresh",
] as const;

const text = (value: TfValue | undefined, fn: string): string => {
  const s = value === undefined ? undefined : convertToString(value);
  if (s === undefined) throw new TerraformEvalError(`${fn}(): expected a string, got ${typeName(value)}`);
  return s;
};

/** A relative path as Go's filepath.Rel writes it (`.` for the same folder), with `/`. */
function relativePath(from: string, to: string): string {
  return relative(from, to).split("\\").join("/") || ".";
}

/** The nearest folder at or above `dir` that holds `.git` (a folder, or a worktree's file), as `git rev-parse --show-toplevel` finds it. */
export function gitRoot(dir: string): string | undefined {
  let current = resolve(dir);
  for (;;) {
    if (existsSync(join(current, ".git"))) return current;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** `find_in_parent_folders(name)`: the first `name` in a folder above `start` (not `start` itself). */
export function findInParentFolders(start: string, name: string): string | undefined {
  let current = resolve(start);
  for (let i = 0; i < TERRAGRUNT_MAX_PARENT_FOLDERS; i++) {
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
    const candidate = join(current, name);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

function includeNamed(context: TerragruntFunctionContext, name: TfValue | undefined, fn: string) {
  if (name !== undefined) {
    const wanted = text(name, fn);
    const found = context.includes.find((i) => i.name === wanted);
    if (!found) throw new TerraformEvalError(`${fn}("${wanted}"): the unit has no include "${wanted}"`);
    return found;
  }
  return context.including ?? context.includes[0];
}

export function terragruntFunctions(context: TerragruntFunctionContext): Record<string, TerraformFunction> {
  const repoRoot = (source: string): string | Unknown =>
    gitRoot(context.terragruntDir) ??
    new Unknown(
      source,
      `no git repository (.git) in ${context.terragruntDir} or above it, where get_repo_root() looks`,
    );
  return {
    find_in_parent_folders: ([name, fallback], { source }) => {
      const wanted =
        name === undefined ? TERRAGRUNT_DEFAULT_PARENT_FILE : text(name, "find_in_parent_folders");
      const found = findInParentFolders(context.terragruntDir, wanted);
      if (found !== undefined) return found;
      if (fallback !== undefined) return fallback;
      throw new FindError(source, wanted, context.terragruntDir);
    },
    get_terragrunt_dir: () => context.terragruntDir,
    get_terraform_commands_that_need_vars: () => [...TERRAGRUNT_COMMANDS_THAT_NEED_VARS],
    get_original_terragrunt_dir: () => context.originalDir,
    get_parent_terragrunt_dir: ([name]) =>
      includeNamed(context, name, "get_parent_terragrunt_dir")?.dir ?? context.terragruntDir,
    path_relative_to_include: ([name]) => {
      const include = includeNamed(context, name, "path_relative_to_include");
      return include ? relativePath(include.dir, context.terragruntDir) : ".";
    },
    path_relative_from_include: ([name]) => {
      const include = includeNamed(context, name, "path_relative_from_include");
      return include ? relativePath(context.terragruntDir, include.dir) : ".";
    },
    get_repo_root: (_args, { source }) => repoRoot(source),
    get_path_to_repo_root: (_args, { source }) => {
      const root = repoRoot(source);
      return root instanceof Unknown ? root : relativePath(context.terragruntDir, root);
    },
    get_path_from_repo_root: (_args, { source }) => {
      const root = repoRoot(source);
      return root instanceof Unknown ? root : relativePath(root, context.terragruntDir);
    },
    get_env: ([name, fallback], { source }) => {
      const variable = text(name, "get_env");
      context.envUsed(variable, fallback, source);
      if (fallback !== undefined) return fallback;
      return new Unknown(
        source,
        `the environment variable ${variable} (get_env without a default): cf-preflight does not read the environment`,
      );
    },
    read_terragrunt_config: ([path, fallback], { source }) => {
      const file = resolve(context.fileDir, text(path, "read_terragrunt_config"));
      return context.readConfig(file, fallback, source);
    },
  };
}

/** `find_in_parent_folders` found nothing and has no fallback: an error (which `try()` may catch). */
export class FindError extends TerraformEvalError {
  constructor(source: string, wanted: string, start: string) {
    super(`${source}: no ${wanted} in any folder above ${start}`);
  }
}
