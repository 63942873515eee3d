import { basename, dirname, join, relative } from "node:path";
import { InputError, UsageError } from "../errors.js";
import { inputExists, statInput } from "../input/read-text.js";
import { collectGarbage } from "../memory.js";
import type { DesiredState } from "../model/zone.js";
import { assembleDesired, assembleFacts } from "./assemble.js";
import type { InputKind, InstanceSet, RawDeclarations, ResourceInstance } from "./instance.js";
import { readJsonFile } from "./json-file.js";
import { Manifest } from "./manifest.js";
import { adaptInstances } from "./providers/index.js";
import { evaluateTree, type PreparedRoot, prepareRoot } from "./sources/evaluate-tree.js";
import { readPlan } from "./sources/plan-json.js";
import {
  isTerraformFolder,
  type LoadedTree,
  loadTerraformFolder,
  loadTerraformJsonDocument,
  loadTerraformJsonFile,
} from "./sources/terraform-folder.js";
import { loadTerragruntUnit, TERRAGRUNT_FILE, TERRAGRUNT_JSON_FILE } from "./sources/terragrunt-unit.js";
import type { ModuleConfig, ResourceBlock } from "./terraform/config.js";
import { isTfObject, type TfObject, type TfValue, Unknown } from "./terraform/value.js";
import { inputErrorFromZod } from "./zod-issue.js";

/**
 * From this many resource instances on, the desired read ends with a full garbage collection
 * (`collectGarbage`): what it parsed and evaluated is garbage by then, and the live read comes next.
 * Below it the collection costs more time than the memory it saves is worth (at 10,000 instances:
 * 18 ms, about 4 % of a drift, for about 10 MB of peak RSS; at 100,000 it saves 50-80 MB).
 */
export const LARGE_INPUT_INSTANCES = 50_000;

