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

/** 5.x record content (one list for every record). */
const RECORD_CONTENT: readonly string[] = ["content"];

/**
 * Terraform provider cloudflare/cloudflare 5.x (resource names and attribute shapes checked against
 * the provider's 5.x documentation, 2026-11-30). Nested settings are objects and lists of objects.
 */
export const V5_MANAGED: Readonly<Record<string, Adapter>> = {
  cloudflare_dns_record: (r, facts) => readRecord(r, facts, RECORD_CONTENT),
  cloudflare_zone: (r, facts) => readZoneAnchor(r, facts, ["name"]),
  cloudflare_zone_setting: (r, facts) => {
    const setting = known(r.string("setting_id"));
    // On/off settings are written `value = "on"` or, in some configurations, `enabled = true`.
    const attribute = r.raw("value") !== undefined ? "value" : "enabled";
    if (setting === "ssl") {
      const mode = sslModeOf(r, attribute);
      if (mode !== undefined)
        facts.ssl.push({ zone: r.zone(), value: mode, source: r.instance.source, attribute });
    } else if (setting === "tls_client_auth") {
      const enabled = toggleOf(r, attribute);
      if (enabled !== undefined)
        facts.originPulls.push({
          zone: r.zone(),
          source: r.instance.source,
          value: { enabled, source: r.instance.source },
        });
    } else {
      const key = `cloudflare_zone_setting (${setting ?? "unknown setting"})`;
      facts.ignored[key] = (facts.ignored[key] ?? 0) + 1;
    }
  },
  cloudflare_ruleset: readRuleset,
  cloudflare_page_rule: readPageRule,
  cloudflare_zero_trust_tunnel_cloudflared: readTunnel,
  cloudflare_zero_trust_tunnel_cloudflared_config: readTunnelConfig,
  cloudflare_authenticated_origin_pulls_settings: (r, facts) => readOriginPulls(r, facts),
  cloudflare_authenticated_origin_pulls: (r, facts) => {
    // 5.x: per-hostname AOP as `config = [{ hostname, cert_id, enabled }]`.
    for (const entry of r.blocks("config")) {
      const hostname = known(r.string("hostname", entry));
      if (hostname === undefined) continue;
      facts.originPulls.push({
        zone: r.zone(),
        source: r.instance.source,
        value: {
          enabled: r.bool("enabled", entry) ?? true,
          hostname: hostname.toLowerCase(),
          source: r.instance.source,
        },
      });
    }
  },
  cloudflare_list: readList,
  cloudflare_list_item: readListItem,
};

export const V5_DATA: Readonly<Record<string, Adapter>> = {
  cloudflare_zone: (r, facts) => readZoneAnchor(r, facts, ["filter.name", "name"]),
  cloudflare_zones: (r, facts) => readZoneAnchor(r, facts, ["name", "filter.name"]),
};
