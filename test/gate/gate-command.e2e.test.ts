import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/synth.js";
import { gateProject } from "./project.js";

/**
 * The in-app gate runs the whole check for every cdktf command that deploys. `cdktf watch`
 * synthesizes and deploys on every change, and `cdktf --log-level debug deploy` is a deploy with a
 * global option before the command; both were taken for a synth and got the static rules only
 * (offline), so a deploy the full check fails closed on (here: an API that cannot be reached, exit
 * 3) went on to terraform init. Real cdktf CLI, stopped by the test once it has shown what it did.
 */

const REACHED_INIT = /Initializing the backend|Initializing provider plugins|terraform init/;
const BLOCKED = /the preflight blocks this deploy \(exit 3\)/;
const cdktf = join(PROJECT_ROOT, "node_modules", ".bin", "cdktf");

/** A loopback port with nothing listening (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Run cdktf until it blocks, reaches terraform init, exits, or 180 s pass; then stop its process group. */
async function runUntilVerdict(args: string[]): Promise<string> {
  const { dir, env } = gateProject();
  const port = await closedPort();
  const child = spawn(cdktf, args, {
    cwd: dir,
    env: {
      ...env,
      GATE_FIXTURE: "passing",
      CF_PREFLIGHT_ARGS: "--no-probes",
      CLOUDFLARE_API_BASE_URL: `http://127.0.0.1:${port}/client/v4`,
      CLOUDFLARE_API_TOKEN: "gate-command-test-token",
    },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve) => {
    const stop = () => {
      clearTimeout(timer);
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
      resolve();
    };
    const timer = setTimeout(stop, 180_000);
    let stopping = false;
    const seen = (d: Buffer) => {
      output += d.toString();
      if (REACHED_INIT.test(output)) stop();
      // The gate removes its scratch folder just after saying so: let it finish before the kill.
      else if (BLOCKED.test(output) && !stopping) {
        stopping = true;
        setTimeout(stop, 3_000);
      }
    };
    child.stdout.on("data", seen);
    child.stderr.on("data", seen);
    child.on("close", stop);
  });
  rmSync(dir, { recursive: true, force: true });
  return output;
}

describe("the in-app gate under cdktf commands that deploy (real cdktf CLI)", () => {
  it("runs the full check under `cdktf watch`, and stops the deploy it fails closed on", async () => {
    const output = await runUntilVerdict(["watch", "--auto-approve"]);
    expect(output).toContain("cf-preflight gate (full check)");
    expect(output).toMatch(BLOCKED);
    expect(output).not.toMatch(REACHED_INIT);
  }, 200_000);

  it("runs the full check under `cdktf --log-level debug deploy`", async () => {
    const output = await runUntilVerdict(["--log-level", "debug", "deploy", "--auto-approve"]);
    expect(output).toContain("cf-preflight gate (full check)");
    expect(output).toMatch(BLOCKED);
    expect(output).not.toMatch(REACHED_INIT);
  }, 200_000);
});
