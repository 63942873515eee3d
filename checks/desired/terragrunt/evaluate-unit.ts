import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "../../errors.js";
import { TerraformEvalError } from "../terraform/evaluate.js";
import { type TfValue, typeName, Unknown } from "../terraform/value.js";
import type { TerragruntFiles } from "./files.js";
import type { IncludePlace } from "./functions.js";
import { type InputsValue, type MergeStrategy, mergeInputs, parseMergeStrategy } from "./merge.js";
import { type EnvUse, TerragruntScope, type UnitReferences } from "./scope.js";
import type { IncludeBlock, TerragruntFile } from "./unit-file.js";

/** What one evaluation pass shares: the parsed files and what it noticed. */
export interface UnitRun {
  readonly files: TerragruntFiles;
  readonly envUses: EnvUse[];
  /** The unit Terragrunt runs in (`get_original_terragrunt_dir()`). */
  readonly originalDir: string;
  /** `read_terragrunt_config` results by file, and the files being read (cycles). */
  readonly readConfigs: Map<string, TfValue>;
  readonly reading: Set<string>;
}

/** `read_terragrunt_config` inside a file read by it, this deep at most. */
const MAX_READ_DEPTH = 10;

interface ResolvedInclude extends IncludePlace {
  readonly block: IncludeBlock;
  readonly config: TerragruntFile;
  readonly expose: boolean;
  readonly strategy: MergeStrategy;
  readonly scope: TerragruntScope;
}

/** A generate block, evaluated in the file that declares it. */
export interface GenerateBlock {
  readonly label: string;
  readonly file: string;
  readonly path: TfValue;
  readonly ifExists: TfValue;
  readonly contents: TfValue;
  readonly disable: TfValue;
}

/** The configuration Terragrunt runs, its includes merged in. */
export interface EvaluatedUnit {
  readonly inputs: InputsValue;
  /** `terraform { source }` and the file it comes from; undefined when no file sets one. */
  readonly source?: { readonly value: TfValue; readonly file: string };
  readonly generates: readonly GenerateBlock[];
  /** `extra_arguments` blocks by label (a later file's over an earlier one's), evaluated. */
  readonly extraArguments: readonly ExtraArguments[];
}

const GENERATE_ATTRIBUTES = ["path", "if_exists", "contents", "disable"] as const;

/** An `extra_arguments` block, evaluated in the file that declares it (null where not set). */
export interface ExtraArguments {
  readonly label: string;
  readonly file: string;
  readonly commands: TfValue;
  readonly arguments: TfValue;
  readonly requiredVarFiles: TfValue;
  readonly optionalVarFiles: TfValue;
}

/**
 * One Terragrunt configuration evaluated as Terragrunt would in `terragruntDir`: the unit's own
 * file, or a file read by `read_terragrunt_config` (which Terragrunt evaluates in its own folder).
 * Its includes are resolved first (each a file parsed before evaluation goes on), each included file
 * evaluated in the unit's context; nested includes are refused, as Terragrunt refuses them.
 */
export class UnitEvaluation implements UnitReferences {
  readonly scope: TerragruntScope;
  private readonly includes: ResolvedInclude[] = [];
  private readonly exposed = new Map<string, TfValue>();

  constructor(
    readonly config: TerragruntFile,
    private readonly run: UnitRun,
    private readonly depth = 0,
  ) {
    const places: IncludePlace[] = [];
    const functions = {
      terragruntDir: config.dir,
      originalDir: run.originalDir,
      includes: places,
      readConfig: (file: string, fallback: TfValue | undefined) => this.readConfig(file, fallback),
    };
    this.scope = new TerragruntScope(config, run.files.cache, this, functions, run.envUses);
    for (const block of config.includes) {
      const label = block.name ? `include.${block.name}.path` : "include.path";
      const path = this.scope.evaluate(block.path, label);
      if (typeof path !== "string")
        throw new InputError(
          config.file,
          label,
          "the path of a Terragrunt configuration file",
          path instanceof Unknown ? `it is not known here: ${path.why}` : `got ${typeName(path)}`,
        );
      const file = resolve(config.dir, path);
      if (!existsSync(file) || !statSync(file).isFile())
        throw new InputError(
          config.file,
          label,
          "a Terragrunt configuration file that exists",
          `${file} does not`,
        );
      const included = run.files.get(file);
      if (included.includes.length > 0)
        throw new InputError(
          included.file,
          "include",
          "no include block in an included file",
          `Terragrunt does not follow nested includes (${config.file} includes it)`,
        );
      const place: IncludePlace = { name: block.name, dir: included.dir };
      places.push(place);
      const scope = new TerragruntScope(
        included,
        run.files.cache,
        this,
        { ...functions, including: place },
        run.envUses,
      );
      this.includes.push({
        ...place,
        block,
        config: included,
        expose: this.flag(block.expose, `${label.slice(0, -5)}.expose`),
        strategy: parseMergeStrategy(
          block.mergeStrategy === undefined
            ? undefined
            : this.scope.evaluate(block.mergeStrategy, `${label.slice(0, -5)}.merge_strategy`),
          config.file,
          `${label.slice(0, -5)}.merge_strategy`,
        ),
        scope,
      });
    }
  }

  private flag(raw: unknown, label: string): boolean {
    if (raw === undefined) return false;
    const value = this.scope.evaluate(raw, label);
    if (typeof value === "boolean") return value;
    throw new InputError(this.config.file, label, "true or false", `got ${typeName(value)}`);
  }

