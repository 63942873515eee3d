import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { InputError } from "../../errors.js";
import { readTextFile } from "../../input/read-text.js";
import type { Building } from "../../model/mutable.js";
import type { SourceRef } from "../../model/source.js";
import {
  instanceAddress,
  type RawDeclarations,
  type ResourceInstance,
  type UnresolvedInput,
} from "../instance.js";
import { collectSensitiveStrings } from "../sensitive-strings.js";
import type { ExpressionCache } from "./ast.js";
import type { ModuleCallBlock, ModuleConfig, ResourceBlock, VariableBlock } from "./config.js";
import {
  cycles,
  evaluateConfigValue,
  evaluateExpressionNode,
  evaluateString,
  type ModuleScope,
  resourceObject,
  type Scope,
  TerraformEvalError,
  TerraformReferenceError,
} from "./evaluate.js";
import { mayHoldTemplate } from "./template.js";
import { applyType, typeSpecOf } from "./type-constraint.js";
import { EachElement, UnknownBlocks } from "./unknown-blocks.js";
import {
  convertToNumber,
  convertToString,
  firstUnknown,
  isTfObject,
  type TfObject,
  type TfValue,
  typeName,
  Unknown,
} from "./value.js";

/** Meta-arguments of resource and module blocks: not attributes of the resource. */
const META_ARGUMENTS = new Set([
  "count",
  "for_each",
  "depends_on",
  "lifecycle",
  "provider",
  "providers",
  "provisioner",
  "connection",
  "source",
  "version",
  "//",
]);

/** What a whole evaluation shares: the module tree, parsed expressions, and what it could not know. */
export interface EvaluationContext {
  /** Module configurations by folder, loaded before evaluation. */
  readonly modules: ReadonlyMap<string, ModuleConfig>;
  /** Module call key (`module.dns`, `module.a.module.b`) -> folder for non-local sources installed by `terraform init`. */
  readonly installedModules: ReadonlyMap<string, string>;
  readonly cache: ExpressionCache;
  readonly rootDir: string;
  /** Values for root variables (terraform.tfvars, *.auto.tfvars). */
  readonly rootVariables: ReadonlyMap<string, TfValue>;
  /** Variable files that could not be read (encrypted): root variables without defaults say so. */
  readonly unreadableVariableFiles?: readonly string[];
  /** Which resource types to evaluate and report (the rest are evaluated only when referenced). */
  readonly wants: (type: string, mode: "managed" | "data") => boolean;
  /**
   * Types whose `for_each` over an unknown collection still yields one template instance (its
   * `each.value` an `EachElement`), e.g. a security group rule per Cloudflare range.
   */
  readonly templates?: (type: string, mode: "managed" | "data") => boolean;
  /** cdktf cross-stack references: the outputs a `terraform_remote_state` data source stands for. */
  readonly remoteState?: (block: ResourceBlock, module: ModuleConfig) => TfValue | undefined;
  readonly stack?: string;
  readonly unresolved: UnresolvedInput[];
  /**
   * Strings of values the configuration marks sensitive (variables declared `sensitive = true`,
   * arguments of `sensitive()`): Terraform never prints them, and no output of cf-preflight may.
   */
  readonly sensitive?: Set<string>;
  /** Texts `file()` and `templatefile()` read, by absolute path: a file is read once per run. */
  readonly fileTexts?: Map<string, string | undefined>;
}

/** Where a module call's source points: a local folder, an installed module, or nothing readable. */
export function moduleSourceDir(
  parentDir: string,
  call: ModuleCallBlock,
  callKey: string,
  installed: ReadonlyMap<string, string>,
): { dir: string } | { why: string } {
  const source = call.body.source;
  if (typeof source !== "string") return { why: "the module has no literal source" };
  if (source.startsWith("./") || source.startsWith("../") || source === "." || source === "..")
    return { dir: resolve(parentDir, source) };
  const installedDir = installed.get(callKey);
  if (installedDir !== undefined) return { dir: installedDir };
  if (isAbsolute(source)) return { dir: source };
  return {
    why: `module source "${source}" is not a local path and no module installed by terraform init was found for it (run terraform init, or give a plan with --plan)`,
  };
}

/**
 * One instance of a module (the root, or one `count`/`for_each` instance of a call): evaluates its
 * variables, locals, resources and calls lazily, as Terraform's graph would, with cycle detection.
 */
