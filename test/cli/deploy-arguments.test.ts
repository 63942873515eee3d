import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

/**
 * `deploy [stack]` and `--stack NAME` name the same thing: two different names are a usage error
 * naming both (the positional won and `--stack` was silently dropped, so the gate checked and
 * deployed a stack the caller did not ask for); the same name twice is fine. Real CLI, in a folder
 * without cdktf.json, so a run that gets past the arguments stops at the synth (exit 2, that file).
 */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cfpl-deploy-args-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("deploy's stack name", () => {
  it.each([
    [["deploy", "alpha", "--stack", "beta"]],
    [["deploy", "--stack", "beta", "alpha"]],
    [["deploy", "--stack=beta", "alpha", "--no-live"]],
  ])("refuses two different names (%j): exit 2 naming both, nothing run", async (argv) => {
    const run = await runCli(argv, { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain('"alpha"');
    expect(run.stderr).toContain('"beta"');
    expect(run.stderr).not.toContain("cdktf.json");
  });

  it("accepts the same name given both ways, and goes on to the synth", async () => {
    const run = await runCli(["deploy", "alpha", "--stack", "alpha", "--no-live"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(join(dir, "cdktf.json"));
    expect(run.stderr).not.toContain('"beta"');
  });
});
