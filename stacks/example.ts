import { CloudflareProvider } from "@cdktf/provider-cloudflare/lib/provider/index.js";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { CloudflareSite, type CloudflareSiteProps } from "./site.js";

/** The example site's declaration (exported so tests compare what checks see with it). */
export const EXAMPLE_SITE: CloudflareSiteProps = {
  zone: "example.com",
  sslMode: "strict",
  origins: {
    web: { ipv4: ["192.0.2.10"], ipv6: ["2001:db8::10"] },
    api: { ipv4: ["198.51.100.20"], ports: [{ port: 8443, scheme: "https" }] },
  },
  routes: {
    "@": { origin: "web" },
    www: { origin: "web" },
    api: { origin: "api", originPort: 8443 },
  },
  records: [
    { name: "mail", type: "A", content: "203.0.113.25", ttl: 3600 },
    { name: "@", type: "MX", content: "mail.example.com", priority: 10, ttl: 3600 },
    { name: "@", type: "TXT", content: '"v=spf1 mx -all"', ttl: 3600 },
    { name: "status", type: "CNAME", content: "example-com.statuspage.example.net", ttl: 3600 },
  ],
};

/**
 * A realistic site: apex and www on one origin (with IPv6), `api` on origin port 8443, a DNS-only
 * mail host with MX and TXT records, and a DNS-only CNAME to a SaaS status page. The zone is found by
 * name through a data source.
 *
 * The addresses come from the documentation ranges (RFC 5737: 192.0.2.0/24, 198.51.100.0/24,
 * 203.0.113.0/24; RFC 3849: 2001:db8::/32). They are not reachable on the internet, so the checker
 * never sends a packet to them: probes report them "unknown: documentation address" unless a
 * `--connect-to` mapping says where the origin really is (the demo and the tests map them to
 * loopback servers).
 */
export class ExampleStack extends TerraformStack {
  readonly site: CloudflareSite;

  /** `site`: the site's declaration (default `EXAMPLE_SITE`; the demo's differs in its SSL mode). */
  constructor(scope: Construct, id: string, site: CloudflareSiteProps = EXAMPLE_SITE) {
    super(scope, id);
    new CloudflareProvider(this, "cloudflare", {});

    this.site = new CloudflareSite(this, "example-com", site);
  }
}
