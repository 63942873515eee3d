import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DriftScenario,
  expectedChanges,
  liveSeed,
  writeDesiredFile,
} from "../../bench/drift-scenario.js";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import { CHECK_REQUEST_BUDGET, requestLimit } from "../../checks/live/index.js";
import { DRIFT_REQUEST_BUDGET } from "../../checks/live/request-budget.js";
import { runCli } from "../helpers/run-cli.js";

/**
 * Issue 13's request counts for a whole account, end to end through the CLI against the emulator:
 * `drift` reads 2 requests per zone plus a fixed number (zones listed once, then each zone's records
 * and SSL mode, nothing the edge needs); `check` at most 3 per zone on average plus a fixed number.
 * The JSON report says how many requests were made, and the emulator's log agrees.
 */

const TOKEN = "tok-Z9xq-4471-qv";
const ACCOUNT: DriftScenario = { label: "200 zones", zones: 200, recordsPerZone: 5 };

let emulator: Emulator;
let dir: string;
let file: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  emulator = await startEmulator({ token: TOKEN, seed: { zones: liveSeed(ACCOUNT) } });
  dir = mkdtempSync(join(tmpdir(), "cfpl-account-"));
  file = writeDesiredFile(dir, ACCOUNT);
  env = { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_BASE_URL: emulator.url };
});

afterAll(async () => {
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`a ${ACCOUNT.zones}-zone account`, () => {
  it("drift: 2 requests per zone plus a fixed number, and the report counts them", async () => {
    emulator.clearRequests();
    const run = await runCli(["drift", "--synth", file, "--format", "json"], { env });
    expect(run.code).toBe(4);
    const report = JSON.parse(run.stdout);
    expect(report.drift.dns).toHaveLength(expectedChanges(ACCOUNT));
    const log = emulator.requests();
    expect(report.coverage.apiRequests).toBe(log.length);
    // /ips, four pages of the zone listing (50 zones a page), then records and SSL mode per zone.
    expect(log.length).toBe(1 + 4 + 2 * ACCOUNT.zones);
    expect(log.length).toBeLessThanOrEqual(requestLimit(ACCOUNT.zones, DRIFT_REQUEST_BUDGET));
    const perZone = (suffix: RegExp) => log.filter((r) => suffix.test(r.path)).length;
    expect(perZone(/\/dns_records$/)).toBe(ACCOUNT.zones);
    expect(perZone(/\/settings\/ssl$/)).toBe(ACCOUNT.zones);
    // Nothing only the edge's routes need: no rulesets, page rules, AOP or tunnels.
    expect(
      log.filter((r) => /rulesets|pagerules|origin_tls_client_auth|tls_client_auth|cfd_tunnel/.test(r.path)),
    ).toEqual([]);
    expect(new Set(log.map((r) => r.method))).toEqual(new Set(["GET"]));
    expect(run.stderr).toContain("zones read: 200 of 200");
  });

  it("check: at most 3 requests per zone on average plus a fixed number, edge reads included", async () => {
    emulator.clearRequests();
    // At the default share (600 requests per 5 minutes) the read would be paced past --api-timeout;
    // the whole budget is given here so that the count is what is measured.
    const run = await runCli(
      ["check", "--synth", file, "--no-probes", "--api-share", "1", "--format", "json"],
      { env },
    );
    expect(run.stderr).not.toContain("could not verify");
    const report = JSON.parse(run.stdout);
    const log = emulator.requests();
    expect(report.coverage.apiRequests).toBe(log.length);
    const limit = requestLimit(ACCOUNT.zones, CHECK_REQUEST_BUDGET);
    expect(log.length).toBeLessThanOrEqual(limit);
    // Every zone's rulesets are listed; what the budget leaves goes to the optional reads.
    expect(log.filter((r) => /\/rulesets$/.test(r.path))).toHaveLength(ACCOUNT.zones);
    expect(log.length).toBe(limit);
  });

  it("check at the default share says before sending anything that it cannot end in time (exit 3)", async () => {
    emulator.clearRequests();
    const run = await runCli(["check", "--synth", file, "--no-probes", "--format", "json"], { env });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(
      "the live read needs at least 605 API requests for 200 zone(s); at --api-share 0.5 (600 per 5 minutes, a share of Cloudflare's limit per user) that takes at least 5 min, more than --api-timeout 120 s allows, so nothing was sent",
    );
    expect(run.stderr).toContain("--api-timeout 360");
    expect(emulator.requests()).toEqual([]);
  });

  it("refuses an --api-share that is no share (exit 2)", async () => {
    for (const share of ["0", "1.5", "half", "-0.5"]) {
      const run = await runCli(["drift", "--synth", file, `--api-share=${share}`], { env });
      expect(run.code, share).toBe(2);
      expect(run.stderr).toContain(
        `--api-share: expected the share of Cloudflare's API rate limit the read may use, more than 0 and at most 1 (e.g. 0.5), got "${share}"`,
      );
    }
  });
});
