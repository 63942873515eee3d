import { describe, expect, it } from "vitest";
import { readDesiredSources } from "../../checks/desired/read.js";
import { known } from "../../checks/model/value.js";
import { evaluateIn, tfFolder, whyUnknown } from "./tf-folder.js";

/**
 * Attributes a configuration reads from resources and data sources but does not set: the
 * provider computes them, so they are unknown with a reason that says so (never "Terraform would
 * refuse it"), and the same data source read the same way is one value wherever it is read.
 */
describe("attributes the provider computes", () => {
  const dir = tfFolder({
    "main.tf": `
resource "aws_apigatewayv2_domain_name" "api" {
  domain_name = "api.example.org"
  domain_name_configuration {
    endpoint_type = "REGIONAL"
  }
}
data "aws_ssm_parameter" "zone" {
  name = "/cloudflare/zone_id"
}
locals {
  settings = { proxied = true }
}
resource "aws_instance" "web" {
  tags = local.settings
}
resource "cloudflare_record" "api" {
  zone_id = "0123456789abcdef0123456789abcdef"
  name    = "api"
  type    = "CNAME"
  value   = aws_apigatewayv2_domain_name.api.domain_name_configuration[0].target_domain_name
  proxied = local.settings.proxied
}
`,
  });

  it("answers a computed attribute inside a nested block as known after apply, naming the resource", async () => {
    const [value, set] = await evaluateIn(
      dir,
      "${aws_apigatewayv2_domain_name.api.domain_name_configuration[0].target_domain_name}",
      "${aws_apigatewayv2_domain_name.api.domain_name_configuration[0].endpoint_type}",
    );
    expect(whyUnknown(value)).toBe("known after apply");
    expect(set).toBe("REGIONAL");
    const desired = await readDesiredSources({ synth: dir });
    expect(desired.inputs!.unresolved).toContainEqual({
      address: "cloudflare_record.api",
      attribute: "value",
      why: "known after apply",
    });
  });

  it("says a data source's attribute is read when Terraform plans", async () => {
    const [value] = await evaluateIn(dir, "${data.aws_ssm_parameter.zone.value}");
    expect(whyUnknown(value)).toBe(
      "data.aws_ssm_parameter.zone is read from its provider when Terraform plans; only a plan knows the value",
    );
  });

  it("does not make a missing key of a local that a resource also holds unknown: try() still falls back", async () => {
    const [tags, local] = await evaluateIn(
      dir,
      "${aws_instance.web.tags.ttl}",
      '${try(local.settings.ttl, "auto")}',
    );
    expect(whyUnknown(tags)).toBe("known after apply");
    expect(local).toBe("auto");
  });
});

describe("a zone id read through the same data source in several module instances", () => {
  const module = `
variable "name" {}
variable "parameter" {
  default = "/cloudflare/zone_id"
}
data "aws_ssm_parameter" "zone" {
  name = var.parameter
}
resource "cloudflare_record" "this" {
  zone_id = data.aws_ssm_parameter.zone.value
  name    = var.name
  type    = "TXT"
  value   = "v=spf1 -all"
}
`;

  it("is one zone when the data source is read with the same arguments", async () => {
    const dir = tfFolder({
      "record/main.tf": module,
      "main.tf":
        'module "a" {\n  source = "./record"\n  name = "a"\n}\nmodule "b" {\n  source = "./record"\n  name = "b"\n}\n',
    });
    const desired = await readDesiredSources({ synth: dir });
    expect(desired.zones).toHaveLength(1);
    expect(desired.zones[0]!.records.map((r) => r.fqdn).sort()).toEqual(["a", "b"]);
    expect(known(desired.zones[0]!.id)).toBeUndefined();
  });

  it("stays two zones when the arguments differ, or a module call passes its own provider", async () => {
    const differing = tfFolder({
      "record/main.tf": module,
      "main.tf":
        'module "a" {\n  source = "./record"\n  name = "a"\n}\nmodule "b" {\n  source = "./record"\n  name = "b"\n  parameter = "/cloudflare/other_zone_id"\n}\n',
    });
    expect((await readDesiredSources({ synth: differing })).zones).toHaveLength(2);
    const otherProvider = tfFolder({
      "record/main.tf": module,
      "main.tf":
        'provider "aws" {\n  alias = "eu"\n}\nmodule "a" {\n  source = "./record"\n  name = "a"\n}\nmodule "b" {\n  source = "./record"\n  name = "b"\n  providers = { aws = aws.eu }\n}\n',
    });
    expect((await readDesiredSources({ synth: otherProvider })).zones).toHaveLength(2);
  });
});
