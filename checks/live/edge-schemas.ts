import { z } from "zod";
import { entrypointSchema } from "./schemas.js";

/**
 * The shapes of the answers about a zone's edge configuration (rulesets, Page Rules, Authenticated
 * Origin Pulls), as far as the reader looks at them; unknown fields pass. Paths and shapes from
 * Cloudflare's published OpenAPI schema, `cloudflare/api-schemas` `openapi.yaml` at commit
 * 004e306af7836c7edd2b39d286c8cdd3d0508702 (2026-08-14), read 2026-11-30: `GET
 * /zones/{zone_id}/rulesets` (response `rulesets_Rulesets`: name, kind and phase required, no
 * rules), `GET .../rulesets/phases/{ruleset_phase}/entrypoint` (`rulesets_Ruleset` with rules),
 * `GET /zones/{zone_id}/pagerules` (`zones_page_rule`: id, targets, actions, priority, status,
 * created_on, modified_on required), `GET /zones/{zone_id}/settings/{setting_id}`,
 * `GET /zones/{zone_id}/origin_tls_client_auth/settings` and `GET
 * /zones/{zone_id}/origin_tls_client_auth/hostnames` (operation
 * per-hostname-authenticated-origin-pull-list-hostname-associations, page-number pagination). Each is
 * checked after the
 * envelope (`envelope.ts`): an answer of another shape is an `ApiAnswerError` naming the endpoint.
 */

const id = z.string().min(1);

/** Each item of `GET /zones/{id}/rulesets`: the list says which phases have an entry point (no rules). */
export const rulesetListItemSchema = z.looseObject({
  id,
  kind: z.string().min(1),
  phase: z.string().min(1),
  name: z.string().optional(),
});

/** `result_info` of the rulesets list: cursor pagination (`rulesets_ResultInfo`). */
export const rulesetsCursorSchema = z.looseObject({ cursor: z.string().optional() }).optional();

/** `GET /zones/{id}/rulesets/phases/http_config_settings/entrypoint`: `set_config` rules. */
export const configEntrypointSchema = entrypointSchema(
  z.looseObject({ ssl: z.string().optional() }).optional(),
);

/** One page rule target: `{ target: "url", constraint: { operator: "matches", value } }`. */
const pageRuleTargetSchema = z.looseObject({
  target: z.string().optional(),
  constraint: z.looseObject({ operator: z.string().min(1), value: z.string().min(1) }),
});

/** Each item of `GET /zones/{id}/pagerules` (`zones_page_rule`: id, targets, actions, priority, status). */
export const pageRuleSchema = z.looseObject({
  id,
  targets: z.array(pageRuleTargetSchema),
  actions: z.array(z.looseObject({ id: z.string().min(1), value: z.unknown().optional() })),
  priority: z.number().int(),
  status: z.enum(["active", "disabled"]),
});

/** `GET /zones/{id}/settings/tls_client_auth`: global Authenticated Origin Pulls. */
export const tlsClientAuthSchema = z.looseObject({
  id: z.literal("tls_client_auth"),
  value: z.enum(["on", "off"]),
});

/**
 * `GET /zones/{id}/origin_tls_client_auth/settings`: zone-level AOP with the zone's own certificate.
 * The schema marks `enabled` optional; an answer without it says nothing, so it is refused.
 */
export const originPullSettingsSchema = z.looseObject({ enabled: z.boolean() });

/**
 * Each item of `GET /zones/{id}/origin_tls_client_auth/hostnames` (`hostname_assoc_object`): a null
 * `enabled` is an association that was voided.
 */
export const hostnameAssociationSchema = z.looseObject({
  hostname: z.string().min(1),
  enabled: z.boolean().nullable(),
  status: z.string().optional(),
  cert_id: z.string().optional(),
});
