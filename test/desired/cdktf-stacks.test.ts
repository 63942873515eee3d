import { mkdtempSync, readFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DnsRecord } from "@cdktf/provider-cloudflare/lib/dns-record/index.js";
import { CloudflareProvider } from "@cdktf/provider-cloudflare/lib/provider/index.js";
import { Zone } from "@cdktf/provider-cloudflare/lib/zone/index.js";
import { App, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { readDesiredSources } from "../../checks/desired/read.js";

/** Two cdktf stacks built from plain provider resources: the zone in one, its records in the other. */
function synthTwoStacks(): string {
  const outdir = join(mkdtempSync(join(tmpdir(), "cfpl-stacks-")), "cdktf.out");
  const app = new App({ outdir });
  const zoneStack = new TerraformStack(app, "zone");
  new CloudflareProvider(zoneStack, "cloudflare", {});
  const zone = new Zone(zoneStack, "zone", {
    name: "example.dev",
    account: { id: "0123456789abcdef0123456789abcdef" },
  });
  const records = new TerraformStack(app, "records");
  new CloudflareProvider(records, "cloudflare", {});
  records.addDependency(zoneStack);
  new DnsRecord(records, "www", {
    zoneId: zone.id,
    name: "www.example.dev",
    type: "A",
    content: "192.0.2.7",
    proxied: true,
    ttl: 1,
  });
  new DnsRecord(records, "api", {
    zoneId: zone.id,
    name: "api",
    type: "CNAME",
    content: "www.example.dev",
    proxied: true,
    ttl: 1,
  });
  app.synth();
  return outdir;
}

describe("cdktf and CDK Terrain output", () => {
  const outdir = synthTwoStacks();

  it("follows a cross-stack reference: one zone, created in one stack, holding the other's records", async () => {
    // The records stack reads the zone id through terraform_remote_state, as cdktf writes it.
    expect(readFileSync(join(outdir, "stacks", "records", "cdk.tf.json"), "utf8")).toContain(
      "terraform_remote_state",
    );
    const desired = await readDesiredSources({ synth: outdir });
    expect(desired.zones).toHaveLength(1);
    expect(desired.zones[0]!.name).toBe("example.dev");
    expect(desired.zones[0]!.records.map((r) => `${r.type} ${r.fqdn} ${r.source?.stack}`).sort()).toEqual([
      "A www.example.dev records",
      "CNAME api.example.dev records",
    ]);
    expect(desired.inputs!.sources.map((s) => s.kind)).toEqual(["cdktf", "cdktf"]);
    expect(desired.inputs!.unresolved).toEqual([]);
  });

  it("reads a cdktn.out folder (CDK Terrain) the same way, and says so", async () => {
    const cdktn = join(outdir, "..", "cdktn.out");
    renameSync(outdir, cdktn);
    try {
      const desired = await readDesiredSources({ synth: cdktn });
      expect(desired.zones[0]!.records).toHaveLength(2);
      expect(desired.inputs!.sources.map((s) => s.kind)).toEqual(["cdktn", "cdktn"]);
    } finally {
      renameSync(cdktn, outdir);
    }
  });
});
