import type { ExpressionNode } from "./ast.js";
import { setOf } from "./sets.js";
import {
  convertToBool,
  convertToNumber,
  convertToString,
  isTfObject,
  type TfList,
  type TfValue,
  Unknown,
} from "./value.js";

/**
 * A variable's `type` constraint (developer.hashicorp.com/terraform/language/expressions/type-constraints,
 * checked 2026-11-30): Terraform converts the given value to it, and fills attributes declared
 * `optional(type, default)` that the value leaves out. Modules rely on those defaults, so the
 * evaluator applies them the same way.
 */
export type TypeSpec =
  | { readonly kind: "any" }
  | { readonly kind: "string" | "number" | "bool" }
  | { readonly kind: "list" | "set" | "map"; readonly element: TypeSpec }
  | { readonly kind: "tuple"; readonly elements: readonly TypeSpec[] }
  | {
      readonly kind: "object";
      readonly attributes: Readonly<
        Record<string, { readonly type: TypeSpec; readonly optional: boolean; readonly default?: TfValue }>
      >;
    };

const ANY: TypeSpec = { kind: "any" };

function nodeText(node: ExpressionNode, source: string): string {
  const range = node.range;
  if (range && range.end.byte > range.start.byte)
    return source.slice(range.start.byte, range.end.byte).trim();
  return String(node.meta?.value ?? "").trim();
}

/** Read a type expression; anything not understood is `any` (no conversion: never a wrong one). */
export function typeSpecOf(
  node: ExpressionNode | undefined,
  source: string,
  literal: (node: ExpressionNode) => TfValue,
): TypeSpec {
  if (!node) return ANY;
  const kids = (node.children ?? []) as ExpressionNode[];
  if (node.type === "templateWrap" || node.type === "")
    return kids[0] ? typeSpecOf(kids[0], source, literal) : ANY;
  if (node.type === "scopeTraversal") {
    const name = nodeText(node, source);
    return name === "string" || name === "number" || name === "bool" ? { kind: name } : ANY;
  }
  if (node.type !== "function") return ANY;
  const fn = String(node.meta?.name ?? "");
  switch (fn) {
    case "list":
    case "set":
    case "map":
      return { kind: fn, element: typeSpecOf(kids[0], source, literal) };
    case "tuple": {
      const list = kids[0];
      return {
        kind: "tuple",
        elements: ((list?.children ?? []) as ExpressionNode[]).map((k) => typeSpecOf(k, source, literal)),
      };
    }
    case "object": {
      const object = kids[0];
      if (object?.type !== "object") return ANY;
      const items = (object.children ?? []) as ExpressionNode[];
      const attributes: Record<string, { type: TypeSpec; optional: boolean; default?: TfValue }> = {};
      for (let i = 0; i + 1 < items.length; i += 2) {
        const name = nodeText(items[i]!, source).replace(/^"|"$/g, "");
        const value = items[i + 1]!;
        if (value.type === "function" && value.meta?.name === "optional") {
          const args = (value.children ?? []) as ExpressionNode[];
          const type = typeSpecOf(args[0], source, literal);
          attributes[name] = args[1]
            ? { type, optional: true, default: literal(args[1]) }
            : { type, optional: true };
        } else attributes[name] = { type: typeSpecOf(value, source, literal), optional: false };
      }
      return { kind: "object", attributes };
    }
    default:
      return ANY;
  }
}

/** Convert a value to a type constraint as Terraform does; what cannot convert is left as given. */
export function applyType(value: TfValue, spec: TypeSpec): TfValue {
  if (value instanceof Unknown || value === null || spec.kind === "any") return value;
  switch (spec.kind) {
    case "string":
      return convertToString(value) ?? value;
    case "number":
      return convertToNumber(value) ?? value;
    case "bool":
      return convertToBool(value) ?? value;
    case "list":
    case "set": {
      const items: TfList = Array.isArray(value) ? value : isTfObject(value) ? Object.values(value) : [value];
      const converted = items.map((item) => applyType(item, spec.element));
      return spec.kind === "set" ? setOf(converted) : converted;
    }
    case "map": {
      if (!isTfObject(value)) return value;
      const out: Record<string, TfValue> = {};
      for (const [k, v] of Object.entries(value)) out[k] = applyType(v, spec.element);
      return out;
    }
    case "tuple":
      return Array.isArray(value) ? value.map((v, i) => applyType(v, spec.elements[i] ?? ANY)) : value;
    case "object": {
      if (!isTfObject(value)) return value;
      const out: Record<string, TfValue> = { ...value };
      for (const [name, attribute] of Object.entries(spec.attributes)) {
        if (Object.hasOwn(value, name) && value[name] !== null)
          out[name] = applyType(value[name]!, attribute.type);
        else if (attribute.optional)
          out[name] = attribute.default !== undefined ? applyType(attribute.default, attribute.type) : null;
      }
      return out;
    }
  }
}
