import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readDesiredSources } from "../../checks/desired/read.js";
import { InputError } from "../../checks/errors.js";
import type { DesiredState } from "../../checks/model/zone.js";
import { runCli } from "../helpers/run-cli.js";
import { tfFolder } from "./tf-folder.js";

/**
 * A Terragrunt unit (a folder holding terragrunt.hcl) given to --synth is read as the Terraform run
 * Terragrunt makes: the module its terraform { source } names, with the unit's `inputs` (its
 * includes merged in) as root variable values. Each test writes a small repository of its own.
 */
const MODULE = {
  "modules/dns/variables.tf": `variable "zone" {
  type = string
}
variable "records" {
  type    = list(object({ name = string, content = string }))
  default = []
}
variable "ttl" {
  type    = number
  default = 300
}
variable "account" {
  type    = any
  default = null
}
variable "extra" {
  type    = map(string)
  default = {}
}
`,
  "modules/dns/main.tf": `resource "cloudflare_zone" "this" {
  zone       = var.zone
  account_id = var.account == null ? "0123456789abcdef0123456789abcdef" : var.account.id
}

resource "cloudflare_record" "r" {
  for_each = { for r in var.records : r.name => r }
  zone_id  = cloudflare_zone.this.id
  name     = each.value.name
  type     = "A"
  value    = each.value.content
  ttl      = var.ttl
}

resource "cloudflare_record" "extra" {
  for_each = var.extra
  zone_id  = cloudflare_zone.this.id
  name     = each.key
  type     = "A"
  value    = each.value
  ttl      = var.ttl
}
`,
};

async function read(dir: string): Promise<DesiredState> {
  return readDesiredSources({ synth: dir });
}

