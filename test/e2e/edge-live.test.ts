import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import { runCli } from "../helpers/run-cli.js";

/**
 * Tunnel routes and per-hostname settings read from the live API (the emulator, over HTTP with the
 * real SDK): tunnels healthy, down, deleted, missing and serving a hostname only through the
 * catch-all; a Configuration Rule read live.
 */
const TOKEN = "tok-edge-live-e41f";
const ACCOUNT = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const ZONE = "0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f";
const T = {
  healthy: "11111111-1111-4111-8111-111111111111",
  down: "22222222-2222-4222-8222-222222222222",
  deleted: "33333333-3333-4333-8333-333333333333",
  missing: "44444444-4444-4444-8444-444444444444",
  catchAll: "55555555-5555-4555-8555-555555555555",
};

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "cfpl-edge-live-"));
  mkdirSync(dir, { recursive: true });
  const records = Object.entries({
    app: T.healthy,
    ops: T.down,
    old: T.deleted,
    gone: T.missing,
    wiki: T.catchAll,
  })
    .map(
      ([name, id]) =>
        `resource "cloudflare_record" "${name}" {\n  zone_id = "${ZONE}"\n  name    = "${name}"\n  type    = "CNAME"\n  value   = "${id}.cfargotunnel.com"\n  proxied = true\n}\n`,
    )
    .join("\n");
  writeFileSync(join(dir, "main.tf"), records);
  return dir;
}

describe("tunnel routes against the live account", () => {
  let emulator: Emulator;
  const dir = folder();
  beforeAll(async () => {
    emulator = await startEmulator({
      token: TOKEN,
      seed: {
        accounts: [
          {
            id: ACCOUNT,
            tunnels: [
              {
                id: T.healthy,
                name: "edge-1",
                status: "healthy",
                ingress: [
                  { hostname: "app.example.com", service: "http://localhost:8080" },
                  { service: "http_status:404" },
                ],
              },
              {
                id: T.down,
                name: "edge-2",
                status: "down",
                ingress: [
                  { hostname: "ops.example.com", service: "http://localhost:9000" },
                  { service: "http_status:404" },
                ],
              },
              { id: T.deleted, name: "edge-3", status: "inactive", deletedAt: "2026-10-01T00:00:00Z" },
              {
                id: T.catchAll,
                name: "edge-5",
                status: "healthy",
                ingress: [{ service: "http_status:404" }],
              },
            ],
          },
        ],
        zones: [
          {
            id: ZONE,
            name: "example.com",
            accountId: ACCOUNT,
            ssl: "full",
            records: [
              {
                name: "app.example.com",
                type: "CNAME",
                content: `${T.healthy}.cfargotunnel.com`,
                proxied: true,
              },
              {
                name: "ops.example.com",
                type: "CNAME",
                content: `${T.down}.cfargotunnel.com`,
                proxied: true,
              },
              {
                name: "old.example.com",
                type: "CNAME",
                content: `${T.deleted}.cfargotunnel.com`,
                proxied: true,
              },
              {
                name: "gone.example.com",
                type: "CNAME",
                content: `${T.missing}.cfargotunnel.com`,
                proxied: true,
              },
              {
                name: "wiki.example.com",
                type: "CNAME",
                content: `${T.catchAll}.cfargotunnel.com`,
                proxied: true,
              },
            ],
          },
        ],
      },
    });
  });
  afterAll(() => emulator.close());

  it("predicts 1033 for tunnels down, deleted and missing; warns for the catch-all; passes the healthy one", async () => {
    const run = await runCli(["check", "--synth", dir, "--no-probes", "--format", "json"], {
      env: { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_BASE_URL: emulator.url },
    });
    expect(run.stderr).not.toContain("could not verify");
    const report = JSON.parse(run.stdout);
    const tunnel = report.findings
      .filter((f: { rule: string }) => f.rule === "tunnel-route")
      .map(
        (f: { subject: { hostname: string }; status: string; predicts: string | null; message: string }) => [
          f.subject.hostname,
          f.status,
          f.predicts,
        ],
      )
      .sort();
    expect(tunnel).toEqual([
      ["app.example.com", "pass", null],
      ["gone.example.com", "fail", "1033"],
      ["old.example.com", "fail", "1033"],
      ["ops.example.com", "fail", "1033"],
      ["wiki.example.com", "pass", null],
      ["wiki.example.com", "warn", null],
    ]);
    // A tunnel route is never resolved through DNS: no 1016 for cfargotunnel.com names.
    expect(report.findings.some((f: { predicts: string | null }) => f.predicts === "1016")).toBe(false);
    expect(run.code).toBe(1);
  });
});
