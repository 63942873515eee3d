import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFolder } from "../desired/cloud-firewall-helpers.js";
import { CLOUDFLARE_IPV6 } from "../diff/helpers.js";
import { runCli } from "../helpers/run-cli.js";

/**
 * End to end through the real CLI: an HCL folder with Cloudflare records and an AWS security group,
 * and a `cf_preflight` output whose origin names the security group as its allowlist.
 */

function configuration(options: { ingress: string; sgMeta?: string; allowlist?: string }): string {
  return `
terraform {
  required_providers {
    cloudflare = { source = "cloudflare/cloudflare", version = "~> 5.0" }
    aws        = { source = "hashicorp/aws", version = "~> 5.0" }
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

resource "cloudflare_dns_record" "www_a" {
  zone_id = data.cloudflare_zone.site.zone_id
  name    = "www.example.com"
  type    = "A"
  content = "192.0.2.10"
  proxied = true
  ttl     = 1
}

resource "cloudflare_dns_record" "www_aaaa" {
  zone_id = data.cloudflare_zone.site.zone_id
  name    = "www.example.com"
  type    = "AAAA"
  content = "2001:db8::10"
  proxied = true
  ttl     = 1
}

variable "web_count" {
  type = number
}

resource "aws_security_group" "web" {
  ${options.sgMeta ?? ""}
  name        = "web"
  description = "HTTPS from Cloudflare"
${options.ingress}
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

output "cf_preflight" {
  value = {
    schemaVersion = 2
    zones = [{
      zone = "example.com"
      origins = [{
        name      = "web"
        ipv4      = ["192.0.2.10"]
        ipv6      = ["2001:db8::10"]
        ports     = [{ port = 443, scheme = "https" }]
        allowlist = ${options.allowlist ?? '{ resource = "aws_security_group.web" }'}
      }]
      hostnames = [{ fqdn = "www", origin = "web", proxied = true }]
    }]
  }
}
`;
}

const IPV4_ONLY = `
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = data.cloudflare_ip_ranges.cloudflare.ipv4_cidrs
  }`;

const BOTH_FAMILIES = `${IPV4_ONLY}
  ingress {
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    ipv6_cidr_blocks = data.cloudflare_ip_ranges.cloudflare.ipv6_cidrs
  }`;

async function check(folder: string, extra: string[] = []) {
  const out = join(mkdtempSync(join(tmpdir(), "cfpl-cloudfw-out-")), "report.json");
  const run = await runCli([
    "check",
    "--synth",
    folder,
    "--no-live",
    "--no-probes",
    "--format",
    "json",
    "--output",
    out,
    "--format",
    "pretty",
    ...extra,
  ]);
  const report = existsSync(out) ? JSON.parse(readFileSync(out, "utf8")) : undefined;
  return { ...run, out, report };
}

