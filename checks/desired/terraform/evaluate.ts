import type { TFExpressionSyntaxTree } from "@cdktn/hcl2json";
import type { ExpressionCache, ExpressionNode, ParsedExpression } from "./ast.js";
import { callFunction, type TerraformFunction } from "./functions.js";
import { mayHoldTemplate, quotedTemplate, splitTemplate } from "./template.js";
import { templateLiteralText } from "./template-literal.js";
import {
  convertToBool,
  convertToNumber,
  convertToString,
  isTfObject,
  type TfList,
  type TfObject,
  type TfValue,
  typeName,
  Unknown,
} from "./value.js";

/**
 * A Terraform expression evaluator over HCL's own syntax tree (pure). It evaluates what a plan would
 * know from the configuration alone — literals, variables with values, locals, `each`/`count`,
 * module outputs, attributes a resource sets in its configuration, functions — and answers
 * `Unknown` (with the expression, the reason and the resources it refers to) for everything else.
 * An expression Terraform itself would refuse throws `TerraformEvalError`, which `try`/`can` catch and the
 * callers turn into an `Unknown` that says so.
 */
export class TerraformEvalError extends Error {
  override readonly name = "TerraformEvalError";
}

/**
 * A reference to something the module does not declare (`var.x`, `local.y`, a resource, a module):
 * Terraform refuses the configuration before planning, so this is bad input, not an unknown.
 */
export class TerraformReferenceError extends Error {
  override readonly name = "TerraformReferenceError";
}

/** What a module instance offers to the expressions inside it. */
export interface ModuleScope {
  variable(name: string): TfValue;
  local(name: string): TfValue;
  /** `module.NAME`: an object of outputs, or a list/map of them for `count`/`for_each` calls. */
  moduleCall(name: string): TfValue;
  /** A resource's value: an instance object, a list (count) or a map (for_each) of them. */
  resource(mode: "managed" | "data", type: string, name: string): TfValue;
  readonly path: { readonly module: string; readonly root: string; readonly cwd: string };
  readonly cache: ExpressionCache;
  /** `file()`: the text of a file, relative paths against the working directory; undefined if unreadable. */
  readFile(path: string): string | undefined;
  /** `sensitive()` and sensitive variables: the value's strings are never shown. */
  markSensitive?(value: TfValue): void;
  /**
   * Values of references that mean the same everywhere in the module instance (`var.x`,
   * `data.cloudflare_zone.main.zone_id`: not `each`, `count` or `self`), by expression text: every
   * record of a zone refers to the zone alike, and is given the one value.
   */
  readonly references?: Map<string, TfValue>;
  /** Functions the scope adds to Terraform's (Terragrunt's `find_in_parent_folders`, `get_env`, ...). */
  readonly functions?: Readonly<Record<string, TerraformFunction>>;
}

export interface Scope {
  readonly module: ModuleScope;
  readonly each?: { readonly key: TfValue; readonly value: TfValue };
  readonly countIndex?: number;
  /** Names bound by `for` expressions and `dynamic` block iterators. */
  readonly bindings?: ReadonlyMap<string, TfValue>;
}

/**
 * Objects that stand for a resource instance, and the nested blocks and objects inside it: an
 * attribute its configuration does not set is computed by the provider, so reading it gives an
 * Unknown that refers to the resource.
 */
interface Owner {
  readonly address: string;
  /** Where inside the resource the object sits (`""`, `.settings[0]`). */
  readonly path: string;
  /** For data sources read with known arguments: what any instance read the same way returns. */
  readonly identity?: string;
}

const RESOURCE_OWNER = new WeakMap<object, Owner>();

/**
 * The object that stands for a resource instance. `identity` (data sources only) names what it
 * reads, so that attributes of two instances read with the same arguments are the same value.
 */
export function resourceObject(address: string, values: TfObject, identity?: string): TfObject {
  return ownedCopy(values, address, "", identity) as TfObject;
}

