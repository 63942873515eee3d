import { z } from "zod";

/**
 * The shapes of the Cloudflare Tunnel answers the reader uses. From `cloudflare/api-schemas`
 * `openapi.yaml` at commit 004e306af7836c7edd2b39d286c8cdd3d0508702, read 2026-11-30: operations
 * `cloudflare-tunnel-get-a-cloudflare-tunnel` (`tunnel_cfd_tunnel`: `id`, `name`, `status`,
 * `deleted_at`, `config_src` with default `local`, `remote_config`) and
 * `cloudflare-tunnel-configuration-get-configuration` (`tunnel_configuration`: `config.ingress[]`
 * of `tunnel_ingressRule` with `hostname`, `service`, `path`; `source`).
 */

/** A tunnel id: a UUID (`tunnel_tunnel_id`, format uuid). */
export const TUNNEL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `GET /accounts/{account_id}/cfd_tunnel/{tunnel_id}`. */
export const tunnelSchema = z.looseObject({
  id: z.string().regex(TUNNEL_ID, "expected a tunnel UUID"),
  name: z.string().min(1),
  status: z.string().min(1),
  deleted_at: z.string().nullable().optional(),
  config_src: z.enum(["local", "cloudflare"]).optional(),
  remote_config: z.boolean().optional(),
});

/**
 * One ingress rule. The schema lists `hostname` as required, but the catch-all rule every
 * configuration ends with has none (cloudflared's own format), so it is optional here.
 */
const ingressRuleSchema = z.looseObject({
  hostname: z.string().optional(),
  service: z.string().min(1),
  path: z.string().optional(),
});

/** `GET /accounts/{account_id}/cfd_tunnel/{tunnel_id}/configurations`. */
export const tunnelConfigurationSchema = z.looseObject({
  source: z.enum(["local", "cloudflare"]).optional(),
  config: z
    .looseObject({ ingress: z.array(ingressRuleSchema).optional() })
    .nullable()
    .optional(),
});