  include(name: string, accessor: string): TfValue {
    const named = this.includes.find((i) => i.name === name);
    // A bare include is read as `include.locals`, `include.inputs`.
    const bare = named ? undefined : this.includes.find((i) => i.name === "");
    const include = named ?? bare;
    if (!include) throw new TerraformEvalError(`${accessor}: the configuration has no include "${name}"`);
    if (!include.expose)
      throw new TerraformEvalError(
        `${accessor}: include "${include.name}" is not exposed (it needs expose = true)`,
      );
    let value = this.exposed.get(include.name);
    if (value === undefined) {
      value = this.asObject(include.config, include.scope);
      this.exposed.set(include.name, value);
    }
    if (!bare) return value;
    const attribute = (value as Record<string, TfValue>)[name];
    if (attribute === undefined)
      throw new TerraformEvalError(`${accessor}: the included configuration has no ${name}`);
    return attribute;
  }

  dependency(name: string, accessor: string): TfValue {
    const declared = [this.config, ...this.includes.map((i) => i.config)].find((c) =>
      c.dependencies.has(name),
    );
    if (!declared) throw new TerraformEvalError(`${accessor}: no dependency "${name}" is declared`);
    const raw = declared.dependencies.get(name);
    const where = typeof raw === "string" && !raw.includes("${") ? ` at ${raw}` : "";
    const unknown = (part: string) =>
      new Unknown(
        `dependency.${name}.${part}`,
        `dependency.${name}.${part} belongs to another Terragrunt unit${where}, known only once it is applied (cf-preflight does not run terragrunt output, and mock_outputs are placeholders, not values)`,
        [`dependency.${name}`],
      );
    return { outputs: unknown("outputs"), inputs: unknown("inputs") };
  }

  /** The configuration as `include.NAME` and `read_terragrunt_config` expose it. */
  private asObject(config: TerragruntFile, scope: TerragruntScope): TfValue {
    const out: Record<string, TfValue> = { locals: scope.locals() };
    out.inputs = config.inputs === undefined ? {} : scope.evaluate(config.inputs, "inputs");
    if (config.source !== undefined)
      out.terraform = { source: scope.evaluate(config.source, "terraform.source") };
    if (config.dependencies.size > 0)
      out.dependency = Object.fromEntries(
        [...config.dependencies.keys()].map((name) => [name, this.dependency(name, `dependency.${name}`)]),
      );
    return out;
  }

  /** `read_terragrunt_config(file, fallback)`: the file evaluated in its own folder. */
  private readConfig(file: string, fallback: TfValue | undefined): TfValue {
    if (!existsSync(file) || !statSync(file).isFile()) {
      if (fallback !== undefined) return fallback;
      throw new TerraformEvalError(`read_terragrunt_config(): ${file} does not exist`);
    }
    const known = this.run.readConfigs.get(file);
    if (known !== undefined) return known;
    if (this.run.reading.has(file) || this.depth >= MAX_READ_DEPTH)
      return new Unknown(
        `read_terragrunt_config("${file}")`,
        "the file reads itself through read_terragrunt_config (a cycle)",
      );
    this.run.reading.add(file);
    try {
      const evaluation = new UnitEvaluation(this.run.files.get(file), this.run, this.depth + 1);
      const merged = evaluation.evaluate();
      const value = {
        ...(evaluation.asObject(evaluation.config, evaluation.scope) as Record<string, TfValue>),
        inputs: merged.inputs.value,
      };
      this.run.readConfigs.set(file, value);
      return value;
    } finally {
      this.run.reading.delete(file);
    }
  }

  /**
   * The configuration with its includes merged in, as Terragrunt merges them: each included file
   * in order (a later one over an earlier), the unit's own file over all, by each include's
   * `merge_strategy` (`no_merge` leaves the file out).
   */
  evaluate(): EvaluatedUnit {
    let inputs: InputsValue = { value: {}, origins: new Map() };
    let source: EvaluatedUnit["source"];
    const generates = new Map<string, GenerateBlock>();
    const extraArguments = new Map<string, ExtraArguments>();
    let strategy: MergeStrategy = "shallow";
    const layers = [
      ...this.includes.filter((i) => i.strategy !== "no_merge").map((i) => ({ ...i, own: false })),
      { config: this.config, scope: this.scope, strategy: undefined, own: true },
    ];
    for (const layer of layers) {
      const { config, scope } = layer;
      if (layer.strategy !== undefined) strategy = layer.strategy;
      if (config.inputs !== undefined)
        inputs = mergeInputs(inputs, scope.evaluate(config.inputs, "inputs"), config.file, strategy);
      if (config.source !== undefined)
        source = { value: scope.evaluate(config.source, "terraform.source"), file: config.file };
      for (const [label, body] of config.generates) {
        const value = (attribute: (typeof GENERATE_ATTRIBUTES)[number]): TfValue =>
          body[attribute] === undefined
            ? null
            : scope.evaluate(body[attribute], `generate.${label}.${attribute}`);
        generates.set(label, {
          label,
          file: config.file,
          path: value("path"),
          ifExists: value("if_exists"),
          contents: value("contents"),
          disable: value("disable"),
        });
      }
      for (const [label, body] of config.extraArguments) {
        const value = (attribute: string): TfValue =>
          body[attribute] === undefined
            ? null
            : scope.evaluate(body[attribute], `terraform.extra_arguments.${label}.${attribute}`);
        extraArguments.set(label, {
          label,
          file: config.file,
          commands: value("commands"),
          arguments: value("arguments"),
          requiredVarFiles: value("required_var_files"),
          optionalVarFiles: value("optional_var_files"),
        });
      }
    }
    return {
      inputs,
      ...(source ? { source } : {}),
      generates: [...generates.values()],
      extraArguments: [...extraArguments.values()],
    };
  }
}
