import { CloudflareProvider } from "@cdktf/provider-cloudflare/lib/provider/index.js";
import { TerraformStack } from "cdktf";
import { ExampleStack } from "../../stacks/example.js";
import { synthGated } from "../../stacks/gate.js";
import { CloudflareSite } from "../../stacks/site.js";

/**
 * The app the end-to-end gate tests deploy with the real cdktf CLI: the example stack, plus (with
 * GATE_FIXTURE=failing) a proxied TXT record that the API would refuse (9004).
 */
await synthGated((app) => {
  if (process.env.GATE_FIXTURE === "failing") {
    const stack = new TerraformStack(app, "example");
    new CloudflareProvider(stack, "cloudflare", {});
    new CloudflareSite(stack, "site", {
      zone: "example.com",
      sslMode: "strict",
      records: [{ name: "@", type: "TXT", content: "v=spf1 -all", proxied: true }],
    });
  } else new ExampleStack(app, "example");
});
