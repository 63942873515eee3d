import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { tfFolder } from "./tf-folder.js";

/**
 * OpenTofu reads `.tofu` and `.tofu.json` files, and a `main.tofu` replaces a `main.tf` of the
 * same name (opentofu.org/docs/language/files/, checked 2026-11-30). A folder written for OpenTofu
 * must be read as OpenTofu reads it: a `.tofu` file never silently left out.
 */
const ZONE = `resource "cloudflare_zone" "z" {
  account = { id = "0123456789abcdef0123456789abcdef" }
  name    = "example.com"
}
`;

function record(type: string, content: string, proxied: boolean): string {
  return `resource "cloudflare_dns_record" "www" {
  zone_id = cloudflare_zone.z.id
  name    = "www.example.com"
  type    = "${type}"
  content = "${content}"
  proxied = ${proxied}
  ttl     = 1
}
`;
}

const OFFLINE = ["--no-live", "--no-probes", "--format", "json"];

describe("OpenTofu .tofu files", () => {
  it("a main.tofu replaces the main.tf of the same name: its blocking record is found", async () => {
    const dir = tfFolder({
      "zone.tf": ZONE,
      "main.tf": record("A", "203.0.113.10", true),
      // What OpenTofu deploys: a proxied TXT record, which the API refuses (9004).
      "main.tofu": record("TXT", "hello", true),
    });
    const run = await runCli(["check", "--synth", dir, ...OFFLINE]);
    const report = JSON.parse(run.stdout);
    expect(report.inputs.zones[0].records).toEqual({ total: 1, byType: { TXT: 1 } });
    expect(report.findings.map((f: { rule: string }) => f.rule)).toContain("proxied-type-not-proxiable");
    expect(run.code).toBe(1);
  });

  it("a folder of .tofu files only is a configuration folder, not 'neither'", async () => {
    const dir = tfFolder({ "zone.tofu": ZONE, "main.tofu": record("A", "203.0.113.10", true) });
    const run = await runCli(["check", "--synth", dir, ...OFFLINE]);
    expect(run.stderr).not.toContain("it has neither");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).inputs.zones[0].records.total).toBe(1);
  });

  it("an override file in the .tofu form is listed as unresolved like a .tf one", async () => {
    const dir = tfFolder({
      "main.tofu": ZONE + record("A", "203.0.113.10", true),
      "main_override.tofu": 'resource "cloudflare_dns_record" "www" {\n  proxied = false\n}\n',
    });
    const run = await runCli(["check", "--synth", dir, ...OFFLINE]);
    const report = JSON.parse(run.stdout);
    expect(report.inputs.unresolved.map((u: { address: string }) => u.address.split("/").pop())).toEqual([
      "main_override.tofu",
    ]);
  });
});
