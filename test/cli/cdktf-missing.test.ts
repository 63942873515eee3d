import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/synth.js";

/**
 * A project with a cdktf.json but no cdktf CLI where cf-preflight looks for it (the project's
 * `node_modules/.bin/cdktf`, else the `cdktf-cli` package, which is only a development dependency of
 * cf-preflight and so absent where users install it). `check` and `deploy` synthesize the app:
 * they ended in "internal error ... a bug; please report it" (exit 3) and left an empty
 * cf-preflight-synth-* folder in the temporary directory each time. Missing tooling is a
 * configuration problem: exit 2 naming what to install or pass, and nothing left behind. The
 * bundled command installed as npm installs it, with its runtime dependencies only.
 */

const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as {
  bin: Record<string, string>;
  dependencies: Record<string, string>;
};
const BIN = pkg.bin["cf-preflight"]!;

let project: string;
let scratch: string;
let command: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "cfpl-no-cdktf-"));
  scratch = join(project, "tmp");
  mkdirSync(scratch);
  const installed = join(project, "node_modules", "cf-preflight");
  mkdirSync(installed, { recursive: true });
  cpSync(join(PROJECT_ROOT, "package.json"), join(installed, "package.json"));
  cpSync(join(PROJECT_ROOT, dirname(BIN)), join(installed, dirname(BIN)), { recursive: true });
  for (const dependency of Object.keys(pkg.dependencies)) {
    const target = join(project, "node_modules", dependency);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(join(PROJECT_ROOT, "node_modules", dependency), target);
  }
  mkdirSync(join(project, "node_modules", ".bin"));
  command = join(project, "node_modules", ".bin", "cf-preflight");
  symlinkSync(join("..", "cf-preflight", BIN), command);
  cpSync(join(PROJECT_ROOT, "cdktf.json"), join(project, "cdktf.json"));
});

afterAll(() => {
  rmSync(project, { recursive: true, force: true });
});

describe("a cdktf.json without a cdktf CLI to synthesize it", () => {
  it.each([
    [["check", "--no-live", "--no-probes"]],
    [["deploy", "--no-live", "--no-probes", "--", "--auto-approve"]],
  ])("%j: exit 2 naming cdktf-cli and --synth, nothing left in the temporary directory", (args) => {
    const run = spawnSync(command, args, {
      cwd: project,
      encoding: "utf8",
      env: {
        ...process.env,
        PATH: `${dirname(process.execPath)}:/usr/bin:/bin`,
        TMPDIR: scratch,
        CHECKPOINT_DISABLE: "1",
      },
    });
    expect(run.status).toBe(2);
    expect(run.stderr).not.toContain("internal error");
    expect(run.stderr).toContain("cdktf-cli");
    expect(run.stderr).toContain("--synth");
    expect(run.stdout).toBe("");
    expect(readdirSync(scratch)).toEqual([]);
  });
});
