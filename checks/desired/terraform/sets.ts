import { deepEqual } from "./evaluate.js";
import type { TfList, TfValue } from "./value.js";

/**
 * Terraform's sets: no duplicates, and iterated in a fixed order — strings lexically, numbers
 * numerically (developer.hashicorp.com/terraform/language/expressions/types, "set"; checked
 * 2026-11-30). Order matters where a set becomes a list: `[for h in toset(var.hosts) : ...]`
 * builds tunnel ingress rules, whose order decides which rule a request meets first. Sets of other
 * element types keep their first-seen order.
 */
export function setOf(items: TfList): TfValue[] {
  const out = distinctValues(items);
  if (out.every((v) => typeof v === "string")) return (out as string[]).sort(lexical);
  if (out.every((v) => typeof v === "number")) return (out as number[]).sort((a, b) => a - b);
  return out;
}

export function distinctValues(items: TfList): TfValue[] {
  const out: TfValue[] = [];
  for (const item of items) if (!out.some((o) => deepEqual(o, item))) out.push(item);
  return out;
}

function lexical(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