/** A copy of a resource's values whose objects know their owner (copies: the originals may be shared). */
function ownedCopy(value: TfValue, address: string, path: string, identity: string | undefined): TfValue {
  if (Array.isArray(value))
    return value.map((item, i) => ownedCopy(item, address, `${path}[${i}]`, identity));
  if (!isTfObject(value)) return value;
  const copy: Record<string, TfValue> = {};
  for (const [key, item] of Object.entries(value))
    copy[key] = ownedCopy(item, address, `${path}.${key}`, identity);
  RESOURCE_OWNER.set(copy, { address, path, ...(identity !== undefined ? { identity } : {}) });
  return copy;
}

export function resourceAddressOf(value: TfValue): string | undefined {
  return typeof value === "object" && value !== null ? RESOURCE_OWNER.get(value)?.address : undefined;
}

/** Why an attribute the configuration does not set is not known: computed at apply, or read when planning. */
function computedWhy(address: string): string {
  return /(^|\.)data\./.test(address)
    ? `${address} is read from its provider when Terraform plans; only a plan knows the value`
    : "known after apply";
}

/** Evaluate a value as it appears in configuration: strings are templates, the rest is walked. */
export function evaluateConfigValue(raw: unknown, scope: Scope): TfValue {
  if (typeof raw === "string") return evaluateString(raw, scope);
  if (raw === null || typeof raw === "number" || typeof raw === "boolean") return raw;
  if (raw === undefined) return null;
  if (Array.isArray(raw)) return raw.map((item) => evaluateConfigValue(item, scope));
  if (typeof raw === "object") {
    const out: Record<string, TfValue> = {};
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
      const evaluated = key.includes("${") ? evaluateString(key, scope) : key;
      const name = typeof evaluated === "string" ? evaluated : convertToString(evaluated as TfValue);
      if (name === undefined) {
        if (evaluated instanceof Unknown) return evaluated;
        throw new TerraformEvalError(`an object key must be a string, got ${typeName(evaluated)}`);
      }
      out[name] = evaluateConfigValue(value, scope);
    }
    return out;
  }
  return null;
}

/**
 * Cycles met so far (`ModuleInstance.guarded` counts them): a reference evaluated while a cycle
 * was met gives the cycle's Unknown, which is not its value elsewhere, and is not remembered.
 */
export const cycles = { seen: 0 };

/** Roots of references whose value depends on the instance or the iteration they are read in. */
const INSTANCE_ROOTS: ReadonlySet<string> = new Set(["each", "count", "self"]);

/**
 * A lone reference that means the same wherever it is read in the module instance: a traversal
 * whose root is not per instance nor a name bound by `for` or `dynamic` (there are none in scope).
 */
function isModuleWideReference(node: ExpressionNode, scope: Scope): boolean {
  if (node.type !== "scopeTraversal" || scope.bindings?.size || scope.each || scope.countIndex !== undefined)
    return false;
  const root = (node.meta as TFExpressionSyntaxTree.ScopeTraversalExpressionMeta).traversal[0]?.segment;
  return root !== undefined && !INSTANCE_ROOTS.has(root);
}

/** Evaluate one configuration string (a literal, a lone interpolation, or a template). */
export function evaluateString(text: string, scope: Scope): TfValue {
  if (!mayHoldTemplate(text)) return text;
  const parts = splitTemplate(text);
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only?.kind === "literal") return only.text;
  if (parts.some((p) => p.kind === "directive")) return evaluateParsed(quotedTemplate(text), scope);
  if (only?.kind === "interpolation") {
    const memo = scope.module.references;
    const known = memo?.get(only.expression);
    if (known !== undefined) return known;
    const before = cycles.seen;
    const value = evaluateParsed(only.expression, scope);
    const outcome = scope.module.cache.get(only.expression);
    if (memo && before === cycles.seen && outcome?.ok && isModuleWideReference(outcome.parsed.node, scope))
      memo.set(only.expression, value);
    return value;
  }
  const pieces: TfValue[] = parts.map((p) =>
    p.kind === "literal" ? p.text : p.kind === "interpolation" ? evaluateParsed(p.expression, scope) : null,
  );
  return joinTemplate(pieces, text);
}

