import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "../../errors.js";
import { readTextFile } from "../../input/read-text.js";
import type { ExpressionCache } from "../terraform/ast.js";
import {
  evaluateConfigValue,
  type ModuleScope,
  TerraformEvalError,
  TerraformReferenceError,
} from "../terraform/evaluate.js";
import type { TerraformFunction } from "../terraform/functions.js";
import { type TfValue, Unknown } from "../terraform/value.js";
import { type TerragruntFunctionContext, terragruntFunctions } from "./functions.js";
import type { TerragruntFile } from "./unit-file.js";

/** What a file's expressions may reach beyond its own locals: the unit's includes and dependencies. */
export interface UnitReferences {
  /** `include.NAME` (or `include.ATTR` for a bare include): the exposed included configuration. */
  include(name: string, accessor: string): TfValue;
  /** `dependency.NAME`: a unit applied elsewhere, whose outputs are never known here. */
  dependency(name: string, accessor: string): TfValue;
}

/** A `get_env` the configuration evaluated, for the reader to list. */
export interface EnvUse {
  readonly file: string;
  /** What was being evaluated: `inputs.zone`, `locals.env`, `terraform.source`. */
  readonly label: string;
  readonly name: string;
  readonly fallback?: TfValue;
}

/**
 * The scope of one Terragrunt file's expressions (the unit's own file, or a file it includes,
 * evaluated as Terragrunt does in the unit's context). Its locals are evaluated lazily with cycle
 * detection. An expression Terragrunt would refuse (an undeclared reference, a function error
 * outside `try()`) is bad input: InputError naming the file and the attribute.
 */
export class TerragruntScope implements ModuleScope {
  readonly path: ModuleScope["path"];
  readonly functions: Readonly<Record<string, TerraformFunction>>;
  private readonly localValues = new Map<string, TfValue>();
  private readonly evaluating = new Set<string>();
  /** The attribute being evaluated, for errors and the list of environment variables used. */
  private label = "";

  constructor(
    readonly file: TerragruntFile,
    readonly cache: ExpressionCache,
    private readonly unit: UnitReferences,
    functions: Omit<TerragruntFunctionContext, "fileDir" | "envUsed">,
    private readonly envUses: EnvUse[],
  ) {
    this.path = { module: file.dir, root: functions.terragruntDir, cwd: functions.terragruntDir };
    this.functions = terragruntFunctions({
      ...functions,
      fileDir: file.dir,
      envUsed: (name, fallback) =>
        this.envUses.push({
          file: file.file,
          label: this.label,
          name,
          ...(fallback !== undefined ? { fallback } : {}),
        }),
    });
  }

  /** Evaluate a raw value of this file as `label` (`inputs`, `terraform.source`, ...). */
  evaluate(raw: unknown, label: string): TfValue {
    const before = this.label;
    this.label = label;
    try {
      return evaluateConfigValue(raw, { module: this });
    } catch (error) {
      if (error instanceof TerraformEvalError || error instanceof TerraformReferenceError)
        throw new InputError(this.file.file, label, "an expression Terragrunt can evaluate", error.message);
      throw error;
    } finally {
      this.label = before;
    }
  }

  local(name: string): TfValue {
    const known = this.localValues.get(name);
    if (known !== undefined) return known;
    if (!this.file.locals.has(name))
      throw new TerraformReferenceError(`local.${name} is not declared in ${this.file.file}`);
    if (this.evaluating.has(name))
      throw new TerraformReferenceError(`local.${name} refers to itself (a cycle)`);
    this.evaluating.add(name);
    try {
      const value = this.evaluate(this.file.locals.get(name), `locals.${name}`);
      this.localValues.set(name, value);
      return value;
    } finally {
      this.evaluating.delete(name);
    }
  }

  /** Every local of the file (for `include.NAME.locals` and `read_terragrunt_config`). */
  locals(): TfValue {
    const out: Record<string, TfValue> = {};
    for (const name of this.file.locals.keys()) out[name] = this.local(name);
    return out;
  }

  variable(name: string): TfValue {
    throw new TerraformReferenceError(`var.${name}: a Terragrunt configuration has no variables`);
  }

  moduleCall(name: string): TfValue {
    throw new TerraformReferenceError(`module.${name}: a Terragrunt configuration calls no modules`);
  }

  /** `include.x`, `dependency.x` (and `feature.x`, `values.x`) reach here as the evaluator's resource references. */
  resource(mode: "managed" | "data", type: string, name: string): TfValue {
    const accessor = `${type}.${name}`;
    if (mode === "managed" && type === "include") return this.unit.include(name, accessor);
    if (mode === "managed" && type === "dependency") return this.unit.dependency(name, accessor);
    if (mode === "managed" && (type === "feature" || type === "values"))
      return new Unknown(
        accessor,
        `${type === "feature" ? "feature flags" : "stack values"} are set where Terragrunt runs; cf-preflight does not evaluate them`,
      );
    throw new TerraformReferenceError(
      `${mode === "data" ? "data." : ""}${accessor} is not something Terragrunt declares`,
    );
  }

  readFile(path: string): string | undefined {
    const file = resolve(this.file.dir, path);
    if (!existsSync(file)) return undefined;
    return readTextFile(file, "a file the Terragrunt configuration reads with file()");
  }
}
