import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/synth.js";
import { gateProject } from "./project.js";

/**
 * The in-app gate writes every stack of the app into cdktf.out, and cdktf deploys whichever it is
 * told to. `--stack` in CF_PREFLIGHT_ARGS narrowed the check to one stack while the others were
 * written unchecked: `CF_PREFLIGHT_ARGS="--stack example" cdktf deploy other` checked example and
 * deployed other, which the preflight blocks (a proxied TXT record, 9004). Real cdktf CLI.
 */

const REACHED_INIT = /Initializing the backend|Initializing provider plugins|terraform init/;
const cdktf = join(PROJECT_ROOT, "node_modules", ".bin", "cdktf");

describe("the in-app gate checks every stack it writes", () => {
  it("refuses --stack in CF_PREFLIGHT_ARGS: the deploy stops before terraform init, cdktf.out empty", () => {
    const { dir, env } = gateProject();
    const result = spawnSync(cdktf, ["deploy", "other", "--auto-approve"], {
      cwd: dir,
      env: { ...env, GATE_FIXTURE: "two-stacks", CF_PREFLIGHT_ARGS: "--no-live --no-probes --stack example" },
      encoding: "utf8",
      timeout: 240_000,
    });
    const output = `${result.stdout}\n${result.stderr}`;
    const wrote = existsSync(join(dir, "cdktf.out", "manifest.json"));
    rmSync(dir, { recursive: true, force: true });
    expect(result.status).not.toBe(0);
    expect(output).toContain("--stack is not accepted");
    expect(output).not.toMatch(REACHED_INIT);
    expect(wrote).toBe(false);
  });
});
