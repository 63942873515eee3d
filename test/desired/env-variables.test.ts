import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { tfFolder } from "./tf-folder.js";

/**
 * Terraform takes a root variable from `TF_VAR_name` when no variables file sets it: a CI job that
 * sets the origin that way must have that origin checked, not the default (or an unknown).
 */
const CONFIG = [
  'terraform {\n  required_providers {\n    cloudflare = {\n      source  = "cloudflare/cloudflare"\n      version = "~> 5.0"\n    }\n  }\n}',
  'resource "cloudflare_zone" "z" {\n  account = { id = "0123456789abcdef0123456789abcdef" }\n  name    = "example.com"\n}',
  'variable "origin" {\n  type    = string\n  default = "198.18.0.1"\n}',
  'variable "hosts" {\n  type    = list(string)\n  default = []\n}',
  'variable "label" {}',
  'resource "cloudflare_dns_record" "a" {\n  for_each = toset(var.hosts)\n  zone_id  = cloudflare_zone.z.id\n  name     = "${each.value}.example.com"\n  type     = "A"\n  content  = var.origin\n  proxied  = false\n  ttl      = 300\n}',
  'resource "cloudflare_dns_record" "txt" {\n  zone_id = cloudflare_zone.z.id\n  name    = "label.example.com"\n  type    = "TXT"\n  content = var.label\n  ttl     = 300\n}',
  "",
].join("\n\n");

async function recordsWith(env: NodeJS.ProcessEnv, files: Record<string, string> = {}) {
  const dir = tfFolder({ "main.tf": CONFIG, ...files });
  const run = await runCli(["check", "--synth", dir, "--no-live", "--no-probes", "--format", "json"], {
    env,
  });
  const report = JSON.parse(run.stdout);
  return report.inputs as { zones: { records: { total: number } }[]; unresolved: { address: string }[] };
}

describe("root variables from TF_VAR_ environment variables", () => {
  it("reads strings as they are and collections as HCL expressions", async () => {
    const inputs = await recordsWith({
      TF_VAR_origin: "198.18.0.9",
      TF_VAR_hosts: '["www", "api"]',
      TF_VAR_label: "v=${literal}",
    });
    expect(inputs.zones[0]?.records.total).toBe(3);
    expect(inputs.unresolved).toEqual([]);
  });

  it("ranks below terraform.tfvars, as Terraform does", async () => {
    const inputs = await recordsWith(
      { TF_VAR_hosts: '["www", "api", "mail"]', TF_VAR_label: "x" },
      { "terraform.tfvars": 'hosts = ["only"]\n' },
    );
    expect(inputs.zones[0]?.records.total).toBe(2);
  });

  it("leaves a variable without a value unresolved when the environment does not set it", async () => {
    const inputs = await recordsWith({});
    expect(inputs.unresolved.map((u) => u.address)).toContain("cloudflare_dns_record.txt");
  });
});
