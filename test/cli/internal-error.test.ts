import { describe, expect, it } from "vitest";
import type { Io } from "../../checks/cli/io.js";
import { main } from "../../checks/cli.js";
import { writeTfJson, zoneWithRecords } from "../helpers/tf-json.js";

const FILE = writeTfJson(
  zoneWithRecords({ www: { name: "www.example.com", type: "A", content: "192.0.2.10", proxied: true } }),
);

/** A run whose stdout throws a TypeError: a bug as the CLI sees one (not bad input, not the API). */
async function runWithBrokenStdout(env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  let stderr = "";
  const io: Io = {
    stdout: () => {
      throw new TypeError("Cannot read properties of undefined (reading 'write')");
    },
    stderr: (t) => {
      stderr += t;
    },
    env,
    cwd: process.cwd(),
    stdoutIsTty: false,
    stderrIsTty: false,
    signal: new AbortController().signal,
    scrub: (t) => t,
  };
  const code = await main(["check", "--synth", FILE, "--no-live", "--no-probes", "--format", "json"], io);
  return { code, stderr };
}

describe("an internal error (a bug)", () => {
  it("fails closed as exit 3 with one line and a hint, never a stack trace", async () => {
    const run = await runWithBrokenStdout({});
    expect(run.code).toBe(3);
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain("internal error, nothing was verified");
    expect(lines[0]).toContain("TypeError: Cannot read properties of undefined");
    expect(lines[1]).toContain("CF_PREFLIGHT_DEBUG=1");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("prints the stack with CF_PREFLIGHT_DEBUG=1", async () => {
    const run = await runWithBrokenStdout({ CF_PREFLIGHT_DEBUG: "1" });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/\n\s+at /);
  });
});
