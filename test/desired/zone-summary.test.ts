import { describe, expect, it } from "vitest";
import { readDesiredSources } from "../../checks/desired/read.js";
import { tfFolder } from "./tf-folder.js";

const ZONE_ID = "0123456789abcdef0123456789abcdef";

describe("the inputs summary of a zone", () => {
  it("counts a tunnel whose CNAME has a name not known before apply", async () => {
    const dir = tfFolder({
      "main.tf": `
variable "zone_id" {}
variable "subdomain" {}
resource "cloudflare_zero_trust_tunnel_cloudflared" "home" {
  account_id = "${ZONE_ID}"
  name       = "home"
}
resource "cloudflare_dns_record" "home" {
  zone_id = var.zone_id
  name    = var.subdomain
  type    = "CNAME"
  content = "\${cloudflare_zero_trust_tunnel_cloudflared.home.id}.cfargotunnel.com"
  proxied = true
  ttl     = 1
}
resource "cloudflare_dns_record" "literal" {
  zone_id = var.zone_id
  name    = "\${var.subdomain}-2"
  type    = "CNAME"
  content = "6ff42ae2-765d-4adf-8112-31c55c1551ef.cfargotunnel.com"
  proxied = true
  ttl     = 1
}
`,
    });
    const desired = await readDesiredSources({ synth: dir });
    expect(desired.inputs!.zones).toHaveLength(1);
    expect(desired.inputs!.zones[0]).toMatchObject({ records: { total: 2 }, tunnels: 2 });
  });

  it("lists every name of a zone known only by id as possibly relative, '@' excepted", async () => {
    const dir = tfFolder({
      "main.tf": ["@", "www", "_dmarc.mail", "example.org"]
        .map(
          (name, i) =>
            `resource "cloudflare_record" "r${i}" {\n  zone_id = "${ZONE_ID}"\n  name = "${name}"\n  type = "TXT"\n  value = "x"\n}\n`,
        )
        .join(""),
    });
    const desired = await readDesiredSources({ synth: dir });
    const names = desired.inputs!.unresolved.filter((u) => u.attribute === "name");
    expect(names.map((u) => u.address)).toEqual([
      "cloudflare_record.r1",
      "cloudflare_record.r2",
      "cloudflare_record.r3",
    ]);
    expect(names[0]!.why).toContain('"www" is relative to zone');
    expect(names[1]!.why).toContain('"_dmarc.mail" may be relative to zone');
  });

  it("lists an unknown zone once per resource and attribute, however many settings ask for it", async () => {
    const dir = tfFolder({
      "main.tf": `
variable "zone_id" {
  default = "<Insert Zone ID>"
}
resource "cloudflare_zone_settings_override" "s" {
  zone_id = var.zone_id
  settings {
    ssl             = "full"
    tls_client_auth = "on"
  }
}
`,
    });
    const desired = await readDesiredSources({ synth: dir });
    expect(desired.inputs!.unresolved).toEqual([
      {
        address: "cloudflare_zone_settings_override.s",
        attribute: "zone_id",
        why: expect.stringContaining('gives "<Insert Zone ID>", which is not a zone id'),
      },
    ]);
    expect(desired.inputs!.zones[0]!.sslMode).toBe("full");
  });
});
