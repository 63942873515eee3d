import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLOUDFLARE_RANGES_SNAPSHOT } from "../../checks/data/cloudflare-ips.js";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import { writeFolder } from "../desired/cloud-firewall-helpers.js";
import { runCli } from "../helpers/run-cli.js";

/**
 * A security group named as the new origin's allowlist, checked against the live `/ips` of the API
 * emulator (over HTTP, with the real SDK) during a host migration: a reference to
 * `cloudflare_ip_ranges` follows the live ranges, a list copied into the code does not, and the
 * migration's firewall verdict comes from the security group.
 */

const TOKEN = "tok-SECRET-cloudfw-51c2";
/** A range the live API publishes that the bundled snapshot does not have (emulator data only). */
const NEW_RANGE = "203.0.113.0/24";
const ETAG = "ranges-etag-1";

const hclList = (cidrs: readonly string[]) => `[${cidrs.map((c) => JSON.stringify(c)).join(", ")}]`;

function configuration(ipv4Sources: string): string {
  return `
terraform {
  required_providers {
    cloudflare = { source = "cloudflare/cloudflare", version = "~> 5.0" }
  }
}
data "cloudflare_zone" "site" {
  filter = { name = "example.com" }
}
data "cloudflare_ip_ranges" "cloudflare" {}
resource "cloudflare_zone_setting" "ssl" {
  zone_id    = data.cloudflare_zone.site.zone_id
  setting_id = "ssl"
  value      = "strict"
}
resource "cloudflare_dns_record" "www" {
  zone_id = data.cloudflare_zone.site.zone_id
  name    = "www.example.com"
  type    = "A"
  content = "192.0.2.10"
  proxied = true
  ttl     = 1
}
resource "aws_security_group" "new_web" {
  name = "new-web"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ${ipv4Sources}
  }
}
output "cf_preflight" {
  value = {
    schemaVersion = 2
    zones = [{
      zone = "example.com"
      origins = [
        { name = "old", ipv4 = ["198.51.100.5"], ports = [{ port = 443, scheme = "https" }] },
        {
          name      = "new"
          ipv4      = ["192.0.2.10"]
          ports     = [{ port = 443, scheme = "https" }]
          allowlist = { resource = "aws_security_group.new_web" }
        },
      ]
      hostnames = [{ fqdn = "www", origin = "new", proxied = true }]
    }]
  }
}
`;
}

describe("a cloud firewall allowlist against the live /ips, during a host migration", () => {
  let emulator: Emulator;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    emulator = await startEmulator({
      token: TOKEN,
      seed: {
        ips: {
          ipv4_cidrs: [...CLOUDFLARE_RANGES_SNAPSHOT.ipv4, NEW_RANGE],
          ipv6_cidrs: [...CLOUDFLARE_RANGES_SNAPSHOT.ipv6],
          etag: ETAG,
        },
        zones: [
          {
            name: "example.com",
            ssl: "strict",
            records: [{ name: "www.example.com", type: "A", content: "198.51.100.5", proxied: true, ttl: 1 }],
          },
        ],
      },
    });
    env = { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_BASE_URL: emulator.url };
  });
  afterAll(async () => {
    await emulator.close();
  });

  const check = async (sources: string) => {
    const run = await runCli(
      [
        "check",
        "--synth",
        writeFolder({ "main.tf": configuration(sources) }),
        "--no-probes",
        "--format",
        "json",
      ],
      { env },
    );
    expect(run.stderr).not.toContain("could not verify");
    return { code: run.code, report: JSON.parse(run.stdout) };
  };
  const byRule = (report: { findings: { rule: string }[] }, rule: string) =>
    report.findings.filter((f) => f.rule === rule) as Record<string, unknown>[];

  it("follows the live ranges through cloudflare_ip_ranges: the new origin's firewall is ready", async () => {
    const { code, report } = await check("data.cloudflare_ip_ranges.cloudflare.ipv4_cidrs");
    expect(code).toBe(0);
    expect(byRule(report, "firewall-enforcement")).toEqual([]);
    expect(byRule(report, "migration-firewall")).toEqual([
      expect.objectContaining({
        status: "pass",
        migration: "example.com: old -> new",
      }),
    ]);
  });

  it("blocks the migration when the code holds a copy of the ranges the live API has outgrown", async () => {
    const { code, report } = await check(hclList(CLOUDFLARE_RANGES_SNAPSHOT.ipv4));
    expect(code).toBe(1);
    const [missing, ...rest] = byRule(report, "firewall-enforcement");
    expect(rest).toEqual([]);
    expect(missing).toMatchObject({
      status: "fail",
      blocking: true,
      predicts: "522",
      evidence: expect.objectContaining({ cidrs: [NEW_RANGE], ranges: `live /ips (etag ${ETAG})` }),
      migration: "example.com: old -> new",
    });
    expect(new Set(emulator.requests().map((r) => r.method))).toEqual(new Set(["GET"]));
  });
});