export class ModuleInstance implements ModuleScope {
  readonly path: ModuleScope["path"];
  readonly cache: ExpressionCache;
  readonly references = new Map<string, TfValue>();
  private readonly variables = new Map<string, TfValue>();
  private readonly locals = new Map<string, TfValue>();
  private readonly calls = new Map<string, TfValue>();
  private readonly childInstances = new Map<string, ModuleInstance[]>();
  /**
   * What is being evaluated now, innermost last, for cycle detection: a stack, not a set. It is as
   * deep as the chain of references being followed (a few entries; the call stack bounds it, since
   * each entry is a level of recursion), and a set that every one of 100,000 resources enters and
   * leaves is rehashed again and again by V8 as its deleted entries pile up.
   */
  private readonly evaluating: string[] = [];
  readonly instances: ResourceInstance[] = [];

  constructor(
    readonly config: ModuleConfig,
    /** `""` for the root, else `module.a` / `module.a["k"]` / `module.a.module.b`. */
    readonly address: string,
    /** Key for installed-module lookup (`module.a.module.b`, without instance keys). */
    readonly callKey: string,
    private readonly inputs: ReadonlyMap<string, () => TfValue>,
    private readonly context: EvaluationContext,
    /** Whether a module call on the way here passes its own provider configurations (`providers = {...}`). */
    private readonly providersMapped = false,
  ) {
    this.cache = context.cache;
    this.path = { module: config.dir, root: context.rootDir, cwd: context.rootDir };
    // Filled to their length up front: written in any order (a reference evaluates a resource
    // declared later), an array grown by far-off writes would turn into a slow sparse one.
    const resources = config.resources.size;
    this.resourceValues = new Array<TfValue | undefined>(resources).fill(undefined);
    this.unmarked = new Array<UnmarkedInstance | UnmarkedInstance[] | undefined>(resources).fill(undefined);
    this.expansions = new Array<number>(resources).fill(0);
  }

  private scope(extra?: Partial<Scope>): Scope {
    // Scopes are read-only: one without additions serves every expression that needs no more.
    if (extra === undefined || extra === NO_EXTRA) return this.plainScope;
    return { module: this, ...extra };
  }

  private readonly plainScope: Scope = { module: this };

  private guarded(key: string, expression: string, compute: () => TfValue, file?: string): TfValue {
    if (this.evaluating.includes(key)) return cycleAt(key, expression);
    this.evaluating.push(key);
    try {
      return compute();
    } catch (error) {
      return refusedAt(error, expression, file);
    } finally {
      this.evaluating.pop();
    }
  }

  variable(name: string): TfValue {
    const cached = this.variables.get(name);
    if (cached !== undefined) return cached;
    const declared = this.config.variables.get(name);
    if (!declared) throw new TerraformReferenceError(`var.${name} is not declared in ${this.config.dir}`);
    const value = this.guarded(`var.${name}`, `var.${name}`, () =>
      this.typed(declared, this.rawVariable(name, declared)),
    );
    if (declared.sensitive) this.markSensitive(value);
    this.variables.set(name, value);
    return value;
  }

  /** The variable's value converted to its `type`, `optional()` defaults filled in. */
  private typed(declared: VariableBlock, value: TfValue): TfValue {
    if (!declared.typeExpression) return value;
    const outcome = this.cache.get(declared.typeExpression);
    if (!outcome?.ok) return value;
    const { parsed } = outcome;
    const spec = typeSpecOf(parsed.node, parsed.text, (node) => {
      try {
        return evaluateExpressionNode(node, parsed, this.scope());
      } catch {
        return null;
      }
    });
    return applyType(value, spec);
  }

  private rawVariable(name: string, declared: VariableBlock): TfValue {
    {
      const input = this.inputs.get(name);
      if (input) {
        const given = input();
        if (given !== null || !declared.hasDefault) return given;
      }
      if (this.address === "" && this.context.rootVariables.has(name))
        return this.context.rootVariables.get(name)!;
      if (declared.hasDefault) return evaluateConfigValue(declared.default, this.scope());
      return new Unknown(
        `var.${name}`,
        `variable ${name} has no value (no default${this.address === "" ? ", and not set in terraform.tfvars or *.auto.tfvars" : ` and module ${this.address} does not set it`})${this.address === "" && this.context.unreadableVariableFiles?.length ? `; it may be set in ${this.context.unreadableVariableFiles.join(", ")}, which is not readable` : ""}`,
      );
    }
  }

