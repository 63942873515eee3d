import { CloudflareProvider } from "@cdktf/provider-cloudflare/lib/provider/index.js";
import { type App, TerraformStack } from "cdktf";
import { ExampleStack } from "../../stacks/example.js";
import { synthGated } from "../../stacks/gate.js";
import { CloudflareSite } from "../../stacks/site.js";

/**
 * The app the end-to-end gate tests deploy with the real cdktf CLI: the example stack, plus (with
 * GATE_FIXTURE=failing) a proxied TXT record that the API would refuse (9004); with
 * GATE_FIXTURE=two-stacks, the example stack beside a stack "other" holding that record; with
 * GATE_FIXTURE=flaky, an app that is not deterministic: a TXT record that names how many times the
 * app was defined in this process.
 */
let definitions = 0;
function failingStack(app: App, id: string): void {
  const stack = new TerraformStack(app, id);
  new CloudflareProvider(stack, "cloudflare", {});
  new CloudflareSite(stack, "site", {
    zone: "example.com",
    sslMode: "strict",
    records: [{ name: "@", type: "TXT", content: "v=spf1 -all", proxied: true }],
  });
}

await synthGated((app) => {
  if (process.env.GATE_FIXTURE === "failing") failingStack(app, "example");
  else if (process.env.GATE_FIXTURE === "two-stacks") {
    new ExampleStack(app, "example");
    failingStack(app, "other");
  } else if (process.env.GATE_FIXTURE === "flaky") {
    definitions += 1;
    const stack = new TerraformStack(app, "example");
    new CloudflareProvider(stack, "cloudflare", {});
    new CloudflareSite(stack, "site", {
      zone: "example.com",
      sslMode: "strict",
      records: [{ name: "build", type: "TXT", content: `definition-${definitions}`, proxied: false }],
    });
  } else new ExampleStack(app, "example");
});
