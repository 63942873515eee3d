import { describe, expect, it } from "vitest";
import { readDesiredSources } from "../../checks/desired/read.js";
import { InputError } from "../../checks/errors.js";
import { tfFolder } from "./tf-folder.js";

/**
 * A reusable module run as the root, or a stack whose variables default to nothing, declares
 * Cloudflare resources with no instance: Terraform plans it (nothing to do), so it is read — no
 * zones, no records — rather than refused as "declares nothing" (found by the sweep).
 */
describe("Cloudflare resources with no instance", () => {
  it("reads a for_each over an empty default as zero records", async () => {
    const dir = tfFolder({
      "main.tf": `
variable "records" {
  type    = any
  default = []
}
resource "cloudflare_record" "records" {
  for_each = { for r in var.records : r.name => r }
  zone_id  = each.value.zone_id
  name     = each.value.name
  type     = each.value.type
  value    = each.value.value
}
`,
    });
    const desired = await readDesiredSources({ synth: dir });
    expect(desired.zones).toEqual([]);
    expect(desired.inputs!.unresolved).toEqual([]);
  });

  it("still refuses a configuration without any Cloudflare resource", async () => {
    const dir = tfFolder({ "main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n' });
    await expect(readDesiredSources({ synth: dir })).rejects.toThrow(InputError);
  });
});