/** Evaluate one node of a parsed expression (type constraint defaults, tests). */
export function evaluateExpressionNode(
  node: ExpressionNode,
  parsed: ParsedExpression,
  scope: Scope,
): TfValue {
  return evaluateNode(node, parsed, scope);
}

function evaluateParsed(expression: string, scope: Scope): TfValue {
  const outcome = scope.module.cache.get(expression);
  if (outcome === undefined) throw new Error(`cf-preflight bug: expression not prepared: ${expression}`);
  if (!outcome.ok) throw new TerraformEvalError(`not a valid expression (${outcome.error}): ${expression}`);
  return evaluateNode(outcome.parsed.node, outcome.parsed, scope);
}

function joinTemplate(pieces: readonly TfValue[], source: string): TfValue {
  let out = "";
  const unknowns: Unknown[] = [];
  for (const piece of pieces) {
    if (piece instanceof Unknown) {
      unknowns.push(piece);
      continue;
    }
    const text = convertToString(piece);
    if (text === undefined)
      throw new TerraformEvalError(
        `a template can only include strings, numbers and bools, got ${typeName(piece)}`,
      );
    out += text;
  }
  if (unknowns.length > 0) return mergeUnknowns(unknowns, templateText(source));
  return out;
}

function templateText(source: string): string {
  return source.startsWith('"') ? source.slice(1, -1) : source;
}

/** One Unknown standing for several: the first one's reason, every reference. */
export function mergeUnknowns(unknowns: readonly Unknown[], expression: string): Unknown {
  const references = [...new Set(unknowns.flatMap((u) => u.references))];
  return new Unknown(
    expression,
    unknowns[0]!.why,
    references,
    unknowns.some((u) => u.sensitive),
  );
}

type Node = ExpressionNode;

function sourceOf(node: Node, parsed: ParsedExpression): string {
  const range = node.range;
  // A function call's own range ends at its opening parenthesis; the call ends at the closing one.
  const end = (node.meta as { closeParenRange?: { end: { byte: number } } } | undefined)?.closeParenRange?.end
    .byte;
  if (range && end !== undefined && end > range.start.byte) return parsed.text.slice(range.start.byte, end);
  if (range && range.end.byte > range.start.byte) return parsed.text.slice(range.start.byte, range.end.byte);
  return (node.meta as { value?: string } | undefined)?.value ?? parsed.text;
}

function evaluateNode(node: Node, parsed: ParsedExpression, scope: Scope): TfValue {
  const kids = (node.children ?? []) as Node[];
  const meta = (node.meta ?? {}) as Record<string, unknown>;
  switch (node.type) {
    case "literalValue":
      return literal(meta, node, parsed);
    case "templateWrap":
      return evaluateNode(kids[0]!, parsed, scope);
    case "template":
    case "templateJoin": {
      if (kids.length === 1 && kids[0]!.type === "literalValue")
        return literal(kids[0]!.meta ?? {}, kids[0]!, parsed);
      return joinTemplate(
        kids.map((k) => evaluateTemplatePart(k, parsed, scope)),
        sourceOf(node, parsed),
      );
    }
    case "tuple":
      return kids.map((k) => evaluateNode(k, parsed, scope));
    case "object":
      return evaluateObject(kids, parsed, scope, sourceOf(node, parsed));
    case "scopeTraversal":
      return evaluateScopeTraversal(node, scope);
    case "relativeTraversal": {
      const source = evaluateNode(kids[0]!, parsed, scope);
      const traversal = (meta.traversal ?? []) as TFExpressionSyntaxTree.TerraformTraversalPart[];
      return traverse(source, traversal, sourceOf(kids[0]!, parsed));
    }
    case "index": {
      const collection = evaluateNode(kids[0]!, parsed, scope);
      const key = evaluateNode(kids[1]!, parsed, scope);
      return indexValue(collection, key, sourceOf(node, parsed));
    }
    case "splat":
      return evaluateSplat(kids, parsed, scope, sourceOf(node, parsed));
    case "conditional": {
      const condition = evaluateNode(kids[0]!, parsed, scope);
      if (condition instanceof Unknown) return unknownFrom(condition, sourceOf(node, parsed));
      const truth = convertToBool(condition);
      if (truth === undefined)
        throw new TerraformEvalError(`a condition must be a bool, got ${typeName(condition)}`);
      return evaluateNode(kids[truth ? 1 : 2]!, parsed, scope);
    }
    case "unaryOp": {
      const value = evaluateNode(kids[0]!, parsed, scope);
      if (value instanceof Unknown) return unknownFrom(value, sourceOf(node, parsed));
      if (meta.operator === "logicalNot") return !requireBool(value);
      return -requireNumber(value);
    }
    case "binaryOp":
      return evaluateBinary(String(meta.operator), kids, parsed, scope, sourceOf(node, parsed));
    case "function":
      return evaluateCall(node, kids, parsed, scope);
    case "for":
      return evaluateFor(node, kids, parsed, scope);
    case "":
      // Parentheses (and object keys): the one child is the value.
      if (kids.length === 1) return evaluateNode(kids[0]!, parsed, scope);
      throw new TerraformEvalError(`cannot evaluate ${sourceOf(node, parsed)}`);
    default:
      throw new TerraformEvalError(`unsupported expression (${node.type}): ${sourceOf(node, parsed)}`);
  }
}

