import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

/**
 * A `cf_preflight` output whose zone name is a Terraform expression the checker cannot evaluate
 * (a variable without a value). It was read as a zone literally named `${var.zone_name}`: with
 * `--no-live` the report counted it as a checked zone and said "nothing unresolved" while the
 * declarations meant for the real zone were applied to nothing; with a `zoneId` tying it to the
 * real zone it was exit 2 "one name per zone (a.example and ${var.zone_name})". Now: with a
 * `zoneId` the declarations apply to the zone it names; without one the zone name is unresolved
 * (an `input-unresolved` finding naming the output and the path) and nothing is applied. Real CLI.
 */

function folder(
  zoneLines: string,
  declared = `      origins   = [{ name = "web", ipv4 = ["192.0.2.1"], ports = [{ port = 443, scheme = "https" }] }]
      hostnames = [{ fqdn = "www.a.example", origin = "web", proxied = true }]`,
): string {
  const dir = mkdtempSync(join(tmpdir(), "cfpl-declared-zone-"));
  writeFileSync(
    join(dir, "main.tf"),
    `variable "zone_name" { type = string }
variable "host" { type = string }
variable "ip" { type = string }
data "cloudflare_zone" "z" {
  filter = { name = "a.example" }
}
resource "cloudflare_zone_setting" "ssl" {
  zone_id    = data.cloudflare_zone.z.zone_id
  setting_id = "ssl"
  value      = "flexible"
}
resource "cloudflare_dns_record" "www" {
  zone_id = data.cloudflare_zone.z.zone_id
  name    = "www.a.example"
  type    = "A"
  content = "192.0.2.1"
  proxied = true
  ttl     = 1
}
output "cf_preflight" {
  value = {
    schemaVersion = 2
    zones = [{
${zoneLines}
${declared}
    }]
  }
}
`,
  );
  return dir;
}

interface Report {
  findings: {
    rule: string;
    status: string;
    blocking: boolean;
    message: string;
    subject: { zone?: string };
    acknowledged?: unknown;
  }[];
  inputs: {
    zones: { name: string | null }[];
    unresolved: { address: string; attribute: string; why: string }[];
  };
}

async function check(dir: string) {
  const run = await runCli(["check", "--synth", dir, "--no-live", "--no-probes", "--format", "json"]);
  return {
    code: run.code,
    stderr: run.stderr,
    report: run.code <= 1 ? (JSON.parse(run.stdout) as Report) : undefined,
  };
}

describe("a declared zone whose name is a Terraform expression", () => {
  it("with a zoneId: the declarations apply to the zone it names (the origin without port 80 fails, 521)", async () => {
    const { code, stderr, report } = await check(
      folder("      zone   = var.zone_name\n      zoneId = data.cloudflare_zone.z.zone_id"),
    );
    expect(stderr).not.toContain("one name per zone");
    expect(code).toBe(1);
    expect(report!.inputs.zones.map((z) => z.name)).toEqual(["a.example"]);
    expect(report!.findings).toContainEqual(
      expect.objectContaining({
        rule: "origin-port-scheme",
        status: "fail",
        subject: expect.objectContaining({ zone: "a.example" }),
      }),
    );
  });

  it("without one: the name is unresolved and counted, never a zone named ${var.zone_name}", async () => {
    const { code, report } = await check(folder("      zone = var.zone_name"));
    expect(code).toBe(0);
    expect(report!.inputs.zones.map((z) => z.name)).toEqual(["a.example"]);
    expect(report!.inputs.unresolved).toContainEqual(
      expect.objectContaining({ address: "output.cf_preflight", attribute: "zones[0].zone" }),
    );
    const unknown = report!.findings.filter((f) => f.rule === "input-unresolved");
    expect(unknown).toHaveLength(1);
    expect(unknown[0]!.status).toBe("unknown");
    expect(unknown[0]!.message).toContain("var.zone_name");
  });

  it("a hostname, an acknowledgement's subject or an origin address known only to Terraform is unresolved, never a literal", async () => {
    const { code, report } = await check(
      folder(
        '      zone = "a.example"',
        `      origins   = [{ name = "web", ipv4 = [var.ip], ports = [{ port = 443, scheme = "https" }] }]
      hostnames = [{ fqdn = var.host, origin = "web", proxied = true }]
      acknowledgements = [{ rule = "origin-port-scheme", hostname = var.host, reason = "accepted until the move, OPS-9" }]`,
      ),
    );
    expect(code).toBe(0);
    const where = report!.inputs.unresolved.map((u) => `${u.address} ${u.attribute}`);
    expect(where).toEqual(
      expect.arrayContaining([
        "output.cf_preflight zones[0].origins[0].ipv4[0]",
        "output.cf_preflight zones[0].hostnames[0].fqdn",
        "output.cf_preflight zones[0].acknowledgements[0].hostname",
      ]),
    );
    expect(JSON.stringify(report!.findings)).not.toContain("${var.host}.a.example");
    expect(report!.findings.some((f) => f.status !== "pass" && f.acknowledged !== undefined)).toBe(false);
    expect(report!.findings.filter((f) => f.rule === "input-unresolved").length).toBeGreaterThan(0);
  });
});
