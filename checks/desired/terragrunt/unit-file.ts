import { dirname } from "node:path";
import { InputError } from "../../errors.js";

/**
 * One Terragrunt configuration file (`terragrunt.hcl`, a `root.hcl` it includes, a file read by
 * `read_terragrunt_config`) as HashiCorp's parser gives it through `@cdktn/hcl2json`: blocks are
 * arrays of objects (labelled blocks an object of such arrays), attributes are values, and
 * expressions are `${...}` strings. Only what decides the Terraform run is kept; the rest
 * (remote_state, iam_role, hooks, ...) is not evaluated. Blocks and attributes checked against
 * https://terragrunt.gruntwork.io/docs/reference/hcl/blocks/ and .../attributes/ on 2026-11-30.
 */
export interface TerragruntFile {
  readonly file: string;
  readonly dir: string;
  /** `locals { }` (all blocks together): name -> raw value. */
  readonly locals: ReadonlyMap<string, unknown>;
  /** `include` blocks in order; a bare `include { }` has the name `""`. */
  readonly includes: readonly IncludeBlock[];
  /** The `inputs` attribute, unevaluated (an object, or an expression string). */
  readonly inputs: unknown;
  /** `terraform { source = ... }`, unevaluated; undefined when not set. */
  readonly source: unknown;
  /** `terraform { extra_arguments "x" { commands, arguments, required_var_files, optional_var_files } }`. */
  readonly extraArguments: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  /** `dependency "name" { config_path = ... }`: name -> raw config_path. */
  readonly dependencies: ReadonlyMap<string, unknown>;
  /** `generate "name" { path, if_exists, contents, disable }`: name -> raw body. */
  readonly generates: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

export interface IncludeBlock {
  readonly name: string;
  readonly path: unknown;
  readonly expose: unknown;
  readonly mergeStrategy: unknown;
}

type Body = Readonly<Record<string, unknown>>;

const isBody = (value: unknown): value is Body =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The bodies of an unlabelled block (`locals`, `terraform`): an array of objects. */
function blocks(document: Body, key: string, file: string): Body[] {
  const value = document[key];
  if (value === undefined) return [];
  if (Array.isArray(value) && value.every(isBody)) return value;
  throw new InputError(file, key, `a ${key} { } block`, "it is written as an attribute");
}

/** The bodies of a labelled block (`dependency "x"`, `generate "x"`): label -> one body. */
function labelled(document: Body, key: string, file: string): Map<string, Body> {
  const out = new Map<string, Body>();
  const value = document[key];
  if (value === undefined) return out;
  if (!isBody(value)) throw new InputError(file, key, `${key} "NAME" { } blocks, each with a label`);
  for (const [label, bodies] of Object.entries(value)) {
    if (!Array.isArray(bodies) || bodies.length !== 1 || !isBody(bodies[0]))
      throw new InputError(file, `${key}.${label}`, `one ${key} "${label}" { } block`);
    out.set(label, bodies[0]);
  }
  return out;
}

/** `include "root" { }` blocks, or one bare `include { }` (the parser writes the two alike but for the label). */
function includes(document: Body, file: string): IncludeBlock[] {
  const value = document.include;
  if (value === undefined) return [];
  const block = (name: string, body: Body): IncludeBlock => ({
    name,
    path: body.path,
    expose: body.expose,
    mergeStrategy: body.merge_strategy,
  });
  if (Array.isArray(value)) {
    if (value.length !== 1 || !isBody(value[0]))
      throw new InputError(file, "include", 'one bare include { } block (or include "NAME" { } blocks)');
    return [block("", value[0])];
  }
  return [...labelled(document, "include", file)].map(([name, body]) => block(name, body));
}

/** The structure of a parsed Terragrunt file; throws InputError (exit 2) on a shape Terragrunt refuses. */
export function terragruntFile(document: unknown, file: string): TerragruntFile {
  if (!isBody(document)) throw new InputError(file, undefined, "a Terragrunt configuration");
  const locals = new Map<string, unknown>();
  for (const body of blocks(document, "locals", file))
    for (const [name, raw] of Object.entries(body)) {
      if (locals.has(name))
        throw new InputError(file, `locals.${name}`, "each local defined once", "it is defined twice");
      locals.set(name, raw);
    }
  const terraform = blocks(document, "terraform", file);
  if (terraform.length > 1) throw new InputError(file, "terraform", "one terraform { } block");
  const extraArguments = new Map<string, Body>();
  if (terraform[0])
    for (const [label, body] of labelled(terraform[0], "extra_arguments", file))
      extraArguments.set(label, body);
  const dependencies = new Map<string, unknown>();
  for (const [name, body] of labelled(document, "dependency", file)) dependencies.set(name, body.config_path);
  return {
    file,
    dir: dirname(file),
    locals,
    includes: includes(document, file),
    inputs: document.inputs,
    source: terraform[0]?.source,
    extraArguments,
    dependencies,
    generates: labelled(document, "generate", file),
  };
}