function literal(meta: Record<string, unknown>, node: Node, parsed: ParsedExpression): TfValue {
  const value = String(meta.value ?? "");
  switch (meta.type) {
    case "number":
      return Number(value);
    case "bool":
      return value === "true";
    case "string":
      return templateLiteralText(value, node, parsed);
    default:
      return null;
  }
}

function evaluateTemplatePart(node: Node, parsed: ParsedExpression, scope: Scope): TfValue {
  const kids = (node.children ?? []) as Node[];
  if (node.type === "conditional") {
    // `%{ if c }a%{ else }b%{ endif }` inside a template.
    return evaluateNode(node, parsed, scope) ?? "";
  }
  if (node.type === "for") {
    // `%{ for x in xs }...%{ endfor }`: the body's texts joined.
    const value = evaluateFor(node, kids, parsed, scope);
    if (value instanceof Unknown) return value;
    if (!Array.isArray(value)) throw new TerraformEvalError("a template for directive gave no list");
    return joinTemplate(value as TfList, sourceOf(node, parsed));
  }
  return evaluateNode(node, parsed, scope);
}

function evaluateObject(
  kids: readonly Node[],
  parsed: ParsedExpression,
  scope: Scope,
  source: string,
): TfValue {
  const out: Record<string, TfValue> = {};
  const unknownKeys: Unknown[] = [];
  for (let i = 0; i + 1 < kids.length; i += 2) {
    const key = objectKey(kids[i]!, parsed, scope);
    if (key instanceof Unknown) {
      unknownKeys.push(key);
      continue;
    }
    out[key] = evaluateNode(kids[i + 1]!, parsed, scope);
  }
  if (unknownKeys.length > 0) return mergeUnknowns(unknownKeys, source);
  return out;
}

/** An object key: a bare name is literal; a parenthesised or other expression is evaluated. */
function objectKey(node: Node, parsed: ParsedExpression, scope: Scope): string | Unknown {
  const kids = (node.children ?? []) as Node[];
  let value: TfValue;
  if (node.type === "" && kids.length === 0) value = sourceOf(node, parsed).trim();
  else if (node.type === "" && kids.length === 1 && kids[0]!.type === "scopeTraversal") {
    const traversal = (kids[0]!.meta as TFExpressionSyntaxTree.ScopeTraversalExpressionMeta).traversal;
    value = traversal.length === 1 ? traversal[0]!.segment : evaluateNode(kids[0]!, parsed, scope);
  } else value = evaluateNode(node, parsed, scope);
  if (value instanceof Unknown) return value;
  const text = convertToString(value);
  if (text === undefined)
    throw new TerraformEvalError(`an object key must be a string, got ${typeName(value)}`);
  return text;
}

