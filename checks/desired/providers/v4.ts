import { known } from "../../model/value.js";
import {
  type Adapter,
  readList,
  readListItem,
  readOriginPulls,
  readPageRule,
  readRecord,
  readRuleset,
  readTunnel,
  readTunnelConfig,
  readZoneAnchor,
  sslModeOf,
  toggleOf,
} from "./shared.js";

/** 4.x record content: `content`, or its older alias `value` (one list for every record). */
const RECORD_CONTENT: readonly string[] = ["content", "value"];

/**
 * Terraform provider cloudflare/cloudflare 4.x (resource names and block shapes checked against
 * the provider's 4.52 documentation, 2026-11-30). Blocks arrive as lists of one object.
 */
export const V4_MANAGED: Readonly<Record<string, Adapter>> = {
  cloudflare_record: (r, facts) => readRecord(r, facts, RECORD_CONTENT),
  cloudflare_zone: (r, facts) => readZoneAnchor(r, facts, ["zone"]),
  cloudflare_zone_settings_override: (r, facts) => {
    const zone = r.zone();
    const settings = r.block("settings");
    if (!settings) return;
    const ssl = sslModeOf(r, "ssl", settings);
    if (ssl !== undefined)
      facts.ssl.push({ zone, value: ssl, source: r.instance.source, attribute: "settings.ssl" });
    const aop = toggleOf(r, "tls_client_auth", settings);
    if (aop !== undefined)
      facts.originPulls.push({
        zone,
        source: r.instance.source,
        value: { enabled: aop, source: r.instance.source },
      });
  },
  cloudflare_ruleset: readRuleset,
  cloudflare_page_rule: readPageRule,
  cloudflare_tunnel: readTunnel,
  cloudflare_zero_trust_tunnel_cloudflared: readTunnel,
  cloudflare_tunnel_config: readTunnelConfig,
  cloudflare_zero_trust_tunnel_cloudflared_config: readTunnelConfig,
  cloudflare_authenticated_origin_pulls: (r, facts) => {
    // With a certificate id but no hostname it only uploads; zone-wide AOP is the `enabled` toggle.
    if (
      known(r.string("authenticated_origin_pulls_certificate")) !== undefined &&
      r.raw("hostname") === undefined
    )
      return;
    readOriginPulls(r, facts, "hostname");
  },
  cloudflare_list: readList,
  cloudflare_list_item: readListItem,
};

export const V4_DATA: Readonly<Record<string, Adapter>> = {
  cloudflare_zone: (r, facts) => readZoneAnchor(r, facts, ["name"]),
  cloudflare_zones: (r, facts) => readZoneAnchor(r, facts, ["filter.name"]),
};
