import type { IpFamily } from "../../model/cloud-firewall.js";
import { EachElement } from "../terraform/unknown-blocks.js";
import type { Unknown } from "../terraform/value.js";

/**
 * Attributes of the `cloudflare_ip_ranges` data source that hold Cloudflare's ranges as `/ips`
 * publishes them (checked 2026-11-30 against the provider's documentation): 4.x `cidr_blocks`
 * (both families), `ipv4_cidr_blocks`, `ipv6_cidr_blocks`; 5.x `ipv4_cidrs`, `ipv6_cidrs`. The China
 * network (4.x `china_ipv4_cidr_blocks`, `china_ipv6_cidr_blocks`) and JD Cloud (5.x
 * `jdcloud_cidrs`) ranges are other lists, not in `/ips`.
 */
export const CLOUDFLARE_RANGES_ATTRIBUTES: Readonly<Record<string, readonly IpFamily[]>> = {
  cidr_blocks: [4, 6],
  ipv4_cidr_blocks: [4],
  ipv6_cidr_blocks: [6],
  ipv4_cidrs: [4],
  ipv6_cidrs: [6],
};

export const CLOUDFLARE_OTHER_RANGES_ATTRIBUTES: ReadonlySet<string> = new Set([
  "china_ipv4_cidr_blocks",
  "china_ipv6_cidr_blocks",
  "jdcloud_cidrs",
]);

/** Functions that keep a list's elements as they are (or join lists): their result is the union. */
const UNION_FUNCTIONS = new Set(["concat", "tolist", "toset", "distinct", "sort", "flatten", "compact"]);

const RANGES_REFERENCE =
  /^(?:module\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?\.)*data\.cloudflare_ip_ranges\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?\.([a-z0-9_]+)$/;

export type RangesReading =
  | { readonly kind: "cloudflare"; readonly families: readonly IpFamily[]; readonly expression: string }
  | { readonly kind: "other"; readonly why: string }
  | undefined;

/**
 * Whether a value not known before apply is Cloudflare's ranges: a reference to a
 * `cloudflare_ip_ranges` attribute, possibly through locals, module outputs, `concat()`,
 * `toset()` and the like, or one element of such a list (a `dynamic` block's iterator). Anything
 * else (a `for` expression, `slice()`, a mix with other values) is undefined: not decided here.
 */
export function cloudflareRangesOf(value: Unknown): RangesReading {
  const unknown = value instanceof EachElement ? value.collection : value;
  const text = stripInterpolation(unknown.expression);
  const families = new Set<IpFamily>();
  let other: string | undefined;
  const visit = (expression: string): boolean => {
    const e = expression.trim();
    const reference = RANGES_REFERENCE.exec(e);
    if (reference) {
      const attribute = reference[1]!;
      const inRanges = CLOUDFLARE_RANGES_ATTRIBUTES[attribute];
      if (inRanges) {
        for (const f of inRanges) families.add(f);
        return true;
      }
      if (CLOUDFLARE_OTHER_RANGES_ATTRIBUTES.has(attribute))
        other = `${e} lists Cloudflare's China or JD Cloud network ranges, which are not the ranges of /ips`;
      return false;
    }
    const call = /^([a-z_]+)\(([\s\S]*)\)$/.exec(e);
    if (call && UNION_FUNCTIONS.has(call[1]!)) {
      const args = splitTopLevel(call[2]!);
      return args.length > 0 && args.every(visit);
    }
    const list = /^\[([\s\S]*)\]$/.exec(e);
    if (list) {
      const items = splitTopLevel(list[1]!);
      return items.length > 0 && items.every(visit);
    }
    return false;
  };
  if (visit(text)) return { kind: "cloudflare", families: [...families].sort(), expression: text };
  return other !== undefined ? { kind: "other", why: other } : undefined;
}

function stripInterpolation(expression: string): string {
  const m = /^\$\{([\s\S]*)\}$/.exec(expression.trim());
  return m ? m[1]! : expression;
}

/** Split on commas outside brackets, parentheses and strings. */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === "\\") i++;
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  const last = text.slice(start);
  if (last.trim() !== "") out.push(last);
  return out.filter((part) => part.trim() !== "");
}