  local(name: string): TfValue {
    const cached = this.locals.get(name);
    if (cached !== undefined) return cached;
    const declared = this.config.locals.get(name);
    if (!declared) throw new TerraformReferenceError(`local.${name} is not declared in ${this.config.dir}`);
    const value = this.guarded(
      `local.${name}`,
      `local.${name}`,
      () => evaluateConfigValue(declared.raw, this.scope()),
      declared.file,
    );
    this.locals.set(name, value);
    return value;
  }

  markSensitive(value: TfValue): void {
    if (this.context.sensitive) collectSensitiveStrings(value, this.context.sensitive);
  }

  readFile(path: string): string | undefined {
    const file = resolve(this.context.rootDir, path);
    const texts = this.context.fileTexts;
    if (texts?.has(file)) return texts.get(file);
    // A file that is not there (generated by a later step, say) is unknown; one that is there is
    // read as every input is: within the size ceiling and as UTF-8 (Terraform's file() refuses
    // other bytes too), so `file("/dev/zero")` cannot exhaust memory.
    const text = existsSync(file)
      ? readTextFile(file, "a file the configuration reads with file()")
      : undefined;
    texts?.set(file, text);
    return text;
  }

  /** `count` / `for_each` of a block: the instance keys, or an Unknown. */
  private expansion(body: Readonly<Record<string, unknown>>, address: string): ExpansionKeys {
    if (body.for_each !== undefined) {
      const value = this.guarded(`${address}.for_each`, `${address}.for_each`, () =>
        evaluateConfigValue(body.for_each, this.scope()),
      );
      return forEachKeys(value, address);
    }
    if (body.count !== undefined) {
      const value = this.guarded(`${address}.count`, `${address}.count`, () =>
        evaluateConfigValue(body.count, this.scope()),
      );
      if (value instanceof Unknown) return { kind: "unknown", attribute: "count", unknown: value };
      const n = convertToNumber(value);
      if (n === undefined || !Number.isInteger(n) || n < 0)
        return {
          kind: "unknown",
          attribute: "count",
          unknown: new Unknown(`${address}.count`, `count must be a whole number, got ${typeName(value)}`),
        };
      return { kind: "count", count: n };
    }
    return SINGLE;
  }

