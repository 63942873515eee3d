import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedZoneFromDesired } from "../../checks/demo/seed.js";
import { readDesired } from "../../checks/desired/read.js";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import { runCli } from "../helpers/run-cli.js";
import { synthExample } from "../helpers/synth.js";

const TOKEN = "tok-SECRET-e2e-7f3a9c";

describe("check and drift against the API emulator, over HTTP with the real SDK", () => {
  const out = synthExample();
  let emulator: Emulator;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    const zone = seedZoneFromDesired((await readDesired(out)).zones[0]!, "strict");
    const www = zone.records.find((r) => r.name === "www.example.com" && r.type === "A")!;
    www.content = "192.0.2.99";
    emulator = await startEmulator({ token: TOKEN, seed: { zones: [zone] } });
    env = { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_BASE_URL: emulator.url };
  });
  afterAll(async () => {
    await emulator.close();
  });

  it("check reads the live zone, reports the drift, and sends only GET requests", async () => {
    emulator.clearRequests();
    const run = await runCli(["check", "--synth", out, "--no-probes", "--format", "json"], { env });
    expect(run.stderr).not.toContain("could not verify");
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.coverage.live).toBe(true);
    expect(report.drift.dns).toEqual([
      expect.objectContaining({
        action: "update",
        fqdn: "www.example.com",
        fields: [{ field: "content", from: "192.0.2.99", to: "192.0.2.10" }],
      }),
    ]);
    expect(new Set(emulator.requests().map((r) => r.method))).toEqual(new Set(["GET"]));
  });

  it("drift exits 4 and renders a Markdown table per zone", async () => {
    emulator.clearRequests();
    const run = await runCli(["drift", "--synth", out, "--format", "markdown"], { env });
    expect(run.code).toBe(4);
    expect(run.stdout).toContain("### Drift in example.com");
    expect(run.stdout).toMatch(/\| update \| A \| www\.example\.com \|/);
    expect(new Set(emulator.requests().map((r) => r.method))).toEqual(new Set(["GET"]));
  });

  it("drift exits 0 when the zone matches the code", async () => {
    const clean = await startEmulator({
      token: TOKEN,
      seed: { zones: [seedZoneFromDesired((await readDesired(out)).zones[0]!, "strict")] },
    });
    try {
      const run = await runCli(["drift", "--synth", out, "--format", "json"], {
        env: { ...env, CLOUDFLARE_API_BASE_URL: clean.url },
      });
      expect(JSON.parse(run.stdout).drift.dns).toEqual([]);
      expect(run.code).toBe(0);
    } finally {
      await clean.close();
    }
  });

  it("a token the API refuses ends in exit 3 naming the problem, never in a clean report", async () => {
    const run = await runCli(["check", "--synth", out, "--no-probes", "--format", "json"], {
      env: { ...env, CLOUDFLARE_API_TOKEN: "tok-SECRET-wrong-1234" },
    });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("could not verify");
  });

  it("with --allow-unverified the run goes on and says what it could not verify", async () => {
    const run = await runCli(
      ["check", "--synth", out, "--no-probes", "--allow-unverified", "--format", "json"],
      {
        env: { ...env, CLOUDFLARE_API_BASE_URL: "http://127.0.0.1:9/client/v4" },
      },
    );
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.coverage.live).toBe(false);
    expect(report.findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ rule: "live-unverified", status: "unknown" })]),
    );
  });

  it("a missing token is a configuration error (exit 2)", async () => {
    const run = await runCli(["check", "--synth", out, "--no-probes"], {
      env: { CLOUDFLARE_API_BASE_URL: emulator.url },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("CLOUDFLARE_API_TOKEN is not set");
  });
});