function evaluateSplat(
  kids: readonly Node[],
  parsed: ParsedExpression,
  scope: Scope,
  source: string,
): TfValue {
  const value = evaluateNode(kids[0]!, parsed, scope);
  if (value instanceof Unknown) return unknownFrom(value, source);
  const each = kids[1];
  const traversal =
    each && each.type === "relativeTraversal"
      ? ((each.meta as TFExpressionSyntaxTree.RelativeTraversalExpressionMeta).traversal ?? [])
      : [];
  if (each && each.type !== "relativeTraversal" && each.type !== "")
    throw new TerraformEvalError(`unsupported splat expression: ${source}`);
  const items: TfList = value === null ? [] : Array.isArray(value) ? value : [value];
  return items.map((item) => traverse(item, traversal, source));
}

function evaluateScopeTraversal(node: Node, scope: Scope): TfValue {
  const meta = node.meta as TFExpressionSyntaxTree.ScopeTraversalExpressionMeta;
  const parts = meta.traversal;
  const accessor = meta.fullAccessor ?? meta.value;
  const root = parts[0]!.segment;
  const name = (i: number): string => {
    const part = parts[i];
    if (part?.type !== "nameTraversal")
      throw new TerraformEvalError(`${accessor}: expected a name after ${root}`);
    return part.segment;
  };
  let value: TfValue;
  let used: number;
  if (scope.bindings?.has(root)) {
    value = scope.bindings.get(root)!;
    used = 1;
  } else {
    switch (root) {
      case "var":
        value = scope.module.variable(name(1));
        used = 2;
        break;
      case "local":
        value = scope.module.local(name(1));
        used = 2;
        break;
      case "each":
        if (!scope.each)
          throw new TerraformEvalError(
            `${accessor}: each is only available in a resource or module with for_each`,
          );
        value = { key: scope.each.key, value: scope.each.value };
        used = 1;
        break;
      case "count":
        if (scope.countIndex === undefined)
          throw new TerraformEvalError(
            `${accessor}: count is only available in a resource or module with count`,
          );
        value = { index: scope.countIndex };
        used = 1;
        break;
      case "path":
        value = {
          module: scope.module.path.module,
          root: scope.module.path.root,
          cwd: scope.module.path.cwd,
        };
        used = 1;
        break;
      case "terraform":
        value = { workspace: "default" };
        used = 1;
        break;
      case "module":
        value = scope.module.moduleCall(name(1));
        used = 2;
        break;
      case "data":
        value = scope.module.resource("data", name(1), name(2));
        used = 3;
        break;
      case "self":
        return new Unknown(accessor, "self refers to the resource being created");
      default:
        value = scope.module.resource("managed", root, name(1));
        used = 2;
    }
  }
  return traverse(value, parts.slice(used), accessor);
}

/** Follow `.name` and `[index]` steps into a value. */
export function traverse(
  start: TfValue,
  parts: readonly TFExpressionSyntaxTree.TerraformTraversalPart[],
  accessor: string,
): TfValue {
  let value = start;
  for (const part of parts) {
    const key: TfValue = part.type === "nameTraversal" ? part.segment : indexSegment(part.segment);
    value = indexValue(value, key, accessor);
  }
  return value;
}

