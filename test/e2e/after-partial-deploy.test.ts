import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedZoneFromDesired } from "../../checks/demo/seed.js";
import { readDesired } from "../../checks/desired/read.js";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import { runCli } from "../helpers/run-cli.js";
import { synthExample } from "../helpers/synth.js";

/**
 * `check --after` once a deploy has run: the example stack routes api.example.com to origin port
 * 8443 with an origin rule. A deploy that applied the records and the SSL mode but not the ruleset
 * (it failed half-way) left visitors on port 443; `--after` compared only records and the SSL mode,
 * said "the live zone matches the code" and exited 0. The live route differing from the code's is
 * the deploy not having applied. Real SDK over HTTP against the emulator.
 */

const TOKEN = "tok-after-partial-4d1e";

interface Report {
  findings: {
    rule: string;
    status: string;
    blocking: boolean;
    message: string;
    subject: { hostname?: string };
  }[];
}

describe("check --after with a partially applied deploy", () => {
  const out = synthExample();
  let partial: Emulator;
  let complete: Emulator;

  beforeAll(async () => {
    const zone = seedZoneFromDesired((await readDesired(out)).zones[0]!, "strict");
    complete = await startEmulator({ token: TOKEN, seed: { zones: [zone] } });
    partial = await startEmulator({ token: TOKEN, seed: { zones: [{ ...zone, originRules: [] }] } });
  });
  afterAll(async () => {
    await partial.close();
    await complete.close();
  });

  const checkAfter = async (emulator: Emulator) => {
    const run = await runCli(["check", "--synth", out, "--after", "--no-probes", "--format", "json"], {
      env: { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_BASE_URL: emulator.url },
    });
    return { code: run.code, stderr: run.stderr, report: JSON.parse(run.stdout) as Report };
  };

  it("blocks when the origin rule did not apply: api.example.com still reaches port 443 live", async () => {
    const { code, report } = await checkAfter(partial);
    const findings = report.findings.filter((f) => f.rule === "after-deploy");
    expect(findings).toContainEqual(
      expect.objectContaining({
        status: "fail",
        blocking: true,
        subject: expect.objectContaining({ hostname: "api.example.com" }),
      }),
    );
    expect(findings.find((f) => f.status === "fail")!.message).toMatch(/8443/);
    expect(findings.some((f) => f.status === "pass")).toBe(false);
    expect(code).toBe(1);
  });

  it("passes when everything applied", async () => {
    const { code, report } = await checkAfter(complete);
    expect(report.findings.filter((f) => f.rule === "after-deploy").map((f) => f.status)).toEqual(["pass"]);
    expect(code).toBe(0);
  });
});