async function refusal(dir: string): Promise<InputError> {
  try {
    await read(dir);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("the unit was read");
}

function records(desired: DesiredState, zone: string): string[] {
  const found = desired.zones.find((z) => z.name === zone);
  return (found?.records ?? [])
    .map((r) => `${r.fqdn} ${r.type} ${String(r.content)} ${String(r.ttl)}`)
    .sort();
}

function unresolvedAt(desired: DesiredState, address: string): string[] {
  return (desired.inputs?.unresolved ?? [])
    .filter((u) => u.address === address)
    .map((u) => `${u.attribute}: ${u.why}`);
}

describe("a Terragrunt unit given to --synth", () => {
  it("runs the local module its source names with the unit's inputs, and says so in the sources", async () => {
    const repo = tfFolder({
      ...MODULE,
      "live/prod/dns/terragrunt.hcl": `terraform {
  source = "../../../modules//dns?ref=v1.2.0"
}
inputs = {
  zone    = "example.com"
  records = [{ name = "www", content = "203.0.113.10" }, { name = "api", content = "203.0.113.11" }]
}
`,
    });
    const desired = await read(join(repo, "live/prod/dns"));
    expect(records(desired, "example.com")).toEqual([
      "api.example.com A 203.0.113.11 300",
      "www.example.com A 203.0.113.10 300",
    ]);
    expect(desired.inputs?.sources).toEqual([
      { path: join(repo, "live/prod/dns/terragrunt.hcl"), kind: "terragrunt" },
      { path: join(repo, "modules/dns"), kind: "hcl" },
    ]);
    expect(desired.inputs?.unresolved).toEqual([]);
  });

  it("merges a parent's inputs shallowly (the unit's keys win whole), with locals and an exposed include", async () => {
    const repo = tfFolder({
      ...MODULE,
      "live/root.hcl": `locals {
  default_ttl = 120
  zone        = "example.org"
}
inputs = {
  ttl     = local.default_ttl
  zone    = "parent.example"
  records = [{ name = "parent", content = "198.51.100.1" }]
  extra   = { parent-map = "198.51.100.3" }
}
`,
      "live/prod/dns/terragrunt.hcl": `include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}
locals {
  prefix = "web-\${basename(get_terragrunt_dir())}"
}
terraform {
  source = "\${get_terragrunt_dir()}/../../../modules/dns"
}
inputs = {
  zone    = include.root.locals.zone
  records = [{ name = local.prefix, content = "198.51.100.\${include.root.inputs.ttl / 60}" }]
  extra   = { child-map = "198.51.100.4" }
}
`,
    });
    const desired = await read(join(repo, "live/prod/dns"));
    // zone, records and extra from the unit (the parent's list and map are replaced, not joined); ttl from the parent.
    expect(records(desired, "example.org")).toEqual([
      "child-map.example.org A 198.51.100.4 120",
      "web-dns.example.org A 198.51.100.2 120",
    ]);
    expect(desired.zones.map((z) => z.name)).toEqual(["example.org"]);
  });

  it("concatenates lists under merge_strategy = deep, and path_relative_to_include names the unit", async () => {
    const repo = tfFolder({
      ...MODULE,
      "live/root.hcl": `inputs = {
  zone    = "example.net"
  records = [{ name = replace(path_relative_to_include(), "/", "-"), content = "192.0.2.1" }]
}
`,
      "live/prod/dns/terragrunt.hcl": `include "root" {
  path           = find_in_parent_folders("root.hcl")
  merge_strategy = "deep"
}
terraform {
  source = "../../../modules/dns"
}
inputs = {
  records = [{ name = "child", content = "192.0.2.2" }]
}
`,
    });
    const desired = await read(join(repo, "live/prod/dns"));
    expect(records(desired, "example.net")).toEqual([
      "child.example.net A 192.0.2.2 300",
      "prod-dns.example.net A 192.0.2.1 300",
    ]);
  });

  it("lists a value from a dependency's outputs as unresolved at the unit file, never its mock_outputs", async () => {
    const repo = tfFolder({
      ...MODULE,
      "live/dns/terragrunt.hcl": `dependency "account" {
  config_path  = "../account"
  mock_outputs = { account = { id = "ffffffffffffffffffffffffffffffff" } }
}
terraform {
  source = "../../modules/dns"
}
inputs = {
  zone    = "example.com"
  account = dependency.account.outputs.account
}
`,
    });
    const desired = await read(join(repo, "live/dns"));
    const listed = unresolvedAt(desired, "terragrunt.hcl");
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatch(
      /^inputs\.account: dependency\.account\.outputs belongs to another Terragrunt unit at \.\.\/account/,
    );
    expect(JSON.stringify(desired)).not.toContain("ffffffffffffffffffffffffffffffff");
    expect(desired.inputs?.unresolved.some((u) => u.address === "cloudflare_zone.this")).toBe(true);
  });

  describe("get_env", () => {
    const NAME = "CFPL_TERRAGRUNT_TEST_ZONE";
    afterEach(() => {
      delete process.env[NAME];
    });

    it("lists a get_env in an exposed parent's inputs once, at the parent file", async () => {
      const repo = tfFolder({
        ...MODULE,
        "live/root.hcl": `inputs = {\n  zone = get_env("${NAME}", "parent.example")\n}\n`,
        "live/dns/terragrunt.hcl": `include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}
terraform {
  source = "../../modules/dns"
}
inputs = {
  records = [{ name = include.root.inputs.zone == "parent.example" ? "p" : "q", content = "192.0.2.7" }]
}
`,
      });
      const desired = await read(join(repo, "live/dns"));
      expect(records(desired, "parent.example")).toEqual(["p.parent.example A 192.0.2.7 300"]);
      expect(unresolvedAt(desired, "../root.hcl")).toEqual([
        `inputs: get_env("${NAME}", "parent.example") was read as its default: cf-preflight does not read the environment, and where ${NAME} is set Terragrunt uses its value`,
      ]);
    });

    it("takes the default without reading the environment, and lists it; without a default the value is unknown", async () => {
      process.env[NAME] = "from-the-environment.example";
      const repo = tfFolder({
        ...MODULE,
        "live/dns/terragrunt.hcl": `locals {
  zone = get_env("${NAME}", "default.example")
}
terraform {
  source = "../../modules/dns"
}
inputs = {
  zone    = local.zone
  records = [{ name = "www", content = get_env("CFPL_TERRAGRUNT_TEST_IP") }]
}
`,
      });
      const desired = await read(join(repo, "live/dns"));
      expect(desired.zones.map((z) => z.name)).toEqual(["default.example"]);
      expect(JSON.stringify(desired)).not.toContain("from-the-environment");
      const listed = unresolvedAt(desired, "terragrunt.hcl");
      expect(listed).toContainEqual(
        `locals.zone: get_env("${NAME}", "default.example") was read as its default: cf-preflight does not read the environment, and where ${NAME} is set Terragrunt uses its value`,
      );
      expect(listed).toContainEqual(
        'inputs: get_env("CFPL_TERRAGRUNT_TEST_IP") has no default and cf-preflight does not read the environment: the value is unknown',
      );
      expect(
        listed.some((l) => l.startsWith("inputs.records: the environment variable CFPL_TERRAGRUNT_TEST_IP")),
      ).toBe(true);
    });
  });

  it("reads a file with read_terragrunt_config, evaluated in its own folder", async () => {
    const repo = tfFolder({
      ...MODULE,
      "live/env.hcl": `locals {
  zone = "\${basename(get_terragrunt_dir())}.example"
}
`,
      "live/dns/terragrunt.hcl": `locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl"))
}
terraform {
  source = "../../modules/dns"
}
inputs = {
  zone = local.env.locals.zone
}
`,
    });
    const desired = await read(join(repo, "live/dns"));
    expect(desired.zones.map((z) => z.name)).toEqual(["live.example"]);
  });

  it("puts terraform.tfvars of the module above the inputs, as Terraform ranks TF_VAR_ variables lowest", async () => {
    const repo = tfFolder({
      ...MODULE,
      "modules/dns/terraform.tfvars": 'zone = "tfvars.example"\n',
      "live/dns/terragrunt.hcl": `terraform {
  source = "../../modules/dns"
}
inputs = {
  zone = "inputs.example"
  ttl  = 60
  records = [{ name = "a", content = "192.0.2.9" }]
}
`,
    });
    const desired = await read(join(repo, "live/dns"));
    expect(records(desired, "tfvars.example")).toEqual(["a.tfvars.example A 192.0.2.9 60"]);
  });

  it("reads the variable files extra_arguments pass to plan and apply, above tfvars and inputs; lists -var", async () => {
    const repo = tfFolder({
      ...MODULE,
      "modules/dns/terraform.tfvars": 'zone = "tfvars.example"\nttl = 30\n',
      "live/common.tfvars": 'zone = "common.example"\n',
      "live/dns/terragrunt.hcl": `terraform {
  source = "../../modules/dns"
  extra_arguments "vars" {
    commands           = get_terraform_commands_that_need_vars()
    arguments          = ["-var", "ttl=45", "-lock=false"]
    required_var_files = ["\${get_terragrunt_dir()}/../common.tfvars"]
    optional_var_files = ["\${get_terragrunt_dir()}/absent.tfvars"]
  }
  extra_arguments "init_only" {
    commands           = ["init"]
    required_var_files = ["/nowhere/at/all.tfvars"]
  }
}
inputs = {
  zone    = "inputs.example"
  records = [{ name = "v", content = "192.0.2.8" }]
}
`,
    });
    const desired = await read(join(repo, "live/dns"));
    // zone from the required var file (over tfvars and inputs), ttl from tfvars: -var is not applied but listed.
    expect(records(desired, "common.example")).toEqual(["v.common.example A 192.0.2.8 30"]);
    expect(unresolvedAt(desired, "terragrunt.hcl")).toEqual([
      "terraform.extra_arguments.vars.arguments: it passes -var ttl=45 to Terraform, which cf-preflight does not apply",
    ]);

    const missing = tfFolder({
      ...MODULE,
      "live/dns/terragrunt.hcl": `terraform {
  source = "../../modules/dns"
  extra_arguments "vars" {
    commands           = ["plan", "apply"]
    required_var_files = ["missing.tfvars"]
  }
}
`,
    });
    const error = await refusal(join(missing, "live/dns"));
    expect(error.path).toBe("terraform.extra_arguments.vars");
    expect(error.message).toContain("missing.tfvars does not exist");
  });

  it("gives a variable without a type constraint a non-string input as the JSON Terragrunt passes", async () => {
    const repo = tfFolder({
      "modules/txt/main.tf": `variable "payload" {}
resource "cloudflare_record" "txt" {
  zone_id = "0123456789abcdef0123456789abcdef"
  name    = "meta"
  type    = "TXT"
  value   = var.payload
}
`,
      "live/txt/terragrunt.hcl": `terraform {
  source = "../../modules/txt"
}
inputs = {
  payload = { k = "v" }
}
`,
    });
    const desired = await read(join(repo, "live/txt"));
    expect(desired.zones.flatMap((z) => z.records.map((r) => r.content))).toEqual(['{"k":"v"}']);
  });

  it("adds generate blocks' Terraform files and the unit's own files to the module, as Terragrunt's working copy", async () => {
    const repo = tfFolder({
      ...MODULE,
      "live/root.hcl": `generate "extra" {
  path      = "extra.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<EOF
resource "cloudflare_record" "generated" {
  zone_id = cloudflare_zone.this.id
  name    = "\${replace(path_relative_to_include(), "/", "-")}"
  type    = "A"
  value   = "192.0.2.50"
}
EOF
}
`,
      "live/dns/terragrunt.hcl": `include {
  path = find_in_parent_folders("root.hcl")
}
terraform {
  source = "../../modules/dns"
}
`,
      "live/dns/unit.auto.tfvars": 'zone = "unit.example"\n',
    });
    const desired = await read(join(repo, "live/dns"));
    expect(records(desired, "unit.example")).toEqual(["dns.unit.example A 192.0.2.50 1"]);
  });

  it("reads a unit whose Terraform files sit beside terragrunt.hcl (no source)", async () => {
    const dir = tfFolder({
      "terragrunt.hcl": 'inputs = {\n  zone = "beside.example"\n}\n',
      "variables.tf": MODULE["modules/dns/variables.tf"],
      "main.tf": MODULE["modules/dns/main.tf"],
    });
    const desired = await read(dir);
    expect(desired.zones.map((z) => z.name)).toEqual(["beside.example"]);
    expect(desired.inputs?.sources.map((s) => s.kind)).toEqual(["terragrunt", "hcl"]);
  });

  describe("a remote source", () => {
    const UNIT = `terraform {
  source = "git::https://example.com/org/modules.git//dns?ref=v1.0.0"
}
inputs = {
  zone = "remote.example"
}
`;

    it("is refused (exit 2) naming it, terragrunt init and a plan", async () => {
      const dir = tfFolder({ "terragrunt.hcl": UNIT });
      const error = await refusal(dir);
      expect(error.file).toBe(join(dir, "terragrunt.hcl"));
      expect(error.path).toBe("terraform.source");
      expect(error.message).toContain("git::https://example.com/org/modules.git//dns?ref=v1.0.0");
      expect(error.message).toContain("terragrunt init");
      expect(error.message).toContain("--plan");
    });

    it("is read from the one copy terragrunt init left in .terragrunt-cache, and listed as such", async () => {
      const dir = tfFolder({
        "terragrunt.hcl": UNIT,
        ".terragrunt-cache/aaa/bbb/dns/variables.tf": MODULE["modules/dns/variables.tf"],
        ".terragrunt-cache/aaa/bbb/dns/main.tf": MODULE["modules/dns/main.tf"],
      });
      const desired = await read(dir);
      expect(desired.zones.map((z) => z.name)).toEqual(["remote.example"]);
      expect(desired.inputs?.sources[1]).toEqual({
        path: join(dir, ".terragrunt-cache/aaa/bbb/dns"),
        kind: "hcl",
      });
      expect(unresolvedAt(desired, "terragrunt.hcl")).toEqual([
        'terraform.source: "git::https://example.com/org/modules.git//dns?ref=v1.0.0" was read from the copy terragrunt init downloaded to .terragrunt-cache/aaa/bbb; it may be older than what the source names now',
      ]);
    });

    it("is refused when .terragrunt-cache holds two copies", async () => {
      const dir = tfFolder({
        "terragrunt.hcl": UNIT,
        ".terragrunt-cache/aaa/bbb/dns/main.tf": MODULE["modules/dns/main.tf"],
        ".terragrunt-cache/ccc/ddd/dns/main.tf": MODULE["modules/dns/main.tf"],
      });
      const error = await refusal(dir);
      expect(error.message).toContain("holds 2 downloaded copies");
    });
  });

  it("refuses what Terragrunt refuses: a missing parent file, a nested include, an undeclared local", async () => {
    const missing = tfFolder({
      "a/terragrunt.hcl": 'include {\n  path = find_in_parent_folders("cfpl-nowhere.hcl")\n}\n',
    });
    expect((await refusal(join(missing, "a"))).message).toContain("no cfpl-nowhere.hcl in any folder above");

    const nested = tfFolder({
      ...MODULE,
      "root.hcl": 'include {\n  path = "other.hcl"\n}\n',
      "other.hcl": "",
      "live/terragrunt.hcl": 'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n',
    });
    const error = await refusal(join(nested, "live"));
    expect(error.file).toBe(join(nested, "root.hcl"));
    expect(error.message).toContain("nested includes");

    const parentOnly = tfFolder({ "terragrunt.hcl": 'inputs = {\n  zone = "example.com"\n}\n' });
    const none = await refusal(parentOnly);
    expect(none.path).toBe("terraform.source");
    expect(none.message).toContain("it has neither");

    const undeclared = tfFolder({ "terragrunt.hcl": "inputs = {\n  zone = local.nope\n}\n" });
    const refused = await refusal(undeclared);
    expect(refused.path).toBe("inputs");
    expect(refused.message).toContain("local.nope is not declared");
  });

  it("lists a value from a function cf-preflight does not run (run_cmd) as unresolved", async () => {
    const repo = tfFolder({
      ...MODULE,
      "live/dns/terragrunt.hcl": `terraform {
  source = "../../modules/dns"
}
inputs = {
  zone = run_cmd("cat", "zone.txt")
}
`,
    });
    const desired = await read(join(repo, "live/dns"));
    expect(unresolvedAt(desired, "terragrunt.hcl")).toEqual([
      "inputs.zone: the function run_cmd() is not evaluated by cf-preflight",
    ]);
  });
});

describe("check --synth on a Terragrunt unit", () => {
  it("checks the module with the unit's inputs: a proxied TXT record is blocked, the sources name the unit and the module", async () => {
    const repo = tfFolder({
      "modules/txt/main.tf": `variable "zone" {
  type = string
}
variable "proxied" {
  type = bool
}
resource "cloudflare_zone" "z" {
  zone       = var.zone
  account_id = "0123456789abcdef0123456789abcdef"
}
resource "cloudflare_record" "spf" {
  zone_id = cloudflare_zone.z.id
  name    = "@"
  type    = "TXT"
  value   = "v=spf1 -all"
  proxied = var.proxied
}
`,
      "live/txt/terragrunt.hcl": `terraform {
  source = "../../modules/txt"
}
inputs = {
  zone    = "example.com"
  proxied = true
}
`,
    });
    const run = await runCli([
      "check",
      "--synth",
      join(repo, "live/txt"),
      "--no-live",
      "--no-probes",
      "--format",
      "json",
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.findings.map((f: { rule: string }) => f.rule)).toEqual(["proxied-type-not-proxiable"]);
    expect(report.inputs.sources).toEqual([
      { path: join(repo, "live/txt/terragrunt.hcl"), kind: "terragrunt" },
      { path: join(repo, "modules/txt"), kind: "hcl" },
    ]);
  });

  it("exits 2 on a registry source, naming it, and writes no report", async () => {
    const dir = tfFolder({
      "terragrunt.hcl": 'terraform {\n  source = "tfr:///cloudflare/dns/cloudflare?version=1.0.0"\n}\n',
    });
    const out = join(dir, "report.json");
    const run = await runCli(["check", "--synth", dir, "--no-live", "--no-probes", "--output", out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("tfr:///cloudflare/dns/cloudflare?version=1.0.0");
    expect(run.stderr).toContain("terragrunt init");
    expect(run.stdout).toBe("");
    expect(existsSync(out)).toBe(false);
  });
});
