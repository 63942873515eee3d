import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { PROJECT_ROOT } from "../helpers/synth.js";
import { writeTfJson, zoneWithRecords } from "../helpers/tf-json.js";
import { ORIGIN_ENTRYPOINT, RECORDS } from "./fault-api/data.js";
import { PASSWORD, SCENARIOS, type Scenario, TOKEN, TOKEN_PIECES } from "./fault-api/scenarios.js";
import { expectNoSecret } from "./fault-api/secrets.js";
import { envelope, FaultApi, json } from "./fault-api/server.js";

/**
 * The real CLI over a faulty API: `check` (and `drift`) must exit 3, write no report claiming a
 * verdict, and print no token or piece of it; a bad base URL is exit 2 at once. The CLI's own
 * output scrubber is switched off here, so what is proved is that the secret never reaches it.
 */

let api: FaultApi;
let synth: string;
const first = RECORDS[0]!;

beforeAll(async () => {
  api = await FaultApi.start(TOKEN);
  synth = writeTfJson(
    zoneWithRecords({
      h0: { name: first.name, type: "A", content: first.content, proxied: false, ttl: 300 },
    }),
  );
});
afterAll(async () => {
  await api?.close();
});

function scenario(name: string): Scenario {
  const found = SCENARIOS.find((s) => s.name === name);
  if (!found) throw new Error(`no scenario named ${name}`);
  return found;
}

function outputFile(): string {
  return join(mkdtempSync(join(tmpdir(), "cfpl-api-cli-")), "report.json");
}

function env(baseURL = api.url): NodeJS.ProcessEnv {
  return { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_BASE_URL: baseURL };
}

const FAIL_CLOSED = [
  "DNS record list answers HTTP 200 with an HTML page",
  "DNS record list answers HTTP 200 with success:false",
  "no totals and an empty page in the middle (3 of 9 records)",
  "/ips with an empty IPv4 list",
  "/ips with an empty IPv6 list",
  "an endless list: total_count and total_pages grow with every page",
  "an HTTP 403 whose error message echoes 8- to 16-character pieces of the token",
  "HTTP 200 success:false echoing pieces of the token",
];

describe("check --no-probes --format json --output F over a faulty API", () => {
  for (const name of FAIL_CLOSED) {
    it(`exits 3 with no report and no secret: ${name}`, async () => {
      const { fault, expect: expected } = scenario(name);
      api.reset(fault);
      const out = outputFile();
      const run = await runCli(
        ["check", "--no-probes", "--synth", synth, "--format", "json", "--output", out],
        {
          env: env(),
          scrub: false,
        },
      );
      expect(run.code).toBe(3);
      expect(existsSync(out)).toBe(false);
      expect(run.stdout).not.toMatch(/"summary"|OK|BLOCKED/);
      expect(run.stderr).toContain("could not verify");
      expect(run.stderr).toContain(expected.names);
      expect(run.stderr).toMatch(expected.problem);
      expectNoSecret(run.stdout, "stdout");
      expectNoSecret(run.stderr, "stderr");
    });
  }

  it("a body trickling past --api-timeout 1 ends the run in about a second, exit 3", async () => {
    api.reset(scenario("a DNS record page trickling one byte every 50 ms").fault);
    const out = outputFile();
    const started = performance.now();
    const run = await runCli(
      ["check", "--no-probes", "--api-timeout", "1", "--synth", synth, "--format", "json", "--output", out],
      { env: env(), scrub: false },
    );
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/time allowed for reading live state \(1 s\) ran out/);
    expect(existsSync(out)).toBe(false);
    await expect.poll(() => api.open, { timeout: 1_000 }).toBe(0);
  });

  it("drift exits 3 on an HTML page instead of listing every record as a create", async () => {
    api.reset(scenario("DNS record list answers HTTP 200 with an HTML page").fault);
    const out = outputFile();
    const run = await runCli(["drift", "--synth", synth, "--format", "json", "--output", out], {
      env: env(),
      scrub: false,
    });
    expect(run.code).toBe(3);
    expect(existsSync(out)).toBe(false);
    expect(run.stdout).not.toContain("create");
  });

  it("reads a healthy API and writes the report (the same run, no fault)", async () => {
    api.reset();
    const out = outputFile();
    const run = await runCli(
      ["check", "--no-probes", "--synth", synth, "--format", "json", "--output", out],
      {
        env: env(),
        scrub: false,
      },
    );
    expect(run.code).not.toBe(3);
    expect(run.code).not.toBe(2);
    expect(existsSync(out)).toBe(true);
    expect(api.requestsTo("dnsRecords").length).toBeGreaterThan(0);
  });
});

describe("the base URL", () => {
  it("with a password: exit 2 at once, the password nowhere", async () => {
    api.reset();
    const out = outputFile();
    const run = await runCli(
      ["check", "--no-probes", "--synth", synth, "--format", "json", "--output", out],
      {
        env: env(api.url.replace("http://", `http://deploy:${PASSWORD}@`)),
        scrub: false,
      },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("CLOUDFLARE_API_BASE_URL");
    expect(run.stderr).toContain("http://127.0.0.1");
    expectNoSecret(run.stdout + run.stderr, "output");
    expect(existsSync(out)).toBe(false);
    expect(api.requests).toHaveLength(0);
  });

  for (const bad of [
    "http://127.0.0.1:port/client/v4",
    "file:///etc/passwd",
    "api.cloudflare.com/client/v4",
  ]) {
    it(`malformed (${bad}): exit 2 at once, no retries`, async () => {
      const started = performance.now();
      const run = await runCli(["check", "--no-probes", "--synth", synth, "--format", "json"], {
        env: env(bad),
        scrub: false,
      });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/CLOUDFLARE_API_BASE_URL: expected an http:\/\/ or https:\/\/ URL/);
      expect(performance.now() - started).toBeLessThan(1_000);
    });
  }

  it("--api-timeout must be a number of seconds", async () => {
    const run = await runCli(["check", "--no-probes", "--api-timeout", "0", "--synth", synth], {
      env: env(),
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--api-timeout: expected a number of seconds");
  });
});

/** Run the CLI as a child process (TypeScript through tsx), without blocking the stand-in. */
function runChild(
  args: readonly string[],
  childEnv: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(PROJECT_ROOT, "checks", "cli.ts"), ...args],
      {
        cwd: PROJECT_ROOT,
        env: { PATH: process.env.PATH, ...childEnv },
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("CLOUDFLARE_LOG=debug", () => {
  it("sends the SDK's log to stderr, scrubbed, and leaves stdout to the report", async () => {
    // The debug log quotes every answer's body; this one echoes pieces of the token.
    api.reset((ctx) =>
      ctx.endpoint === "originRules"
        ? json(200, envelope({ ...ORIGIN_ENTRYPOINT, description: `rotated from ${TOKEN_PIECES[2]}` }))
        : undefined,
    );
    const run = await runChild(["check", "--no-probes", "--synth", synth, "--format", "json"], {
      ...env(),
      CLOUDFLARE_LOG: "debug",
    });
    expect(run.code === 0 || run.code === 1, run.stderr).toBe(true);
    const report = JSON.parse(run.stdout);
    expect(report.coverage.live).toBe(true);
    expect(run.stderr).toMatch(/cloudflare sdk debug: \[log_\w+\] sending request/);
    expect(run.stderr).toContain("[a log line quoting part of the API token was withheld]");
    expectNoSecret(run.stdout, "stdout");
    expectNoSecret(run.stderr, "stderr");
  }, 30_000);
});