describe("check with an allowlist that names the origin's security group", () => {
  it("blocks (exit 1) when the group admits Cloudflare's IPv4 ranges only and the origin has IPv6 too", async () => {
    const run = await check(writeFolder({ "main.tf": configuration({ ingress: IPV4_ONLY }) }));
    expect(run.code).toBe(1);
    const findings = run.report.findings.filter((f: { rule: string }) => f.rule === "firewall-enforcement");
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      status: "fail",
      blocking: true,
      predicts: "522",
      subject: { zone: "example.com" },
      evidence: { origin: "web", kind: "enforced-missing", ports: [443] },
    });
    expect([...findings[0].evidence.cidrs].sort()).toEqual([...CLOUDFLARE_IPV6].sort());
    expect(findings[0].message).toMatch(/does not admit 7 of Cloudflare's ranges on port 443/);
    // The inputs say what the firewall was read from, in JSON and in the one-line summary.
    expect(run.report.inputs.firewalls).toEqual([
      { zone: "example.com", origin: "web", resources: ["aws_security_group.web"], rules: 1, undecided: [] },
    ]);
    expect(run.stdout).toContain("origin web's firewall from aws_security_group.web (1 rule(s))");
    expect(run.stdout).toMatch(/✖ 522 .*does not admit 7 of Cloudflare's ranges on port 443/);
  });

  it("passes (exit 0) once the group admits both families, with nothing left unknown", async () => {
    const run = await check(writeFolder({ "main.tf": configuration({ ingress: BOTH_FAMILIES }) }));
    expect(run.code).toBe(0);
    expect(run.report.findings.filter((f: { rule: string }) => f.rule === "firewall-enforcement")).toEqual(
      [],
    );
    expect(run.report.summary).toMatchObject({ blocking: 0, unknown: 0 });
    expect(run.stdout).toContain("origin web's firewall from aws_security_group.web (2 rule(s))");
  });

  it("warns that anyone can bypass Cloudflare when the group admits 0.0.0.0/0 on the origin's port", async () => {
    const open = IPV4_ONLY.replace("data.cloudflare_ip_ranges.cloudflare.ipv4_cidrs", '["0.0.0.0/0"]');
    const run = await check(
      writeFolder({ "main.tf": configuration({ ingress: `${open}\n${BOTH_FAMILIES}` }) }),
    );
    expect(run.code).toBe(0);
    expect(run.report.findings).toContainEqual(
      expect.objectContaining({
        rule: "firewall-enforcement",
        status: "warn",
        evidence: expect.objectContaining({ kind: "enforced-extra", cidrs: ["0.0.0.0/0"] }),
      }),
    );
  });

  it("is unknown, not an error, when the group's count is not known; --strict then blocks", async () => {
    const folder = writeFolder({
      "main.tf": configuration({ ingress: BOTH_FAMILIES, sgMeta: "count = var.web_count" }),
    });
    const run = await check(folder);
    expect(run.code).toBe(0);
    const [unknown] = run.report.findings.filter((f: { rule: string }) => f.rule === "firewall-enforcement");
    expect(unknown).toMatchObject({ status: "unknown", predicts: "522" });
    expect(unknown.evidence.rules).toEqual([
      expect.stringMatching(/^aws_security_group\.web\.count: variable web_count has no value/),
    ]);
    expect(run.report.inputs.unresolved).toContainEqual(
      expect.objectContaining({ address: "aws_security_group.web", attribute: "count" }),
    );
    expect((await check(folder, ["--strict"])).code).toBe(1);
  });

  it("refuses (exit 2) an allowlist naming a resource the configuration does not declare, and writes nothing", async () => {
    const folder = writeFolder({
      "main.tf": configuration({
        ingress: BOTH_FAMILIES,
        allowlist: '{ resource = "aws_security_group.api" }',
      }),
    });
    const run = await check(folder);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.report).toBeUndefined();
    expect(run.stderr).toContain(join(folder, "main.tf"));
    expect(run.stderr).toContain("at output.cf_preflight.zones[0].origins[0].allowlist.resource");
    expect(run.stderr).toMatch(
      /expected a cloud firewall this configuration declares \(aws_security_group\.web\).*aws_security_group\.api is not declared/,
    );
  });

  it("refuses (exit 2) an allowlist naming a resource that is not a firewall", async () => {
    const run = await check(
      writeFolder({
        "main.tf": configuration({
          ingress: BOTH_FAMILIES,
          allowlist: '{ resource = ["aws_security_group.web", "cloudflare_dns_record.www_a"] }',
        }),
      }),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("at output.cf_preflight.zones[0].origins[0].allowlist.resource[1]");
    expect(run.stderr).toMatch(
      /expected a cloud firewall resource \(aws_security_group, .*\).*a cloudflare_dns_record/,
    );
  });

  it("accepts the group as a Terraform reference (aws_security_group.web.id)", async () => {
    const run = await check(
      writeFolder({
        "main.tf": configuration({
          ingress: IPV4_ONLY,
          allowlist: "{ resource = aws_security_group.web.id }",
        }),
      }),
    );
    expect(run.code).toBe(1);
    expect(run.report.inputs.firewalls[0].resources).toEqual(["aws_security_group.web"]);
  });
});
