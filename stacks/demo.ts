import type { Construct } from "constructs";
import { ExampleStack } from "./example.js";

/** A few of Cloudflare's ranges: an allowlist that forgot the rest (the demo's 522). */
const PARTIAL_CLOUDFLARE_ALLOWLIST = ["173.245.48.0/20", "103.21.244.0/22", "104.16.0.0/13"];

/**
 * The demo's stack: the example site plus hosts with the problems the demo shows — a legacy origin
 * that refuses connections, a reporting origin that answers too slowly, and a partner origin whose
 * allowlist misses most of Cloudflare's ranges. (The demo gives the api origin an expired
 * certificate and edits one record "in the dashboard".)
 */
export class DemoStack extends ExampleStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
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
  }
}
