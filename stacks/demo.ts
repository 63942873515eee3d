import { Ruleset } from "@cdktf/provider-cloudflare/lib/ruleset/index.js";
import type { Construct } from "constructs";
import { EXAMPLE_SITE, ExampleStack } from "./example.js";

/** A few of Cloudflare's ranges: an allowlist that forgot the rest (the demo's 522). */
const PARTIAL_CLOUDFLARE_ALLOWLIST = ["173.245.48.0/20", "103.21.244.0/22", "104.16.0.0/13"];

/** The Cloudflare Tunnel `app` routes through (created with cloudflared, outside this code). */
export const DEMO_TUNNEL = { id: "6f1d0c7e-3b2a-4c5d-9e8f-0a1b2c3d4e5f", name: "demo-app" } as const;

/** The Configuration Rule that makes `api` Full (strict) in the demo's Full zone. */
export const DEMO_STRICT_RULE = {
  description: "api strict",
  expression: '(http.host eq "api.example.com")',
} as const;

/**
 * The demo's stack: the example site, in Full, plus hosts with the problems the demo shows — a
 * legacy origin that refuses connections, a reporting origin that answers too slowly, and a partner
 * origin whose allowlist misses most of Cloudflare's ranges — a Configuration Rule that makes `api`
 * Full (strict), and `app`, a proxied CNAME to a Cloudflare Tunnel. (The demo gives the api origin
 * an expired certificate, which only the rule makes a 526, reports the tunnel healthy, and edits one
 * record "in the dashboard".)
 */
export class DemoStack extends ExampleStack {
  constructor(scope: Construct, id: string) {
    super(scope, id, { ...EXAMPLE_SITE, sslMode: "full" });
    const site = this.site;
    site.addOrigin("legacy", { ipv4: ["203.0.113.50"] });
    site.addOrigin("reports", { ipv4: ["198.51.100.30"] });
    site.addOrigin("partner", {
      ipv4: ["198.51.100.40"],
      allowlist: { cidrs: PARTIAL_CLOUDFLARE_ALLOWLIST },
    });
    site.route("legacy", { origin: "legacy" });
    site.route("reports", { origin: "reports" });
    site.route("partner", { origin: "partner" });
    site.addRecord({
      name: "app",
      type: "CNAME",
      content: `${DEMO_TUNNEL.id}.cfargotunnel.com`,
      proxied: true,
    });
    new Ruleset(this, "config-rules", {
      zoneId: site.zoneId,
      name: "per-hostname settings",
      kind: "zone",
      phase: "http_config_settings",
      rules: [
        { ...DEMO_STRICT_RULE, action: "set_config", actionParameters: { ssl: "strict" }, enabled: true },
      ],
    });
  }
}
