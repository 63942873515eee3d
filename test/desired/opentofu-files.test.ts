import { describe, expect, it } from "vitest";
import { readDesired } from "../../checks/desired/read.js";
import { configurationFiles } from "../../checks/desired/sources/terraform-folder.js";
import { tfFolder } from "./tf-folder.js";

const record = (name: string, address: string) =>
  `resource "cloudflare_dns_record" "${name}" {\n  zone_id = "d34404fdefd6e0cbae3f0cb90e04fd2c"\n  name    = "${name}.example.com"\n  type    = "A"\n  content = "${address}"\n  ttl     = 1\n}\n`;

describe("OpenTofu configuration files", () => {
  it("reads a folder of .tofu files (OpenTofu loads them as Terraform loads .tf)", async () => {
    const dir = tfFolder({
      "main.tofu": record("www", "198.18.0.1"),
      "mail.tofu": record("mail", "198.18.0.2"),
    });
    const desired = await readDesired(dir);
    expect(desired.zones.flatMap((z) => z.records.map((r) => r.fqdn)).sort()).toEqual([
      "mail.example.com",
      "www.example.com",
    ]);
  });

  it("reads .tofu.json beside .tf", async () => {
    const json = {
      resource: {
        cloudflare_dns_record: {
          api: {
            zone_id: "d34404fdefd6e0cbae3f0cb90e04fd2c",
            name: "api.example.com",
            type: "A",
            content: "198.18.0.3",
            ttl: 1,
          },
        },
      },
    };
    const dir = tfFolder({ "main.tf": record("www", "198.18.0.1"), "api.tofu.json": JSON.stringify(json) });
    const desired = await readDesired(dir);
    expect(desired.zones.flatMap((z) => z.records.map((r) => r.fqdn)).sort()).toEqual([
      "api.example.com",
      "www.example.com",
    ]);
  });

  it("loads x.tofu instead of x.tf when both are present, as OpenTofu does", async () => {
    const dir = tfFolder({
      "main.tf": record("www", "198.18.0.1"),
      "main.tofu": record("www", "198.18.0.9"),
    });
    const desired = await readDesired(dir);
    const records = desired.zones.flatMap((z) => z.records);
    expect(records.map((r) => r.content)).toEqual(["198.18.0.9"]);
  });

  it("selects files by OpenTofu's precedence, JSON and override files included", () => {
    expect(
      configurationFiles([
        "a.tf",
        "a.tofu",
        "b.tf.json",
        "b.tofu.json",
        "c.tf",
        "c.tofu.json",
        "x_override.tf",
        "x_override.tofu",
        "notes.md",
        "terraform.tfvars",
      ]),
    ).toEqual(["a.tofu", "b.tofu.json", "c.tf", "c.tofu.json", "x_override.tofu"]);
  });
});
