import { z } from "zod";
import { ApiAnswerError } from "./answer-error.js";

/**
 * The shape of every result the reader uses, one schema per endpoint, as far as the reader looks at
 * it (unknown fields pass). Checked after the envelope (`envelope.ts`): an answer of another shape
 * is an `ApiAnswerError` naming the endpoint and the field, never a silently empty value.
 * Shapes checked 2026-11-30 against the API reference and the SDK's types (`cloudflare` 7.3).
 */

const id = z.string().min(1);
/**
 * Zone and list ids: 32 hex characters (the API's `identifier`, maxLength 32, checked 2026-11-30).
 * They become paths of later requests and appear in messages, so nothing else is accepted.
 */
const identifier = z.string().regex(/^[0-9a-f]{32}$/, "expected a 32-character hexadecimal identifier");
const count = z.number().int().min(0);

/** `GET /zones/{id}` and each item of `GET /zones`. */
export const zoneSchema = z.looseObject({
  id: identifier,
  name: z.string().min(1),
  status: z.string().optional(),
  account: z.looseObject({ id: z.string().optional() }).optional(),
  /** `page_rule_quota`: how many Page Rules the zone may have; 0 means it can have none. */
  meta: z.looseObject({ page_rule_quota: count.optional() }).optional(),
});

/** `result_info` of a page-number list (`GET /zones`, `GET /zones/{id}/dns_records`). */
export const pageInfoSchema = z.looseObject({
  page: z.number().int().min(1),
  per_page: z.number().int().min(1),
  count: count.optional(),
  total_count: count,
  total_pages: count,
});
export type PageInfo = z.infer<typeof pageInfoSchema>;

/** Each item of `GET /zones/{id}/dns_records`: what `record.ts` reads. */
export const dnsRecordSchema = z.looseObject({
  id,
  name: z.string().min(1),
  type: z.string().min(1),
  content: z.string().optional(),
  proxied: z.boolean().optional(),
  ttl: z.number(),
  priority: z.number().optional(),
  data: z.looseObject({}).optional(),
  comment: z.string().nullable().optional(),
  tags: z.array(z.string()).optional(),
  read_only: z.boolean().optional(),
  locked: z.boolean().optional(),
  meta: z.looseObject({ read_only: z.boolean().optional() }).optional(),
});
export const zonePageSchema = z.array(zoneSchema);

const isOptional = (value: unknown, type: "string" | "boolean" | "number") =>
  value === undefined || typeof value === type;

/**
 * Whether a value certainly has `dnsRecordSchema`'s shape: a plain check of the same fields, so a
 * page of 10,000 records is not walked by zod record by record. Anything it does not accept is
 * handed to zod, which decides and names what is wrong; it never accepts what zod would refuse.
 */
export function isDnsRecordShape(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const r = value as Record<string, unknown>;
  const { id, name, type, ttl, data, tags, meta, comment } = r;
  return (
    typeof id === "string" &&
    id.length > 0 &&
    typeof name === "string" &&
    name.length > 0 &&
    typeof type === "string" &&
    type.length > 0 &&
    typeof ttl === "number" &&
    !Number.isNaN(ttl) &&
    Number.isFinite(ttl) &&
    isOptional(r.content, "string") &&
    isOptional(r.proxied, "boolean") &&
    isOptional(r.priority, "number") &&
    (r.priority === undefined || Number.isFinite(r.priority)) &&
    isOptional(r.read_only, "boolean") &&
    isOptional(r.locked, "boolean") &&
    (comment === undefined || comment === null || typeof comment === "string") &&
    (data === undefined || (typeof data === "object" && data !== null && !Array.isArray(data))) &&
    (tags === undefined || (Array.isArray(tags) && tags.every((t) => typeof t === "string"))) &&
    (meta === undefined ||
      (typeof meta === "object" &&
        meta !== null &&
        !Array.isArray(meta) &&
        isOptional((meta as Record<string, unknown>).read_only, "boolean")))
  );
}

/** `GET /zones/{id}/settings/ssl`. */
export const sslSettingSchema = z.looseObject({ id: z.literal("ssl"), value: z.string() });

