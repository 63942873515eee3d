import { describe, expect, it } from "vitest";
import { readDesiredSources } from "../../checks/desired/read.js";
import { tfFolder } from "./tf-folder.js";

/** Resources that change how the edge reaches an origin but are not modelled are unknown, never ignored. */
describe("edge resources not modelled", () => {
  it("lists the 4.x cloudflare_workers_domain (a Worker custom domain) as not understood", async () => {
    const dir = tfFolder({
      "main.tf": `
resource "cloudflare_workers_domain" "apex" {
  account_id = "0123456789abcdef0123456789abcdef"
  zone_id    = "fedcba9876543210fedcba9876543210"
  hostname   = "example.org"
  service    = "site"
}
`,
    });
    const desired = await readDesiredSources({ synth: dir });
    expect(desired.inputs!.unresolved).toContainEqual({
      address: "cloudflare_workers_domain.apex",
      attribute: "(resource)",
      why: expect.stringContaining("does not model it yet"),
    });
    expect(desired.inputs!.ignored).not.toHaveProperty("cloudflare_workers_domain");
  });
});