export interface DesiredSources {
  /** `--synth`: a cdktf.out / cdktn.out folder, a folder of .tf / .tf.json files, a Terragrunt unit, or one Terraform JSON file. */
  readonly synth?: string;
  /** `--plan`: `terraform show -json` output (a file, or the text read from stdin for `-`). */
  readonly plan?: { readonly file: string; readonly text?: string };
  /** `--config`: sidecar files with cf-preflight declarations. */
  readonly config?: readonly string[];
  /** Only this stack of a cdktf.out folder. */
  readonly stack?: string;
  /** The environment, for `TF_VAR_` values of a Terraform folder's root variables. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Backwards-compatible: read one `--synth` path. */
export async function readDesired(path: string, options: { stack?: string } = {}): Promise<DesiredState> {
  return readDesiredSources({
    synth: path,
    ...(options.stack !== undefined ? { stack: options.stack } : {}),
  });
}

/**
 * Read the desired state from every source given, through one adapter per source and one per
 * provider major version, into one model. Throws InputError (exit 2) naming file, path and
 * expectation on bad input; what it cannot know is listed in `inputs.unresolved`.
 */
export async function readDesiredSources(sources: DesiredSources): Promise<DesiredState> {
  if (sources.synth === undefined && sources.plan === undefined)
    throw new UsageError("expected --synth or --plan (or a cdktf.json app to synthesize)");
  if (sources.synth !== undefined && sources.plan !== undefined)
    throw new UsageError("--synth and --plan both given: the plan already holds the configuration; pass one");
  const sets: InstanceSet[] = [];
  if (sources.plan) sets.push(readPlanSource(sources.plan, sources.stack));
  if (sources.synth !== undefined) sets.push(await readSynth(sources.synth, sources.stack, sources.env));
  for (const file of sources.config ?? []) sets.push(readConfigFile(file));
  const { instances, ...merged } = mergeSets(sets);
  // Each source's own list goes too (an awaited result stays reachable until this call returns).
  for (const set of sets) if (set.instances !== instances) set.instances.length = 0;
  const declaresCloudflare = instances.some((i) => i.type.startsWith("cloudflare_"));
  const large = instances.length >= LARGE_INPUT_INSTANCES;
  const desired = assembleReleasing(instances, merged);
  if (large) collectGarbage();
  const cloudflare =
    merged.declaresCloudflare === true ||
    declaresCloudflare ||
    (desired.inputs?.unresolved.length ?? 0) > 0 ||
    merged.declarations.length > 0;
  if (desired.zones.length === 0 && desired.ipLists.length === 0 && !cloudflare) {
    const first = merged.sources[0]?.path;
    throw new InputError(
      first,
      undefined,
      "at least one Cloudflare zone, DNS record, zone setting or IP list (cloudflare_dns_record, cloudflare_record, cloudflare_zone_setting, cloudflare_zone_settings_override, cloudflare_list, or cf_preflight declarations)",
      "it declares nothing cf-preflight checks",
    );
  }
  return desired;
}

/**
 * The model from the instances, emptying `instances` once they are adapted: they (their values,
 * and the parsed configuration they point into) are not needed after, and at 100,000 records they
 * are most of the memory the model is built beside. The facts die with this call.
 */
function assembleReleasing(
  instances: ResourceInstance[],
  rest: Omit<InstanceSet, "instances">,
): DesiredState {
  const facts = adaptInstances(instances);
  instances.length = 0;
  return assembleFacts(facts, rest);
}

/** A Terraform JSON document in memory (tests, generated configurations), read as `file`. */
export async function readTerraformJsonDocument(document: unknown, file: string): Promise<DesiredState> {
  return assembleDesired(fromTree(await loadTerraformJsonDocument(document, file), "terraform-json"));
}

function mergeSets(sets: readonly InstanceSet[]): InstanceSet {
  if (sets.length === 1) return { ...sets[0]! };
  return {
    sources: sets.flatMap((s) => s.sources),
    instances: sets.flatMap((s) => s.instances),
    unresolved: sets.flatMap((s) => s.unresolved),
    declarations: sets.flatMap((s) => s.declarations),
    sensitive: sets.flatMap((s) => s.sensitive),
    deletesKnown: sets.some((s) => s.deletesKnown),
    declaresCloudflare: sets.some((s) => s.declaresCloudflare === true),
  };
}

function readPlanSource(plan: NonNullable<DesiredSources["plan"]>, stack: string | undefined): InstanceSet {
  if (stack !== undefined)
    throw new UsageError("--stack applies to cdktf/cdktn output; a plan is one configuration");
  let document: unknown;
  if (plan.text !== undefined) {
    try {
      document = JSON.parse(plan.text);
    } catch (error) {
      throw new InputError(
        plan.file,
        undefined,
        "valid JSON (terraform show -json output)",
        (error as Error).message,
      );
    }
  } else document = readJsonFile(plan.file, "plan (terraform show -json output)");
  return readPlan(document, plan.file);
}

async function readSynth(
  path: string,
  stack: string | undefined,
  env: DesiredSources["env"],
): Promise<InstanceSet> {
  const expected =
    "a cdktf.out or cdktn.out folder, a folder of Terraform files, a Terragrunt unit folder, or a Terraform JSON file";
  if (!inputExists(path, expected)) throw new InputError(path, undefined, expected, "it does not exist");
  if (!statInput(path, expected).isDirectory()) {
    if (stack !== undefined)
      throw new InputError(
        path,
        undefined,
        "a cdktf.out folder when --stack is given",
        "a single file has no stacks",
      );
    if (/\.(tf|tofu)$/.test(path))
      throw new InputError(
        path,
        undefined,
        "a folder of .tf / .tofu files (give the folder), or a Terraform JSON file",
      );
    return fromTree(await loadTerraformJsonFile(path), "terraform-json");
  }
  if (inputExists(join(path, "manifest.json"), "a readable manifest.json")) return readStacks(path, stack);
  if (stack !== undefined)
    throw new InputError(
      path,
      undefined,
      "a cdktf.out folder with manifest.json when --stack is given",
      "no manifest.json",
    );
  // A Terragrunt unit is read as the Terraform run it makes, even with .tf files beside it.
  if (inputExists(join(path, TERRAGRUNT_FILE), "a readable terragrunt.hcl")) return readTerragrunt(path);
  if (inputExists(join(path, TERRAGRUNT_JSON_FILE), "a readable terragrunt.hcl.json"))
    throw new InputError(
      join(path, TERRAGRUNT_JSON_FILE),
      undefined,
      "a Terragrunt unit written as terragrunt.hcl",
      "cf-preflight does not read terragrunt.hcl.json: give --plan with the JSON of 'terragrunt plan -out=tfplan' then 'terragrunt show -json tfplan'",
    );
  if (!isTerraformFolder(path)) {
    throw new InputError(
      path,
      undefined,
      "a cdktf.out/cdktn.out folder (manifest.json) or a folder of .tf / .tf.json files",
      "it has neither",
    );
  }
  return fromTree(await loadTerraformFolder(path, undefined, env), "hcl");
}

/** A Terragrunt unit: the module it runs, with its inputs; its sources are the unit file and the module. */
async function readTerragrunt(path: string): Promise<InstanceSet> {
  const unit = await loadTerragruntUnit(path);
  const set = fromTree(unit.tree, "hcl");
  return {
    ...set,
    sources: [
      { path: unit.unitFile, kind: "terragrunt" },
      { path: unit.moduleDir, kind: "hcl" },
    ],
    unresolved: [...unit.unresolved, ...set.unresolved],
  };
}

function fromTree(tree: LoadedTree, kind: InputKind, stack?: string, prepared?: PreparedRoot): InstanceSet {
  const evaluated = evaluateTree(tree, { ...(stack !== undefined ? { stack } : {}) }, prepared);
  return {
    sources: [{ path: tree.files.length === 1 ? tree.files[0]! : tree.rootDir, kind }],
    instances: evaluated.instances,
    unresolved: evaluated.unresolved,
    declarations: evaluated.declarations,
    sensitive: evaluated.sensitive,
    deletesKnown: false,
    declaresCloudflare: [...tree.modules.values()].some((m) =>
      [...m.resources.values()].some((r) => r.type.startsWith("cloudflare_")),
    ),
  };
}

/** A cdktf (or CDK Terrain) output folder: each stack is a root module; cross-stack references followed. */
async function readStacks(dir: string, only: string | undefined): Promise<InstanceSet> {
  const manifestFile = join(dir, "manifest.json");
  const parsed = Manifest.safeParse(readJsonFile(manifestFile, "cdktf manifest"));
  if (!parsed.success) throw inputErrorFromZod(parsed.error, manifestFile);
  const names = Object.keys(parsed.data.stacks);
  if (names.length === 0)
    throw new InputError(manifestFile, "stacks", "at least one stack", "the manifest lists none");
  if (only !== undefined && !names.includes(only))
    throw new InputError(
      manifestFile,
      "stacks",
      `a stack named ${only} (stacks: ${names.join(", ")})`,
      "no such stack",
    );
  const kind: InputKind = /cdktn/i.test(basename(dir)) ? "cdktn" : "cdktf";
  const trees = new Map<string, LoadedTree>();
  for (const name of names) {
    const file = join(dir, parsed.data.stacks[name]!.synthesizedStackPath);
    if (relative(dir, file).startsWith(".."))
      throw new InputError(
        manifestFile,
        `stacks.${name}.synthesizedStackPath`,
        "a path inside the output folder",
        file,
      );
    if (!inputExists(file, "a synthesized stack file"))
      throw new InputError(
        manifestFile,
        `stacks.${name}.synthesizedStackPath`,
        "a synthesized stack file that exists",
        file,
      );
    trees.set(
      name,
      file.endsWith(".json") ? await loadTerraformJsonFile(file) : await loadTerraformFolder(dirname(file)),
    );
  }
  // Stacks refer to each other through terraform_remote_state data sources that read the other
  // stack's outputs; the outputs are evaluated in their own stack, references tagged with it.
  const roots = new Map<string, PreparedRoot>();
  const rootOf = (name: string): PreparedRoot => {
    let root = roots.get(name);
    if (!root) {
      root = prepareRoot(trees.get(name)!, { stack: name, remoteState });
      roots.set(name, root);
    }
    return root;
  };
  const remoteState = (block: ResourceBlock, _module: ModuleConfig): TfValue | undefined => {
    const text = JSON.stringify(block.body);
    const source = names.find((n) => text.includes(`terraform.${n}.tfstate`) || text.includes(`"${n}"`));
    if (source === undefined) return undefined;
    return tagStack(rootOf(source).root.outputs(), source);
  };
  const sets = names
    .filter((name) => only === undefined || name === only)
    .map((name) => {
      const set = fromTree(trees.get(name)!, kind, name, rootOf(name));
      return { ...set, sources: [{ path: trees.get(name)!.files[0] ?? dir, kind }] };
    });
  return mergeSets(sets);
}

/** References inside another stack's output carry that stack's name (`stack::address`). */
function tagStack(value: TfValue, stack: string): TfValue {
  if (value instanceof Unknown)
    return new Unknown(
      value.expression,
      value.why,
      value.references.map((r) => (r.includes("::") ? r : `${stack}::${r}`)),
      value.sensitive,
    );
  if (Array.isArray(value)) return value.map((v) => tagStack(v, stack));
  if (isTfObject(value)) {
    const out: Record<string, TfValue> = {};
    for (const [k, v] of Object.entries(value as TfObject)) out[k] = tagStack(v, stack);
    return out;
  }
  return value;
}

/** `--config FILE`: cf-preflight declarations for configurations without the construct. */
function readConfigFile(file: string): InstanceSet {
  const value = readJsonFile(file, "cf-preflight configuration (JSON)");
  const declarations: RawDeclarations[] = [{ value, file, path: [] }];
  return {
    sources: [{ path: file, kind: "config" }],
    instances: [],
    unresolved: [],
    declarations,
    sensitive: [],
    deletesKnown: false,
  };
}