  /**
   * A resource as expressions see it: its instances, whose attributes the configuration does not
   * set read as computed (known after apply). Instances are marked so only once referenced.
   */
  resource(mode: "managed" | "data", type: string, name: string): TfValue {
    const block = this.declared(mode, type, name);
    const value = this.resourceAt(block);
    const pending = this.unmarked[block.index];
    if (!pending) return value;
    // First reference: the instances become resource objects (copies that know their owner).
    this.unmarked[block.index] = undefined;
    const copies = new Map<TfValue, TfValue>();
    for (const instance of Array.isArray(pending) ? pending : [pending])
      copies.set(instance.values, resourceObject(instance.address, instance.values, instance.identity));
    const swap = (v: TfValue): TfValue => copies.get(v) ?? v;
    const marked: TfValue = copies.has(value)
      ? swap(value)
      : Array.isArray(value)
        ? value.map(swap)
        : isTfObject(value)
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swap(v)]))
          : value;
    this.resourceValues[block.index] = marked;
    return marked;
  }

  /**
   * Each resource's value once evaluated, and its instances not yet marked as resource objects (a
   * resource without count or for_each: its one instance), by the resource's `index` in its
   * module: arrays, not maps keyed by address, which cost a hash lookup in a table as large as the
   * configuration (100,000 entries) for every resource.
   */
  private readonly resourceValues: (TfValue | undefined)[];
  private readonly unmarked: (UnmarkedInstance | UnmarkedInstance[] | undefined)[];
  /**
   * How many times each resource's expansion began: one that threw part-way (an error some caller
   * swallowed) may be expanded again, and must not record the instances it recorded the first time.
   */
  private readonly expansions: number[];

  private declared(mode: "managed" | "data", type: string, name: string): ResourceBlock {
    const key = mode === "managed" ? `${type}.${name}` : `data.${type}.${name}`;
    const block = this.config.resources.get(key);
    if (!block) throw new TerraformReferenceError(`${key} is not declared in ${this.config.dir}`);
    return block;
  }

  /** In the root module the address is the key itself: one string, hashed once, for every map. */
  private baseAddress(block: ResourceBlock): string {
    return this.address === ""
      ? block.key
      : instanceAddress(this.address, block.mode, block.type, block.name);
  }

  /** A declared resource of this module, evaluated once. */
  private resourceAt(block: ResourceBlock): TfValue {
    const cached = this.resourceValues[block.index];
    if (cached !== undefined) return cached;
    const base = this.baseAddress(block);
    // `guarded`, written out: no closure for each of 100,000 resources.
    let value: TfValue;
    if (this.evaluating.includes(base)) value = cycleAt(base, base);
    else {
      this.evaluating.push(base);
      try {
        value = this.expandResource(block, base);
      } catch (error) {
        value = refusedAt(error, base);
      } finally {
        this.evaluating.pop();
      }
    }
    this.resourceValues[block.index] = value;
    return value;
  }

  private expandResource(block: ResourceBlock, base: string): TfValue {
    this.expansions[block.index]! += 1;
    const remote =
      block.mode === "data" && block.type === "terraform_remote_state"
        ? this.context.remoteState?.(block, this.config)
        : undefined;
    const keys = this.expansion(block.body, base);
    if (keys.kind === "unknown") {
      this.unresolved(base, keys.attribute, keys.unknown.why, block);
      this.recordTemplate(block, base, keys);
      return new Unknown(base, `${keys.attribute} of ${base} is not known: ${keys.unknown.why}`, [base]);
    }
    if (keys.kind === "single") {
      // The usual case, and 100,000 times in a large configuration: no list, no closure.
      const entry = this.instance(block, base, undefined, NO_EXTRA, remote);
      this.unmarked[block.index] = entry;
      return entry.values;
    }
    const entries: UnmarkedInstance[] = [];
    this.unmarked[block.index] = entries;
    if (keys.kind === "count") {
      return Array.from({ length: keys.count }, (_, i) => {
        const address = instanceAddress(this.address, block.mode, block.type, block.name, i);
        const entry = this.instance(block, address, i, { countIndex: i }, remote);
        entries.push(entry);
        return entry.values;
      });
    }
    const out: Record<string, TfValue> = {};
    for (const [k, v] of keys.entries) {
      const address = instanceAddress(this.address, block.mode, block.type, block.name, k);
      const entry = this.instance(block, address, k, { each: { key: k, value: v } }, remote);
      entries.push(entry);
      out[k] = entry.values;
    }
    return out;
  }

  /** One instance of a resource, evaluated and recorded. */
  private instance(
    block: ResourceBlock,
    address: string,
    key: string | number | undefined,
    extra: Partial<Scope>,
    remote: TfValue | undefined,
  ): UnmarkedInstance {
    const evaluated = this.evaluateBody(block.body, address, extra, block.file);
    const values = block.mode === "managed" ? withIgnoredChanges(block.body, evaluated, address) : evaluated;
    const withRemote = remote !== undefined ? { ...values, outputs: remote } : values;
    const recorded = this.record(block, address, withRemote, key);
    const identity = this.dataIdentity(block, withRemote);
    // The recorded instance stands for itself when it has no identity (every managed resource).
    return recorded !== undefined && identity === undefined
      ? recorded
      : { address, values: withRemote, identity };
  }

  /**
   * What a data source instance reads, when that does not depend on where it is declared: its type
   * and arguments, all known, through the default provider configuration. Two module instances
   * that look up the same SSM parameter read the same zone id.
   */
  private dataIdentity(block: ResourceBlock, values: TfObject): string | undefined {
    if (block.mode !== "data" || block.body.provider !== undefined || this.providersMapped) return undefined;
    if (firstUnknown(values) !== undefined) return undefined;
    return `data.${block.type}${stableJson(values)}`;
  }

  /** One instance standing for every instance of a `for_each` not known before apply (see `templates`). */
  private recordTemplate(block: ResourceBlock, base: string, keys: ExpansionKeys): void {
    if (keys.kind !== "unknown" || keys.attribute !== "for_each") return;
    if (!this.context.templates?.(block.type, block.mode)) return;
    try {
      const element = new EachElement(keys.unknown, "each");
      const values = this.evaluateBody(
        block.body,
        base,
        { each: { key: element, value: element } },
        block.file,
      );
      this.record(block, base, values, undefined, keys.unknown);
    } catch {
      // The for_each stays unresolved, as listed.
    }
  }

  private record(
    block: ResourceBlock,
    address: string,
    values: TfObject,
    key: string | number | undefined,
    expansion?: Unknown,
  ): ResourceInstance | undefined {
    // Each instance is recorded once: a resource is expanded once per module instance
    // (`resourceAt`), and its instance keys are distinct (count indexes, for_each keys); only a
    // resource expanded again after an error (`expansions`) can meet its own instances.
    if (!this.context.wants(block.type, block.mode)) return undefined;
    if (this.expansions[block.index]! > 1 && this.instances.some((i) => i.address === address))
      return undefined;
    const source: Building<SourceRef> = { file: block.file, address };
    if (this.context.stack !== undefined) source.stack = this.context.stack;
    if (block.constructPath !== undefined) source.constructPath = block.constructPath;
    const instance: Building<ResourceInstance> = {
      address,
      mode: block.mode,
      type: block.type,
      name: block.name,
      values,
      source,
      config: block.body,
    };
    if (key !== undefined) instance.key = key;
    if (expansion) instance.expansion = expansion;
    this.instances.push(instance);
    return instance;
  }

  private unresolved(address: string, attribute: string, why: string, block?: ResourceBlock): void {
    if (block && !this.context.wants(block.type, block.mode)) return;
    this.context.unresolved.push({ address, attribute, why });
  }

  /** A block body's attributes (meta-arguments left out), `dynamic` blocks expanded. */
  evaluateBody(
    body: Readonly<Record<string, unknown>>,
    address: string,
    extra: Partial<Scope>,
    file: string,
  ): TfObject {
    const scope = this.scope(extra);
    const out: Record<string, TfValue> = {};
    for (const name in body) {
      if (!Object.hasOwn(body, name) || META_ARGUMENTS.has(name)) continue;
      const raw = body[name];
      // A literal is its own value (most attributes of a large configuration are).
      if (
        (typeof raw === "string" && !mayHoldTemplate(raw)) ||
        typeof raw === "number" ||
        typeof raw === "boolean"
      ) {
        out[name] = raw;
        continue;
      }
      if (name === "dynamic") {
        this.expandDynamic(raw, address, scope, out, file);
        continue;
      }
      // A template (`zone_id = "${data.cloudflare_zone.main.id}"` on every record): its place in
      // messages is built only if one is written.
      if (typeof raw === "string") setBlock(out, name, this.attributeOf(raw, scope, address, name, file));
      else setBlock(out, name, this.value(raw, scope, `${address}.${name}`, file));
    }
    return out;
  }

  /**
   * A value inside a resource body: nested blocks (lists of objects, which may hold `dynamic`
   * blocks of their own) are walked; everything else is evaluated as an expression.
   */
  private value(raw: unknown, scope: Scope, where: string, file: string): TfValue {
    if (Array.isArray(raw) && raw.some(isPlainObject))
      return raw.map((item, i) => this.value(item, scope, `${where}[${i}]`, file));
    if (isPlainObject(raw) && !Object.keys(raw).some((k) => k.includes("${")))
      return this.evaluateBodyIn(raw, where, scope, file);
    return this.attribute(raw, scope, where, file);
  }

  private attribute(raw: unknown, scope: Scope, where: string, file: string): TfValue {
    try {
      return evaluateConfigValue(raw, scope);
    } catch (error) {
      return refusedAt(error, where, file);
    }
  }

  /** `attribute` for the attribute `name` of `address`, the two joined only for a message. */
  private attributeOf(raw: string, scope: Scope, address: string, name: string, file: string): TfValue {
    try {
      return evaluateConfigValue(raw, scope);
    } catch (error) {
      return refusedAt(error, `${address}.${name}`, file);
    }
  }

  private expandDynamic(
    raw: unknown,
    address: string,
    scope: Scope,
    out: Record<string, TfValue>,
    file: string,
  ): void {
    const levels = Array.isArray(raw) ? raw : [raw];
    for (const level of levels) {
      if (!isPlainObject(level)) continue;
      for (const [blockName, specs] of Object.entries(level)) {
        for (const spec of Array.isArray(specs) ? specs : [specs]) {
          if (!isPlainObject(spec)) continue;
          // `iterator = rule` is a bare name; the HCL parser writes it as the expression `${rule}`.
          const iterator =
            typeof spec.iterator === "string" ? spec.iterator.replace(/^\$\{\s*|\s*\}$/g, "") : blockName;
          const where = `${address}.dynamic.${blockName}`;
          const collection = this.attribute(spec.for_each, scope, `${where}.for_each`, file);
          const keys = forEachKeys(collection, where, true);
          const existing = out[blockName];
          const blocks: TfValue[] = Array.isArray(existing)
            ? [...existing]
            : existing !== undefined
              ? [existing]
              : [];
          if (keys.kind !== "for_each") {
            const why = keys.kind === "unknown" ? keys.unknown.why : "no for_each";
            this.context.unresolved.push({ address, attribute: `dynamic.${blockName}`, why });
            blocks.push(
              this.unknownBlocks(
                where,
                `dynamic block ${blockName}: ${why}`,
                keys,
                spec,
                iterator,
                scope,
                file,
              ),
            );
            out[blockName] = blocks;
            continue;
          }
          const content = Array.isArray(spec.content) ? spec.content[0] : spec.content;
          for (const [k, v] of keys.entries) {
            const bindings = new Map(scope.bindings ?? []);
            bindings.set(iterator, { key: k, value: v });
            const inner: Scope = { ...scope, bindings };
            blocks.push(isPlainObject(content) ? this.evaluateBodyIn(content, address, inner, file) : {});
          }
          out[blockName] = blocks;
        }
      }
    }
  }

  /**
   * The blocks of a `dynamic` over an unknown collection: an Unknown that also carries the content
   * evaluated once, its iterator standing for one element (see `UnknownBlocks`).
   */
  private unknownBlocks(
    where: string,
    why: string,
    keys: ExpansionKeys,
    spec: Record<string, unknown>,
    iterator: string,
    scope: Scope,
    file: string,
  ): Unknown {
    const content = Array.isArray(spec.content) ? spec.content[0] : spec.content;
    if (keys.kind !== "unknown" || !isPlainObject(content)) return new Unknown(where, why);
    try {
      const element = new EachElement(keys.unknown, iterator);
      const bindings = new Map(scope.bindings ?? []);
      bindings.set(iterator, { key: element, value: element });
      const template = this.evaluateBodyIn(content, where, { ...scope, bindings }, file);
      return new UnknownBlocks(where, why, template, keys.unknown);
    } catch {
      return new Unknown(where, why);
    }
  }

  private evaluateBodyIn(
    body: Record<string, unknown>,
    address: string,
    scope: Scope,
    file: string,
  ): TfObject {
    const out: Record<string, TfValue> = {};
    for (const [name, raw] of Object.entries(body)) {
      if (name === "dynamic") this.expandDynamic(raw, address, scope, out, file);
      else setBlock(out, name, this.value(raw, scope, `${address}.${name}`, file));
    }
    return out;
  }

  moduleCall(name: string): TfValue {
    const cached = this.calls.get(name);
    if (cached !== undefined) return cached;
    const call = this.config.moduleCalls.get(name);
    if (!call) throw new TerraformReferenceError(`module.${name} is not declared in ${this.config.dir}`);
    const base = `${this.address ? `${this.address}.` : ""}module.${name}`;
    const value = this.guarded(base, base, () => {
      const instances = this.children(name);
      if (instances === undefined) return new Unknown(base, `module ${base} could not be read`, [base]);
      const keys = this.callKeys.get(name)!;
      const outputsOf = (child: ModuleInstance): TfValue => child.outputs();
      if (keys.kind === "single") return outputsOf(instances[0]!);
      if (keys.kind === "count") return instances.map(outputsOf);
      if (keys.kind === "unknown") return new Unknown(base, keys.unknown.why, [base]);
      const out: Record<string, TfValue> = {};
      keys.entries.forEach(([k], i) => {
        out[k] = outputsOf(instances[i]!);
      });
      return out;
    });
    this.calls.set(name, value);
    return value;
  }

  private readonly callKeys = new Map<string, ExpansionKeys>();

  /** The instances of a module call (evaluated once), or undefined when it cannot be read. */
  children(name: string): ModuleInstance[] | undefined {
    if (this.childInstances.has(name)) return this.childInstances.get(name);
    const call = this.config.moduleCalls.get(name)!;
    const base = `${this.address ? `${this.address}.` : ""}module.${name}`;
    const callKey = `${this.callKey ? `${this.callKey}.` : ""}module.${name}`;
    const located = moduleSourceDir(this.config.dir, call, callKey, this.context.installedModules);
    const config = "dir" in located ? this.context.modules.get(located.dir) : undefined;
    if (!config) {
      this.context.unresolved.push({
        address: base,
        attribute: "source",
        why: "why" in located ? located.why : `module folder ${located.dir} was not loaded`,
      });
      this.childInstances.set(name, []);
      this.callKeys.set(name, {
        kind: "unknown",
        attribute: "source",
        unknown: new Unknown(base, "module not read"),
      });
      return undefined;
    }
    const keys = this.expansion(call.body, base);
    this.callKeys.set(name, keys);
    const make = (key: string | number | undefined, each?: Scope["each"]): ModuleInstance => {
      const address =
        key === undefined ? base : `${base}[${typeof key === "number" ? key : JSON.stringify(key)}]`;
      const scope = this.scope({
        ...(each ? { each } : {}),
        ...(typeof key === "number" ? { countIndex: key } : {}),
      });
      const inputs = new Map<string, () => TfValue>();
      for (const [arg, raw] of Object.entries(call.body)) {
        if (META_ARGUMENTS.has(arg)) continue;
        inputs.set(arg, () => this.attribute(raw, scope, `${address}.${arg}`, call.file));
      }
      return new ModuleInstance(
        config,
        address,
        callKey,
        inputs,
        this.context,
        this.providersMapped || call.body.providers !== undefined,
      );
    };
    let instances: ModuleInstance[];
    if (keys.kind === "unknown") {
      this.context.unresolved.push({ address: base, attribute: keys.attribute, why: keys.unknown.why });
      instances = [];
    } else if (keys.kind === "single") instances = [make(undefined)];
    else if (keys.kind === "count") instances = Array.from({ length: keys.count }, (_, i) => make(i));
    else instances = keys.entries.map(([k, v]) => make(k, { key: k, value: v }));
    this.childInstances.set(name, instances);
    return instances;
  }

  private outputValues: TfObject | undefined;

  outputs(): TfObject {
    if (this.outputValues) return this.outputValues;
    const out: Record<string, TfValue> = {};
    for (const [name, output] of this.config.outputs)
      out[name] = this.guarded(`output.${name}`, `${this.address}.${name}`, () =>
        evaluateConfigValue(output.raw, this.scope()),
      );
    this.outputValues = out;
    return out;
  }

  /** The value of one output of this module instance. */
  output(name: string): TfValue | undefined {
    const output = this.config.outputs.get(name);
    if (!output) return undefined;
    return this.guarded(`output.${name}`, `output.${name}`, () =>
      evaluateConfigValue(output.raw, this.scope()),
    );
  }

  /** Evaluate everything the checker wants in this module instance and its children. */
  collect(into: ResourceInstance[]): void {
    // forEach: an entries() loop allocates a [key, block] pair for every resource.
    this.config.resources.forEach((block) => {
      if (this.context.wants(block.type, block.mode)) this.resourceAt(block);
    });
    // One by one (a spread of 100,000 instances would overflow the call stack), by index (an
    // iterator's result object for each would be garbage).
    const instances = this.instances;
    for (let i = 0; i < instances.length; i++) into.push(instances[i]!);
    for (const name of this.config.moduleCalls.keys()) {
      for (const child of this.children(name) ?? []) child.collect(into);
    }
  }

  /** Declarations under `//` in this module's JSON documents, evaluated. */
  declarations(): RawDeclarations[] {
    return this.config.declarations.map((d) => ({
      value: this.attribute(d.raw, this.scope(), "//.cf_preflight", d.file),
      file: d.file,
      path: ["//", "cf_preflight"],
      ...(this.context.stack !== undefined ? { stack: this.context.stack } : {}),
    }));
  }

  /** Evaluate a string in this module's scope (tests, cross-stack outputs). */
  evaluate(text: string): TfValue {
    try {
      return evaluateString(text, this.scope());
    } catch (error) {
      if (!(error instanceof TerraformEvalError)) throw error;
      return new Unknown(text, error.message);
    }
  }
}

