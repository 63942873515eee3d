import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { tfFolder } from "./tf-folder.js";

/**
 * Terraform never prints a value declared sensitive (a variable with `sensitive = true`, or wrapped
 * in `sensitive()`); a configuration read as HCL must not have it echoed either, in any format.
 */
describe("sensitive values in a Terraform folder", () => {
  const dir = tfFolder({
    "main.tf": [
      'variable "origin_ip" {\n  type      = string\n  sensitive = true\n  default   = "198.18.7.77"\n}',
      'locals {\n  verification = sensitive("token-abcdef-123456")\n}',
      'resource "cloudflare_dns_record" "a" {\n  zone_id = "0123456789abcdef0123456789abcdef"\n  name    = "www.example.com"\n  type    = "TXT"\n  content = "origin=${var.origin_ip}"\n  proxied = true\n  ttl     = 1\n}',
      'resource "cloudflare_dns_record" "b" {\n  zone_id = "0123456789abcdef0123456789abcdef"\n  name    = "verify.example.com"\n  type    = "TXT"\n  content = local.verification\n  proxied = true\n  ttl     = 1\n}',
      "",
    ].join("\n\n"),
  });

  it.each([
    "json",
    "pretty",
    "markdown",
    "sarif",
    "junit",
    "github",
  ])("are never shown in the %s report, though the findings about those records are", async (format) => {
    const run = await runCli(["check", "--synth", dir, "--no-live", "--no-probes", "--format", format]);
    expect(run.stdout).toContain("proxied-type-not-proxiable");
    expect(run.stdout).not.toContain("198.18.7.77");
    expect(run.stdout).not.toContain("token-abcdef-123456");
    expect(run.stderr).not.toContain("198.18.7.77");
  });
});
