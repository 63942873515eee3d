import { readFile } from "node:fs/promises";
import { z } from "zod";
import { InputError } from "../errors.js";
import { SSL_MODES } from "../model/ssl-mode.js";

/** The record types the emulator stores (a subset of what the API accepts). */
export const EMULATED_RECORD_TYPES = ["A", "AAAA", "CNAME", "TXT", "MX", "NS", "PTR", "SRV", "CAA"] as const;
export type EmulatedRecordType = (typeof EMULATED_RECORD_TYPES)[number];

/** A record as a seed file or a write request gives it (the API's request body, loosely). */
export const recordInputSchema = z.object({
  id: z.string().min(1).optional(),
  /** FQDN, a name relative to the zone, or "@" for the apex. */
  name: z.string().min(1),
  type: z.enum(EMULATED_RECORD_TYPES),
  /** For SRV "weight port target"; for CAA `flags tag "value"`. */
  content: z.string().min(1),
  proxied: z.boolean().optional(),
  ttl: z.number().int().min(1).optional(),
  priority: z.number().int().min(0).max(65535).optional(),
  comment: z.string().optional(),
  tags: z.array(z.string()).optional(),
  /** Emulator extension: a Cloudflare-managed record the API does not let users edit. */
  readOnly: z.boolean().optional(),
});
export type RecordInput = z.infer<typeof recordInputSchema>;

export const originRuleInputSchema = z.object({
  id: z.string().optional(),
  expression: z.string().min(1),
  enabled: z.boolean().default(true),
  description: z.string().optional(),
  port: z.number().int().min(1).max(65535).optional(),
  host: z.string().optional(),
});
export type OriginRuleInput = z.input<typeof originRuleInputSchema>;

export const zoneSeedSchema = z.object({
  id: z
    .string()
    .regex(/^[0-9a-f]{32}$/, "a 32-character hex zone id")
    .optional(),
  name: z.string().min(1),
  status: z.enum(["initializing", "pending", "active", "moved"]).default("active"),
  accountId: z.string().optional(),
  ssl: z.enum(SSL_MODES).default("full"),
  /** `undefined`: the zone has no `http_request_origin` entrypoint ruleset (the API answers 404). */
  originRules: z.array(originRuleInputSchema).optional(),
  records: z.array(recordInputSchema).default([]),
});
export type ZoneSeed = z.input<typeof zoneSeedSchema>;

export const listSeedSchema = z.object({
  id: z.string().optional(),
  name: z.string().min(1),
  kind: z.literal("ip").default("ip"),
  description: z.string().optional(),
  items: z
    .array(z.union([z.string(), z.object({ ip: z.string(), comment: z.string().optional() })]))
    .default([]),
});
export type ListSeed = z.input<typeof listSeedSchema>;

export const seedSchema = z.object({
  ips: z
    .object({
      ipv4_cidrs: z.array(z.string()),
      ipv6_cidrs: z.array(z.string()),
      etag: z.string().optional(),
    })
    .optional(),
  accounts: z
    .array(
      z.object({
        id: z.string().min(1),
        name: z.string().optional(),
        lists: z.array(listSeedSchema).default([]),
      }),
    )
    .default([]),
  zones: z.array(zoneSeedSchema).default([]),
});
export type Seed = z.input<typeof seedSchema>;
export type ParsedSeed = z.output<typeof seedSchema>;

/** Validate a seed object; errors name the path inside it (knip's style). */
export function parseSeed(value: unknown, file?: string): ParsedSeed {
  const parsed = seedSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join(".") || undefined;
  throw new InputError(file, path, "an emulator seed (zones, accounts, ips)", issue?.message);
}

export async function loadSeedFile(file: string): Promise<ParsedSeed> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new InputError(file, undefined, "a readable seed file", (error as Error).message);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(file, undefined, "JSON", (error as Error).message);
  }
  return parseSeed(json, file);
}