/** A reference to something evaluated while it is evaluated: unknown, as Terraform would refuse it. */
function cycleAt(key: string, expression: string): Unknown {
  cycles.seen += 1;
  return new Unknown(expression, `${key} refers to itself (a cycle)`);
}

/**
 * What an evaluation that threw stands for: an expression Terraform would refuse is unknown; a
 * reference to nothing declared is bad input where `file` is known (else thrown on as it is), and
 * any other error is thrown on.
 */
function refusedAt(error: unknown, where: string, file?: string): Unknown {
  if (error instanceof TerraformEvalError)
    return new Unknown(where, `Terraform would refuse it: ${error.message}`);
  if (error instanceof TerraformReferenceError && file !== undefined)
    throw new InputError(file, where, "a reference to something this module declares", error.message);
  throw error;
}

/** An instance not yet referenced: its address and values, and a data source's identity (`dataIdentity`). */
interface UnmarkedInstance {
  readonly address: string;
  readonly values: TfObject;
  readonly identity?: string | undefined;
}

const SINGLE: ExpansionKeys = Object.freeze({ kind: "single" });

/** The scope additions of an instance without count or for_each: none (one object for all). */
const NO_EXTRA: Partial<Scope> = Object.freeze({});

type ExpansionKeys =
  | { readonly kind: "single" }
  | { readonly kind: "count"; readonly count: number }
  | { readonly kind: "for_each"; readonly entries: readonly [string, TfValue][] }
  | { readonly kind: "unknown"; readonly attribute: string; readonly unknown: Unknown };

