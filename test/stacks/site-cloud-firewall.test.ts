import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataCloudflareIpRanges } from "@cdktf/provider-cloudflare/lib/data-cloudflare-ip-ranges/index.js";
import { CloudflareProvider } from "@cdktf/provider-cloudflare/lib/provider/index.js";
import { App, TerraformResource, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { readDesired } from "../../checks/desired/read.js";
import { withCloudFirewalls } from "../../checks/diff/cloud-firewall.js";
import { enforcedDrift } from "../../checks/diff/firewall.js";
import { CloudflareSite } from "../../stacks/site.js";
import { RANGES } from "../diff/helpers.js";

/**
 * The construct declares a cloud firewall of the same stack as an origin's allowlist (a cdktf
 * resource, its logical id resolved at synth time), synthesized and read back by the checker.
 */
const HTTPS = [{ port: 443, scheme: "https" as const }];

function synth(build: (stack: TerraformStack) => void): string {
  const outdir = mkdtempSync(join(tmpdir(), "cfpl-site-firewall-"));
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "site");
  new CloudflareProvider(stack, "cloudflare", {});
  build(stack);
  app.synth();
  return outdir;
}

function securityGroup(stack: TerraformStack, id: string, cidrs: string): TerraformResource {
  // Any provider resource works; a bare TerraformResource stands in for @cdktf/provider-aws's SecurityGroup.
  const group = new TerraformResource(stack, id, { terraformResourceType: "aws_security_group" });
  group.addOverride("ingress", [
    { from_port: 443, to_port: 443, protocol: "tcp", cidr_blocks: cidrs, ipv6_cidr_blocks: [] },
  ]);
  return group;
}

describe("CloudflareSite with a cloud firewall as allowlist", () => {
  it("writes the resource's address, read back as the origin's firewall and checked against Cloudflare's ranges", async () => {
    const out = synth((stack) => {
      const ranges = new DataCloudflareIpRanges(stack, "ranges");
      const group = securityGroup(stack, "web-sg", ranges.ipv4Cidrs as unknown as string);
      // Overridden after the site declares it: the address written is the final one.
      new CloudflareSite(stack, "site", {
        zone: "example.com",
        sslMode: "strict",
        origins: { web: { ipv4: ["192.0.2.10"], ports: HTTPS, allowlist: { resource: group } } },
        routes: { www: { origin: "web" } },
      });
      group.overrideLogicalId("web");
    });
    const desired = await readDesired(out);
    const origin = desired.zones[0]!.origins[0]!;
    expect(origin.allowlist).toEqual({ kind: "cloudflare" });
    expect(origin.cloudFirewall?.resources).toEqual(["aws_security_group.web"]);
    const enforced = withCloudFirewalls([origin], RANGES, new Map()).get("web")!;
    expect(enforcedDrift({ origin }, enforced, RANGES)).toEqual([]);
  });

  it("takes addresses as strings, several at once, and finds a group that misses ranges", async () => {
    const out = synth((stack) => {
      securityGroup(stack, "partial", '${["173.245.48.0/20"]}').overrideLogicalId("partial");
      securityGroup(stack, "office", '${["203.0.113.0/24"]}').overrideLogicalId("office");
      new CloudflareSite(stack, "site", {
        zone: "example.com",
        sslMode: "strict",
        origins: {
          web: {
            ipv4: ["192.0.2.10"],
            ports: HTTPS,
            allowlist: { resource: ["aws_security_group.partial", "aws_security_group.office"] },
          },
        },
        routes: { www: { origin: "web" } },
      });
    });
    const origin = (await readDesired(out)).zones[0]!.origins[0]!;
    const enforced = withCloudFirewalls([origin], RANGES, new Map()).get("web")!;
    const kinds = enforcedDrift({ origin }, enforced, RANGES).map((d) => [d.kind, d.predicts]);
    expect(kinds).toEqual([
      ["enforced-missing", "522"],
      ["enforced-extra", null],
    ]);
  });
});