function indexSegment(segment: string): TfValue {
  const text = segment.trim();
  if (text.startsWith('"')) return JSON.parse(text) as string;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

/** `collection[key]` / `collection.key` with Terraform's rules; unknowns stay unknown. */
export function indexValue(collection: TfValue, key: TfValue, accessor: string): TfValue {
  if (collection instanceof Unknown) {
    // An element of a value read elsewhere the same way is that element there too.
    const identity =
      collection.identity !== undefined && !(key instanceof Unknown)
        ? `${collection.identity}[${JSON.stringify(key)}]`
        : undefined;
    return new Unknown(accessor, collection.why, collection.references, collection.sensitive, identity);
  }
  if (key instanceof Unknown) return unknownFrom(key, accessor);
  if (Array.isArray(collection)) {
    const i = convertToNumber(key);
    if (i === undefined || !Number.isInteger(i))
      throw new TerraformEvalError(`${accessor}: a list index must be a whole number`);
    if (i < 0 || i >= collection.length)
      throw new TerraformEvalError(
        `${accessor}: index ${i} is out of range (the list has ${collection.length} elements)`,
      );
    return (collection as TfList)[i]!;
  }
  if (isTfObject(collection)) {
    const name = convertToString(key);
    if (name === undefined) throw new TerraformEvalError(`${accessor}: an attribute name must be a string`);
    if (Object.hasOwn(collection, name)) return collection[name]!;
    const owner = RESOURCE_OWNER.get(collection);
    if (owner !== undefined)
      return new Unknown(
        `${owner.address}${owner.path}.${name}`,
        computedWhy(owner.address),
        [owner.address],
        false,
        owner.identity !== undefined ? `${owner.identity}${owner.path}[${JSON.stringify(name)}]` : undefined,
      );
    throw new TerraformEvalError(`${accessor}: the object has no attribute or key "${name}"`);
  }
  if (collection === null) throw new TerraformEvalError(`${accessor}: cannot read ${String(key)} of null`);
  throw new TerraformEvalError(`${accessor}: cannot index a ${typeName(collection)}`);
}

export function unknownFrom(unknown: Unknown, expression: string): Unknown {
  return new Unknown(expression, unknown.why, unknown.references, unknown.sensitive);
}

function requireBool(value: TfValue): boolean {
  const b = convertToBool(value);
  if (b === undefined) throw new TerraformEvalError(`expected a bool, got ${typeName(value)}`);
  return b;
}

function requireNumber(value: TfValue): number {
  const n = convertToNumber(value);
  if (n === undefined) throw new TerraformEvalError(`expected a number, got ${typeName(value)}`);
  return n;
}

function evaluateBinary(
  operator: string,
  kids: readonly Node[],
  parsed: ParsedExpression,
  scope: Scope,
  source: string,
): TfValue {
  const left = evaluateNode(kids[0]!, parsed, scope);
  // Short-circuit what Terraform can decide with one side known.
  if (operator === "logicalAnd" && left === false) return false;
  if (operator === "logicalOr" && left === true) return true;
  const right = evaluateNode(kids[1]!, parsed, scope);
  if (operator === "logicalAnd" && right === false) return false;
  if (operator === "logicalOr" && right === true) return true;
  if (left instanceof Unknown || right instanceof Unknown)
    return mergeUnknowns(
      [left, right].filter((v): v is Unknown => v instanceof Unknown),
      source,
    );
  switch (operator) {
    case "equal":
      return deepEqual(left, right);
    case "notEqual":
      return !deepEqual(left, right);
    case "logicalAnd":
      return requireBool(left) && requireBool(right);
    case "logicalOr":
      return requireBool(left) || requireBool(right);
  }
  const a = requireNumber(left);
  const b = requireNumber(right);
  switch (operator) {
    case "add":
      return a + b;
    case "subtract":
      return a - b;
    case "multiply":
      return a * b;
    case "divide":
      if (b === 0) throw new TerraformEvalError(`${source}: division by zero`);
      return a / b;
    case "modulo":
      if (b === 0) throw new TerraformEvalError(`${source}: modulo by zero`);
      return a % b;
    case "lessThan":
      return a < b;
    case "lessThanOrEqual":
      return a <= b;
    case "greaterThan":
      return a > b;
    case "greaterThanOrEqual":
      return a >= b;
    default:
      throw new TerraformEvalError(`unsupported operator ${operator} in ${source}`);
  }
}

export function deepEqual(a: TfValue, b: TfValue): boolean {
  if (a === b) return true;
  if (typeof a === "number" || typeof b === "number") return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => deepEqual(item, (b as TfList)[i]!));
  if (isTfObject(a) && isTfObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k]!, b[k]!))
    );
  }
  return false;
}