/** JSON with object keys sorted, so equal values give equal text. */
function stableJson(value: TfValue): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (isTfObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(value[k]!)}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

/** Attributes that place an object (its zone or account): kept under `ignore_changes = all`. */
const PLACEMENT_ATTRIBUTES = new Set(["zone_id", "account_id", "account"]);

/**
 * `lifecycle { ignore_changes = [...] }`: Terraform never updates those attributes of an existing
 * object, so what it has after the deploy is the live value, not the configuration's, and without
 * state that value is not known. Each ignored top-level attribute (`data[0].value` ignores `data`;
 * `all` every attribute but the zone or account it lives in) becomes unknown.
 */
function withIgnoredChanges(
  body: Readonly<Record<string, unknown>>,
  values: TfObject,
  address: string,
): TfObject {
  if (body.lifecycle === undefined) return values;
  const lifecycles = Array.isArray(body.lifecycle) ? body.lifecycle : [body.lifecycle];
  const ignored = new Set<string>();
  for (const lifecycle of lifecycles) {
    if (!isPlainObject(lifecycle) || lifecycle.ignore_changes === undefined) continue;
    const list = lifecycle.ignore_changes;
    if (list === "${all}" || list === "all") {
      for (const name of Object.keys(values)) if (!PLACEMENT_ATTRIBUTES.has(name)) ignored.add(name);
      continue;
    }
    for (const item of Array.isArray(list) ? list : [list]) {
      const name =
        typeof item === "string" ? /^(?:\$\{)?"?([A-Za-z_][A-Za-z0-9_-]*)/.exec(item)?.[1] : undefined;
      if (name !== undefined) ignored.add(name);
    }
  }
  if (ignored.size === 0) return values;
  const out: Record<string, TfValue> = { ...values };
  for (const name of ignored)
    out[name] = new Unknown(
      `${address}.${name}`,
      "lifecycle.ignore_changes: Terraform keeps the value the existing object has live, whatever the configuration says",
    );
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `for_each` keys: a map's keys, or a set of strings; lists are accepted when `lists` (dynamic blocks). */
function forEachKeys(value: TfValue, address: string, lists = false): ExpansionKeys {
  if (value instanceof Unknown) return { kind: "unknown", attribute: "for_each", unknown: value };
  if (isTfObject(value)) {
    return {
      kind: "for_each",
      entries: Object.keys(value)
        .sort()
        .map((k) => [k, value[k]!] as [string, TfValue]),
    };
  }
  if (Array.isArray(value)) {
    const unknown = value.find((v): v is Unknown => v instanceof Unknown);
    if (unknown) return { kind: "unknown", attribute: "for_each", unknown };
    if (lists) return { kind: "for_each", entries: value.map((v, i) => [String(i), v] as [string, TfValue]) };
    const keys: [string, TfValue][] = [];
    for (const item of value) {
      const key = convertToString(item);
      if (key === undefined)
        return {
          kind: "unknown",
          attribute: "for_each",
          unknown: new Unknown(
            `${address}.for_each`,
            `for_each over a set needs strings, got ${typeName(item)}`,
          ),
        };
      if (!keys.some(([k]) => k === key)) keys.push([key, item]);
    }
    return { kind: "for_each", entries: keys.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
  }
  if (value === null) return { kind: "for_each", entries: [] };
  return {
    kind: "unknown",
    attribute: "for_each",
    unknown: new Unknown(
      `${address}.for_each`,
      `for_each needs a map or a set of strings, got ${typeName(value)}`,
    ),
  };
}

/**
 * Set an attribute; blocks of the same name from `dynamic` and static declarations add up. The HCL
 * parser groups `dynamic` blocks apart, so dynamic ones come first, as they usually stand in source
 * (a static catch-all ingress rule after the generated ones).
 */
function setBlock(out: Record<string, TfValue>, name: string, value: TfValue): void {
  const existing = out[name];
  if (Array.isArray(existing) && Array.isArray(value)) out[name] = [...existing, ...value];
  else out[name] = value;
}
