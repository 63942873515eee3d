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
  /** `action_parameters.host_header`. */
  hostHeader: z.string().min(1).optional(),
  /** `action_parameters.sni.value`. */
  sni: z.string().min(1).optional(),
});
export type OriginRuleInput = z.input<typeof originRuleInputSchema>;

/** The SSL/TLS modes a configuration rule or a page rule may set (the zone's four and `origin_pull`). */
export const RULE_SSL_VALUES = [...SSL_MODES, "origin_pull"] as const;

/** A Configuration Rule (`http_config_settings`, action `set_config`). */
export const configRuleInputSchema = z.object({
  id: z.string().optional(),
  expression: z.string().min(1),
  enabled: z.boolean().default(true),
  description: z.string().optional(),
  ssl: z.enum(RULE_SSL_VALUES).optional(),
  /** Other `set_config` settings, passed through as the API shows them (e.g. `{ "bic": true }`). */
  settings: z.record(z.string(), z.unknown()).optional(),
});
export type ConfigRuleInput = z.input<typeof configRuleInputSchema>;

/** A Page Rule: one URL pattern, the actions that concern the origin, and raw others. */
export const pageRuleInputSchema = z.object({
  id: z.string().optional(),
  /** The URL pattern (`targets[0].constraint.value`, operator `matches`). */
  target: z.string().min(1),
  status: z.enum(["active", "disabled"]).default("active"),
  priority: z.number().int().min(1).default(1),
  ssl: z.enum(RULE_SSL_VALUES).optional(),
  resolveOverride: z.string().min(1).optional(),
  hostHeader: z.string().min(1).optional(),
  /** Further actions as the API shows them (`{ id, value }`). */
  actions: z.array(z.object({ id: z.string().min(1), value: z.unknown().optional() })).default([]),
});
export type PageRuleInput = z.input<typeof pageRuleInputSchema>;

/** Authenticated Origin Pulls: global (`tls_client_auth`), zone-level, per hostname. */
export const originPullsInputSchema = z.object({
  global: z.boolean().default(false),
  zoneCertificate: z.boolean().default(false),
  hostnames: z
    .array(
      z.object({
        hostname: z.string().min(1),
        /** `null`: the association was voided. */
        enabled: z.boolean().nullable(),
        status: z
          .enum([
            "initializing",
            "pending_deployment",
            "pending_deletion",
            "active",
            "deleted",
            "deployment_timed_out",
            "deletion_timed_out",
          ])
          .default("active"),
      }),
    )
    .default([]),
});
export type OriginPullsInput = z.input<typeof originPullsInputSchema>;

/** The tunnel statuses the API reports (checked 2026-11-30). */
export const TUNNEL_STATUSES = ["inactive", "degraded", "healthy", "down"] as const;

/** A Cloudflare Tunnel of an account. */
export const tunnelSeedSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "a tunnel UUID"),
  name: z.string().min(1),
  status: z.enum(TUNNEL_STATUSES).default("healthy"),
  /** ISO time: the tunnel was deleted (the API still answers for it). */
  deletedAt: z.string().optional(),
  /** `cloudflare`: remotely managed, `ingress` served by `/configurations`; `local`: a config file. */
  configSrc: z.enum(["local", "cloudflare"]).default("cloudflare"),
  ingress: z
    .array(
      z.object({ hostname: z.string().optional(), service: z.string().min(1), path: z.string().optional() }),
    )
    .default([{ service: "http_status:404" }]),
});
export type TunnelSeed = z.input<typeof tunnelSeedSchema>;

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
  /** `undefined`: no `http_config_settings` entrypoint ruleset (the API answers 404). */
  configRules: z.array(configRuleInputSchema).optional(),
  pageRules: z.array(pageRuleInputSchema).default([]),
  /** `meta.page_rule_quota` of the zone (3 on the Free plan, checked 2026-11-30). */
  pageRuleQuota: z.number().int().min(0).default(3),
  originPulls: originPullsInputSchema.default({ global: false, zoneCertificate: false, hostnames: [] }),
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
        tunnels: z.array(tunnelSeedSchema).default([]),
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
