import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import { runCli } from "../helpers/run-cli.js";
import { tfFolder } from "./tf-folder.js";

/**
 * `lifecycle { ignore_changes = [content] }`: Terraform never updates that attribute of an existing
 * object, so after the deploy the record keeps what the live zone has, whatever the configuration
 * says (developer.hashicorp.com/terraform/language/meta-arguments/lifecycle, checked 2026-11-30).
 * Read from a folder without state, the value is not known: it must be unresolved, never taken from
 * the configuration (a route predicted for an address Terraform will not set, a drift Terraform will
 * never correct).
 */
const TOKEN = "tok-AUDIT2-lifecycle-41aa";
const ZONE_ID = "3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f80";

function folder(lifecycle: string): string {
  return tfFolder({
    "main.tf": `resource "cloudflare_dns_record" "www" {
  zone_id = "${ZONE_ID}"
  name    = "www.example.com"
  type    = "A"
  content = "203.0.113.99"
  proxied = true
  ttl     = 1
${lifecycle}}
`,
  });
}

describe("lifecycle ignore_changes in a Terraform folder", () => {
  let emulator: Emulator;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    emulator = await startEmulator({
      token: TOKEN,
      seed: {
        zones: [
          {
            id: ZONE_ID,
            name: "example.com",
            ssl: "full",
            records: [{ name: "www.example.com", type: "A", content: "203.0.113.10", proxied: true }],
          },
        ],
      },
    });
    env = { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_BASE_URL: emulator.url };
  });
  afterAll(async () => {
    await emulator.close();
  });

  it("without it, the configuration's content is the desired one (the control)", async () => {
    const run = await runCli(["check", "--synth", folder(""), "--no-probes", "--format", "json"], { env });
    const report = JSON.parse(run.stdout);
    expect(report.inputs.unresolved).toEqual([]);
    expect(report.drift.dns).toEqual([
      expect.objectContaining({
        action: "update",
        fields: [{ field: "content", from: "203.0.113.10", to: "203.0.113.99" }],
      }),
    ]);
  });

  it("an ignored attribute is unresolved and counted, not read from the configuration", async () => {
    const dir = folder("  lifecycle {\n    ignore_changes = [content]\n  }\n");
    const run = await runCli(["check", "--synth", dir, "--no-probes", "--format", "json"], { env });
    const report = JSON.parse(run.stdout);
    expect(report.inputs.unresolved).toEqual([
      expect.objectContaining({ address: "cloudflare_dns_record.www", attribute: "content" }),
    ]);
    expect(report.inputs.unresolved[0].why).toContain("ignore_changes");
    expect(report.summary.unknown).toBeGreaterThan(0);
    // The drift names the content as not known, never the configuration's address.
    expect(JSON.stringify(report.drift.dns)).not.toContain("203.0.113.99");
    expect(report.drift.dns).toEqual([
      expect.objectContaining({ action: "update", unresolved: ["content"] }),
    ]);
  });

  it("ignore_changes = all makes every attribute unresolved but the zone it lives in", async () => {
    const dir = folder("  lifecycle {\n    ignore_changes = all\n  }\n");
    const run = await runCli(["check", "--synth", dir, "--no-live", "--no-probes", "--format", "json"]);
    const report = JSON.parse(run.stdout);
    const attributes = report.inputs.unresolved.map((u: { attribute: string }) => u.attribute);
    expect(attributes).toEqual(expect.arrayContaining(["name", "type", "content", "proxied"]));
    expect(attributes).not.toContain("zone_id");
  });
});
