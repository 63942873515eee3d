import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDesiredSources } from "../../checks/desired/read.js";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import { known } from "../../checks/model/value.js";
import { runCli } from "../helpers/run-cli.js";

const TOKEN = "tok-zone-identity-5b1e";
const ZONE_ID = "0f3c2a9b8d7e6f5a4b3c2d1e0f9a8b7c";

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "cfpl-zone-id-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** Records under a literal zone id: one written with a full name, one relative to the zone. */
const LITERAL_ID = folder({
  "main.tf": `
resource "cloudflare_record" "www" {
  zone_id = "${ZONE_ID}"
  name    = "www.example.org"
  type    = "A"
  value   = "203.0.113.10"
  proxied = true
}
resource "cloudflare_record" "api" {
  zone_id = "${ZONE_ID}"
  name    = "api"
  type    = "A"
  value   = "203.0.113.11"
  proxied = true
}
resource "cloudflare_zone_settings_override" "s" {
  zone_id = "${ZONE_ID}"
  settings { ssl = "flexible" }
}
`,
});

describe("zone identity", () => {
  it("joins a zone spread over modules and files into one (same data source, same name)", async () => {
    const dir = folder({
      "zone.tf": `data "cloudflare_zone" "z" {\n  name = "example.org"\n}\n`,
      "root.tf": `resource "cloudflare_record" "apex" {\n  zone_id = data.cloudflare_zone.z.id\n  name = "@"\n  type = "A"\n  value = "192.0.2.1"\n}\nmodule "mail" {\n  source = "./mail"\n  zone_id = data.cloudflare_zone.z.id\n}\n`,
      "mail/main.tf": `variable "zone_id" {}\nresource "cloudflare_record" "mx" {\n  zone_id = var.zone_id\n  name = "@"\n  type = "MX"\n  value = "mx.example.net"\n  priority = 10\n}\n`,
    });
    const desired = await readDesiredSources({ synth: dir });
    expect(desired.zones).toHaveLength(1);
    expect(desired.zones[0]!.name).toBe("example.org");
    expect(desired.zones[0]!.records.map((r) => `${r.type} ${r.fqdn} ${r.source?.address}`).sort()).toEqual([
      "A example.org cloudflare_record.apex",
      "MX example.org module.mail.cloudflare_record.mx",
    ]);
  });

  it("never takes an expression for a zone name, and lists it as unresolved", async () => {
    const dir = folder({
      "main.tf": `variable "zone_id" {}\nlocals { zone_name = "example.org" }\nresource "cloudflare_record" "www" {\n  zone_id = var.zone_id\n  name = "www.\${local.zone_name}"\n  type = "A"\n  value = "192.0.2.1"\n}\n`,
    });
    const desired = await readDesiredSources({ synth: dir });
    expect(desired.zones).toHaveLength(1);
    expect(known(desired.zones[0]!.name)).toBeUndefined();
    expect(known(desired.zones[0]!.id)).toBeUndefined();
    expect(desired.zones[0]!.records[0]!.fqdn).toBe("www.example.org");
    expect(desired.inputs!.unresolved).toContainEqual({
      address: "cloudflare_record.www",
      attribute: "zone_id",
      why: expect.stringContaining("variable zone_id has no value"),
    });
  });

  it("offline, a literal zone id is 'zone <id>' and its records with full names are still probed", async () => {
    const run = await runCli([
      "check",
      "--synth",
      LITERAL_ID,
      "--no-live",
      "--format",
      "json",
      "--connect-timeout",
      "2",
      "--connect-to",
      "www.example.org:80:127.0.0.1:9",
    ]);
    const report = JSON.parse(run.stdout);
    expect(report.inputs.zones).toEqual([
      expect.objectContaining({
        name: null,
        id: ZONE_ID,
        records: { total: 2, byType: { A: 2 } },
        sslMode: "flexible",
      }),
    ]);
    // www is probed (port 9 on loopback refuses: 521); api's name needs the zone's name: unknown.
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        rule: "origin-tcp",
        predicts: "521",
        subject: expect.objectContaining({ hostname: "www.example.org" }),
      }),
    );
    expect(report.inputs.unresolved).toContainEqual(
      expect.objectContaining({ address: "cloudflare_record.api", attribute: "name" }),
    );
    expect(run.code).toBe(1);
  });

  describe("with live state", () => {
    let emulator: Emulator;
    beforeAll(async () => {
      emulator = await startEmulator({
        token: TOKEN,
        seed: {
          zones: [
            {
              id: ZONE_ID,
              name: "example.org",
              ssl: "flexible",
              records: [
                { name: "www.example.org", type: "A", content: "203.0.113.10", proxied: true },
                { name: "api.example.org", type: "A", content: "203.0.113.11", proxied: true },
              ],
            },
          ],
        },
      });
    });
    afterAll(() => emulator.close());

    it("names the zone through GET /zones/{id} and qualifies relative names with it", async () => {
      emulator.clearRequests();
      const run = await runCli(["check", "--synth", LITERAL_ID, "--no-probes", "--format", "json"], {
        env: { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_BASE_URL: emulator.url },
      });
      expect(run.stderr).not.toContain("could not verify");
      const report = JSON.parse(run.stdout);
      expect(report.inputs.zones).toEqual([expect.objectContaining({ name: "example.org", id: ZONE_ID })]);
      expect(report.drift.dns).toEqual([]);
      expect(report.inputs.unresolved).toEqual([]);
      expect(emulator.requests().some((r) => r.path.endsWith(`/zones/${ZONE_ID}`))).toBe(true);
      expect(run.code).toBe(0);
    });
  });
});