function evaluateCall(node: Node, kids: readonly Node[], parsed: ParsedExpression, scope: Scope): TfValue {
  const meta = node.meta as TFExpressionSyntaxTree.FunctionCallMeta;
  const name = meta.name.replace(/^provider::[^:]+::/, "");
  const source = sourceOf(node, parsed);
  if (name === "try") {
    for (const kid of kids) {
      try {
        const value = evaluateNode(kid, parsed, scope);
        if (value instanceof Unknown) return unknownFrom(value, source);
        return value;
      } catch (error) {
        if (!(error instanceof TerraformEvalError)) throw error;
      }
    }
    throw new TerraformEvalError(`${source}: no argument of try() could be evaluated`);
  }
  if (name === "can") {
    try {
      const value = evaluateNode(kids[0]!, parsed, scope);
      return value instanceof Unknown ? unknownFrom(value, source) : true;
    } catch (error) {
      if (!(error instanceof TerraformEvalError)) throw error;
      return false;
    }
  }
  let args = kids.map((k) => evaluateNode(k, parsed, scope));
  if (meta.expandedFinalArgument && args.length > 0) {
    const last = args[args.length - 1]!;
    if (last instanceof Unknown) return unknownFrom(last, source);
    if (!Array.isArray(last)) throw new TerraformEvalError(`${source}: only a list can be expanded with ...`);
    args = [...args.slice(0, -1), ...(last as TfList)];
  }
  return callFunction(name, args, { source, module: scope.module });
}

function evaluateFor(node: Node, kids: readonly Node[], parsed: ParsedExpression, scope: Scope): TfValue {
  const meta = node.meta as TFExpressionSyntaxTree.ForExpressionMeta;
  const source = sourceOf(node, parsed);
  const collection = evaluateNode(kids[0]!, parsed, scope);
  if (collection instanceof Unknown) return unknownFrom(collection, source);
  const isObjectResult = Boolean(meta.keyExpression);
  let i = 1;
  const keyNode = isObjectResult ? kids[i++] : undefined;
  const valueNode = kids[i++]!;
  const conditionNode = meta.conditionalExpression ? kids[i++] : undefined;
  const entries: [TfValue, TfValue][] = Array.isArray(collection)
    ? (collection as TfList).map((v, index) => [index, v])
    : isTfObject(collection)
      ? Object.keys(collection)
          .sort()
          .map((k) => [k, collection[k]!])
      : (() => {
          throw new TerraformEvalError(`${source}: a for expression needs a list, set, map or object`);
        })();
  const listOut: TfValue[] = [];
  const objectOut: Record<string, TfValue> = {};
  const grouped: Record<string, TfValue[]> = {};
  const unknowns: Unknown[] = [];
  for (const [key, value] of entries) {
    const bindings = new Map(scope.bindings ?? []);
    if (meta.keyVar) bindings.set(meta.keyVar, key);
    bindings.set(meta.valVar, value);
    const inner: Scope = { ...scope, bindings };
    if (conditionNode) {
      const keep = evaluateNode(conditionNode, parsed, inner);
      if (keep instanceof Unknown) {
        unknowns.push(keep);
        continue;
      }
      if (!requireBool(keep)) continue;
    }
    const item = evaluateNode(valueNode, parsed, inner);
    if (!keyNode) {
      listOut.push(item);
      continue;
    }
    const k = evaluateNode(keyNode, parsed, inner);
    if (k instanceof Unknown) {
      unknowns.push(k);
      continue;
    }
    const name = convertToString(k);
    if (name === undefined)
      throw new TerraformEvalError(`${source}: a key must be a string, got ${typeName(k)}`);
    if (meta.groupedValue) {
      grouped[name] = [...(grouped[name] ?? []), item];
    } else {
      if (Object.hasOwn(objectOut, name))
        throw new TerraformEvalError(`${source}: duplicate key "${name}" (use ... to group values)`);
      objectOut[name] = item;
    }
  }
  if (unknowns.length > 0) return mergeUnknowns(unknowns, source);
  if (!keyNode) return listOut;
  return meta.groupedValue ? grouped : objectOut;
}
