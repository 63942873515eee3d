import { sep } from "node:path";
import { describe, expect, it } from "vitest";
import {
  loadTerraformFolder,
  loadTerraformJsonDocument,
} from "../../checks/desired/sources/terraform-folder.js";
import { InputError } from "../../checks/errors.js";
import { tfFolder } from "./tf-folder.js";

/** The InputError a folder is refused with (Terraform refuses a name declared twice in one module). */
async function refusal(files: Record<string, string>): Promise<InputError> {
  const dir = tfFolder(files);
  const error = await loadTerraformFolder(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe("a name declared twice in one module", () => {
  const cases: [string, string][] = [
    ["variable", 'variable "zone" {\n  default = "a"\n}\n'],
    ["local", 'locals {\n  zone = "a"\n}\n'],
    ["module", 'module "dns" {\n  source = "./m"\n}\n'],
    ["output", 'output "zone" {\n  value = "a"\n}\n'],
    [
      "resource",
      'resource "cloudflare_record" "www" {\n  zone_id = "x"\n  name = "www"\n  type = "A"\n  value = "198.18.0.1"\n}\n',
    ],
  ];
  for (const [kind, block] of cases) {
    it(`is refused for a ${kind}, naming both files`, async () => {
      const error = await refusal({ "a.tf": block, "b.tf": block, "m/main.tf": "" });
      expect(error.message).toContain("declared once");
      // The second file is the one refused; the first is named as where it is also declared.
      expect(error.file?.endsWith(`${sep}b.tf`)).toBe(true);
      expect(error.message).toMatch(new RegExp(`also declared in \\S*\\${sep}a\\.tf`));
    });
  }

  it("is not refused when the names differ", async () => {
    const dir = tfFolder({
      "a.tf": 'output "one" {\n  value = "a"\n}\n',
      "b.tf": 'output "two" {\n  value = "b"\n}\n',
    });
    const tree = await loadTerraformFolder(dir);
    expect(tree).toBeDefined();
  });

  it("is refused when labels with dots give two resources one address, in one JSON document", async () => {
    // Type "cloudflare_record" named "www.v" and type "cloudflare_record.www" named "v" are both
    // cloudflare_record.www.v: one would silently replace the other (and its DNS record).
    const document = {
      resource: {
        cloudflare_record: { "www.v": { zone_id: "x", name: "www", type: "A", value: "198.18.0.1" } },
        "cloudflare_record.www": { v: { x: 1 } },
      },
    };
    const error = await loadTerraformJsonDocument(document, "/stack/cdk.tf.json").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain("cloudflare_record.www.v declared once");
  });

  it("is refused when a managed type named data gives a data source's address, across files", async () => {
    const error = await refusal({
      "a.tf.json": JSON.stringify({ data: { cloudflare_zone: { main: { name: "example.com" } } } }),
      "b.tf.json": JSON.stringify({ resource: { data: { "cloudflare_zone.main": { x: 1 } } } }),
    });
    expect(error.message).toContain("data.cloudflare_zone.main declared once");
    expect(error.file?.endsWith(`${sep}b.tf.json`)).toBe(true);
  });
});
