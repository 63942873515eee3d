import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeHostnameTarget, normalizeName } from "../../checks/diff/cloudflare-normalize.js";
import { diffRecords } from "../../checks/diff/records.js";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import { record } from "../diff/helpers.js";
import { runCli } from "../helpers/run-cli.js";

/**
 * Internationalised names: Cloudflare's API stores and returns every record name in Punycode,
 * whatever was written (checked 2026-11-30). Code that writes `bücher.example.com` manages the
 * live record `xn--bcher-kva.example.com`: the same record, not a delete and a create.
 */

describe("names in Unicode and in Punycode", () => {
  it("normalise to the Punycode the API returns, names and host name targets alike", () => {
    expect(normalizeName("BÜCHER.Example.com.")).toBe("xn--bcher-kva.example.com");
    expect(normalizeName("*.bücher.example.com")).toBe("*.xn--bcher-kva.example.com");
    expect(normalizeName("_dmarc.bücher.example.com")).toBe("_dmarc.xn--bcher-kva.example.com");
    expect(normalizeHostnameTarget("Shop.Bücher.Example.")).toBe("shop.xn--bcher-kva.example");
    // ASCII names are untouched; what cannot be converted stays as written.
    expect(normalizeName("www.example.com")).toBe("www.example.com");
    expect(normalizeName("b\u00fccher example.com")).toBe("b\u00fccher example.com");
  });

  it("pair a record written in Unicode with the live one in Punycode", () => {
    const desired = [
      record("bücher.example.com", "A", "192.0.2.1"),
      record("shop.example.com", "CNAME", "bücher.example.com"),
    ];
    const live = [
      record("xn--bcher-kva.example.com", "A", "192.0.2.1"),
      record("shop.example.com", "CNAME", "xn--bcher-kva.example.com"),
    ];
    expect(diffRecords("example.com", desired, live)).toEqual([]);
  });
});

const TOKEN = "tok-idn-names-5b1e";
let dir: string;
let emulator: Emulator;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cfpl-idn-"));
  emulator = await startEmulator({
    token: TOKEN,
    seed: {
      zones: [
        {
          name: "bücher.example",
          ssl: "full",
          records: [
            { name: "bücher.example", type: "A", content: "192.0.2.1", proxied: true, ttl: 1 },
            { name: "www", type: "CNAME", content: "bücher.example", proxied: true, ttl: 1 },
            { name: "café", type: "A", content: "192.0.2.3", proxied: false, ttl: 300 },
          ],
        },
      ],
    },
  });
});

afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("drift over a zone with an internationalised name (the emulator stores Punycode, as the API)", () => {
  it("finds no difference where only the spelling differs, and the one real change", async () => {
    const zoneId = "${data.cloudflare_zone.z.zone_id}";
    const file = join(dir, "main.tf.json");
    writeFileSync(
      file,
      JSON.stringify({
        data: { cloudflare_zone: { z: { filter: { name: "bücher.example" } } } },
        resource: {
          cloudflare_zone_setting: { ssl: { zone_id: zoneId, setting_id: "ssl", value: "full" } },
          cloudflare_dns_record: {
            apex: {
              zone_id: zoneId,
              name: "bücher.example",
              type: "A",
              content: "192.0.2.1",
              proxied: true,
              ttl: 1,
            },
            www: {
              zone_id: zoneId,
              name: "www.bücher.example",
              type: "CNAME",
              content: "bücher.example",
              proxied: true,
              ttl: 1,
            },
            cafe: {
              zone_id: zoneId,
              name: "café.bücher.example",
              type: "A",
              content: "192.0.2.4",
              proxied: false,
              ttl: 300,
            },
          },
        },
      }),
    );
    const run = await runCli(["drift", "--synth", file, "--format", "json"], {
      env: { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_BASE_URL: emulator.url },
    });
    expect(run.stderr).not.toContain("cf-preflight drift:");
    expect(run.code).toBe(4);
    const report = JSON.parse(run.stdout) as {
      drift: { dns: { action: string; fqdn: string; fields: { field: string }[] }[] };
    };
    expect(report.drift.dns.map((c) => [c.action, c.fqdn, c.fields.map((f) => f.field)])).toEqual([
      ["update", "xn--caf-dma.xn--bcher-kva.example", ["content"]],
    ]);
  });
});