/**
 * A phase entrypoint's rules as the reader needs them: what every ruleset rule has, and the
 * `action_parameters` of that phase (`parameters`).
 */
export function entrypointSchema<P extends z.ZodType>(parameters: P) {
  return z.looseObject({
    rules: z.array(
      z.looseObject({
        action: z.string().optional(),
        expression: z.string().optional(),
        enabled: z.boolean().optional(),
        description: z.string().optional(),
        action_parameters: parameters,
      }),
    ),
  });
}

/** `GET /zones/{id}/rulesets/phases/http_request_origin/entrypoint`. */
export const originEntrypointSchema = entrypointSchema(
  z
    .looseObject({
      origin: z
        .looseObject({
          host: z.string().min(1).optional(),
          port: z.number().int().min(1).max(65_535).optional(),
        })
        .optional(),
      host_header: z.string().min(1).optional(),
      sni: z.looseObject({ value: z.string().min(1) }).optional(),
    })
    .optional(),
);

/** `GET /ips`: both families present, non-empty, valid CIDRs. An empty list would pass every allowlist. */
export const ipsSchema = z.looseObject({
  ipv4_cidrs: z.array(z.cidrv4()).min(1),
  ipv6_cidrs: z.array(z.cidrv6()).min(1),
  etag: z.string().optional(),
});

/** `GET /accounts/{id}/rules/lists`. */
export const listsSchema = z.array(
  z.looseObject({ id: identifier, name: z.string().min(1), kind: z.string().min(1), num_items: count }),
);

/** A page of `GET /accounts/{id}/rules/lists/{id}/items` of an IP list: every item has its `ip`. */
export const ipListItemsSchema = z.array(z.looseObject({ ip: z.string().min(1) }));

/** `result_info` of a cursor list: the next cursor, if any. */
export const cursorInfoSchema = z
  .looseObject({ cursors: z.looseObject({ after: z.string().optional() }).optional() })
  .optional();

/** How many zod issues a message lists. */
const LISTED_ISSUES = 3;

function pathOf(root: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : `${out}.${String(key)}`),
    root,
  );
}

/** A zod error as `at result[3].ttl: expected number, received undefined; …`. */
export function describeIssues(root: string, error: z.ZodError): string {
  const issues = error.issues.slice(0, LISTED_ISSUES).map((issue) => {
    const message = issue.message.replace(/^Invalid input: /, "");
    return `${pathOf(root, issue.path)}: ${message}`;
  });
  const more = error.issues.length > LISTED_ISSUES ? `; and ${error.issues.length - LISTED_ISSUES} more` : "";
  return `${issues.join("; ")}${more}`;
}

/**
 * `value` checked against `schema`, or an `ApiAnswerError` naming the endpoint and the fields. The
 * value itself is returned, not zod's copy: the schemas have no transforms or defaults, and a page
 * of 10,000 records copied would double its memory.
 */
export function parseAnswer<S extends z.ZodType>(
  schema: S,
  value: unknown,
  endpoint: string,
  root: string,
): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiAnswerError(endpoint, describeIssues(root, parsed.error));
  return value as z.infer<S>;
}

/**
 * A list of items, each checked against `itemSchema` on its own: zod copies what it parses, and
 * copies of one item at a time are garbage at once, where a whole page of 10,000 records copied
 * would add tens of megabytes at the peak. The list itself is returned.
 */
export function parseAnswerList<S extends z.ZodType>(
  itemSchema: S,
  value: unknown,
  endpoint: string,
  root: string,
  /** A check that accepts only what `itemSchema` accepts, tried first (see `isDnsRecordShape`). */
  surely?: (item: unknown) => boolean,
): z.infer<S>[] {
  if (!Array.isArray(value)) {
    const got = value === null ? "null" : typeof value;
    throw new ApiAnswerError(endpoint, `${root}: expected array, received ${got}`);
  }
  for (let i = 0; i < value.length; i++) {
    if (surely?.(value[i])) continue;
    const parsed = itemSchema.safeParse(value[i]);
    if (!parsed.success) throw new ApiAnswerError(endpoint, describeIssues(`${root}[${i}]`, parsed.error));
  }
  return value as z.infer<S>[];
}
