import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudflareProvider } from "@cdktf/provider-cloudflare/lib/provider/index.js";
import { App, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { readDesired } from "../../checks/desired/read.js";
import { known } from "../../checks/model/value.js";
import { CloudflareSite } from "../../stacks/site.js";

/**
 * Routed hostnames become construct ids by their label with everything but [a-z0-9-] turned into
 * "-": `www_1` and `www-1`, or `bücher` and `bächer`, gave the same id and the synth died with
 * "There is already a Construct with name ..." (a stack trace, for two valid hostnames). Each
 * route gets an id of its own; the checker reads every hostname back.
 */
describe("CloudflareSite routes whose labels collide as construct ids", () => {
  it("synthesizes every route, and the checker reads each hostname's record", async () => {
    const outdir = mkdtempSync(join(tmpdir(), "cfpl-site-labels-"));
    try {
      const app = new App({ outdir });
      const stack = new TerraformStack(app, "site");
      new CloudflareProvider(stack, "cloudflare", {});
      new CloudflareSite(stack, "site", {
        zone: "example.com",
        zoneId: "0123456789abcdef0123456789abcdef",
        sslMode: "strict",
        origins: { web: { ipv4: ["192.0.2.10"] } },
        routes: {
          www_1: { origin: "web" },
          "www-1": { origin: "web" },
          bücher: { origin: "web" },
          bächer: { origin: "web" },
        },
      });
      app.synth();
      const desired = await readDesired(outdir);
      const zone = desired.zones.find((z) => known(z.name) === "example.com")!;
      // In Punycode, as Cloudflare's API stores names (bücher: xn--bcher-kva, bächer: xn--bcher-gra).
      expect(zone.records.map((r) => r.fqdn).sort()).toEqual(
        [
          "xn--bcher-gra.example.com",
          "xn--bcher-kva.example.com",
          "www-1.example.com",
          "www_1.example.com",
        ].sort(),
      );
      expect(new Set(zone.hostnames.map((h) => h.source?.constructPath)).size).toBe(4);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
