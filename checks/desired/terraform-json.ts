import { z } from "zod";
import { RECORD_TYPES } from "../model/record.js";
import { SSL_MODES } from "../model/ssl-mode.js";
import { isTerraformExpression } from "../model/value.js";
import { quote } from "../printable.js";
import { addressProblem, ipOrCidrOrExpression } from "./ip-address.js";

/**
 * The parts of Terraform JSON (a cdktf `cdk.tf.json` or a hand-written file) the checker reads,
 * for the Terraform provider cloudflare/cloudflare 5.x. Other attributes pass through untouched.
 */

const tfExpression = z.custom<string>((v) => typeof v === "string" && isTerraformExpression(v), {
  error: "a Terraform expression",
});

const metadata = z.object({ metadata: z.object({ path: z.string().optional() }).loose().optional() }).loose();

const HOSTNAME =
  /^(\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.?$/i;

export const DnsRecordResource = z
  .object({
    "//": metadata.optional(),
    zone_id: z.string({ error: "a zone_id: a zone id, or a reference to a cloudflare_zone" }).min(1),
    name: z.string({ error: "a record name (the FQDN)" }).min(1),
    type: z.enum(RECORD_TYPES, { error: `a DNS record type the API accepts (${RECORD_TYPES.join(", ")})` }),
    content: z.string().optional(),
    data: z.record(z.string(), z.unknown()).optional(),
    proxied: z
      .union([z.boolean(), tfExpression], { error: "true, false or a Terraform expression" })
      .optional(),
    ttl: z
      .union([z.number().int().min(1), tfExpression], { error: "a TTL in seconds (1 means automatic)" })
      .optional(),
    priority: z.number().int().min(0).max(65535).optional(),
    comment: z.string().optional(),
    tags: z.array(z.string()).optional(),
  })
  .loose()
  .superRefine((record, ctx) => {
    const content = record.content;
    if (content === undefined) {
      if (record.data === undefined)
        ctx.addIssue({ code: "custom", path: ["content"], message: "a record content (or data)" });
      return;
    }
    if (isTerraformExpression(content)) return;
    const problem =
      record.type === "A"
        ? addressProblem("ipv4", content)
        : record.type === "AAAA"
          ? addressProblem("ipv6", content)
          : (record.type === "CNAME" || record.type === "MX" || record.type === "NS") &&
              !HOSTNAME.test(content)
            ? `a hostname, got ${quote(content)}`
            : undefined;
    if (problem !== undefined) ctx.addIssue({ code: "custom", path: ["content"], message: problem });
  });
export type DnsRecordResource = z.output<typeof DnsRecordResource>;

export const ZoneDataSource = z
  .object({
    "//": metadata.optional(),
    filter: z
      .object({ name: z.string().min(1).optional() })
      .loose()
      .optional(),
    name: z.string().min(1).optional(),
    zone_id: z.string().min(1).optional(),
  })
  .loose()
  .refine((d) => d.filter?.name !== undefined || d.name !== undefined || d.zone_id !== undefined, {
    error: "filter.name or zone_id, to find the zone",
  });
export type ZoneDataSource = z.output<typeof ZoneDataSource>;

export const ZoneResource = z
  .object({ "//": metadata.optional(), name: z.string({ error: "a zone name" }).min(1) })
  .loose();

export const ZoneSettingResource = z
  .object({
    "//": metadata.optional(),
    zone_id: z.string({ error: "a zone_id" }).min(1),
    setting_id: z.string({ error: 'a setting_id such as "ssl"' }).min(1),
    value: z.unknown(),
  })
  .loose()
  .superRefine((setting, ctx) => {
    if (setting.setting_id !== "ssl") return;
    const v = setting.value;
    const ok =
      (typeof v === "string" && ((SSL_MODES as readonly string[]).includes(v) || isTerraformExpression(v))) ||
      false;
    if (!ok)
      ctx.addIssue({
        code: "custom",
        path: ["value"],
        message: `an SSL mode (${SSL_MODES.join(", ")}), got ${quote(v)}`,
      });
  });
export type ZoneSettingResource = z.output<typeof ZoneSettingResource>;

const RulesetRule = z
  .object({
    expression: z.string({ error: "a rule expression" }),
    action: z.string().optional(),
    action_parameters: z
      .object({
        origin: z
          .object({ port: z.number().int().min(1).max(65535).optional(), host: z.string().optional() })
          .loose()
          .optional(),
      })
      .loose()
      .optional(),
    enabled: z.union([z.boolean(), tfExpression]).optional(),
    description: z.string().optional(),
  })
  .loose();

export const RulesetResource = z
  .object({
    "//": metadata.optional(),
    zone_id: z.string().min(1).optional(),
    account_id: z.string().min(1).optional(),
    phase: z.string({ error: "a ruleset phase" }),
    kind: z.string().optional(),
    rules: z.array(RulesetRule).optional(),
  })
  .loose();
export type RulesetResource = z.output<typeof RulesetResource>;

const CIDR_OR_IP = ipOrCidrOrExpression("an IP address or CIDR");

export const ListResource = z
  .object({
    "//": metadata.optional(),
    account_id: z.string({ error: "an account_id" }).min(1),
    name: z.string({ error: "a list name" }).min(1),
    kind: z.string({ error: 'a list kind such as "ip"' }),
    items: z.array(z.object({ ip: CIDR_OR_IP.optional() }).loose()).optional(),
  })
  .loose();
export type ListResource = z.output<typeof ListResource>;

export const ListItemResource = z
  .object({
    "//": metadata.optional(),
    account_id: z.string({ error: "an account_id" }).min(1),
    list_id: z.string({ error: "a list_id" }).min(1),
    ip: CIDR_OR_IP.optional(),
  })
  .loose();
export type ListItemResource = z.output<typeof ListItemResource>;

const blocks = z.record(
  z.string(),
  z.record(z.string(), z.unknown(), { error: "an object of named blocks" }),
  {
    error: "an object keyed by type",
  },
);

/** The top level of a Terraform JSON document. */
export const TerraformJson = z
  .object({
    "//": z.record(z.string(), z.unknown()).optional(),
    data: blocks.optional(),
    resource: blocks.optional(),
  })
  .loose();
export type TerraformJson = z.output<typeof TerraformJson>;

/** The resource types the checker reads, by Terraform type. */
export const RESOURCE_SCHEMAS = {
  cloudflare_dns_record: DnsRecordResource,
  cloudflare_zone: ZoneResource,
  cloudflare_zone_setting: ZoneSettingResource,
  cloudflare_ruleset: RulesetResource,
  cloudflare_list: ListResource,
  cloudflare_list_item: ListItemResource,
} as const;

/** Provider 4.x names that 5.x renamed: reading them would silently miss records. */
export const RENAMED_TYPES: Readonly<Record<string, string>> = {
  cloudflare_record: "cloudflare_dns_record (Terraform provider cloudflare/cloudflare 5.x)",
};

export function constructPathOf(block: { "//"?: unknown }): string | undefined {
  const meta = block["//"] as { metadata?: { path?: string } } | undefined;
  return meta?.metadata?.path;
}
