import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/synth.js";
import { gateProject } from "./project.js";

/** Evidence that cdktf got as far as `terraform init` (which then fails offline, by design). */
const REACHED_INIT =
  /terraform init|Initializing the backend|Initializing provider plugins|terraform[^\n]*(not found|ENOENT)/;
const CLI = join(PROJECT_ROOT, "dist", "checks", "cli.js");

function run(command: string, args: string[], fixture: "failing" | "passing") {
  const { dir, env } = gateProject();
  const result = spawnSync(command, args, {
    cwd: dir,
    env: { ...env, GATE_FIXTURE: fixture },
    encoding: "utf8",
    timeout: 240_000,
  });
  return { dir, status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

describe("the in-app gate under a plain `cdktf deploy` (real cdktf CLI)", () => {
  const cdktf = join(PROJECT_ROOT, "node_modules", ".bin", "cdktf");

  it("stops a deploy that the preflight blocks before terraform init, with the finding on screen", () => {
    const r = run(cdktf, ["deploy", "--auto-approve"], "failing");
    expect(r.status).not.toBe(0);
    expect(r.output).toContain("proxied-type-not-proxiable");
    expect(r.output).toContain("9004");
    expect(r.output).not.toMatch(REACHED_INIT);
    expect(existsSync(join(r.dir, "cdktf.out", "manifest.json"))).toBe(false);
  });

  it("lets a deploy that passes reach terraform init", () => {
    const r = run(cdktf, ["deploy", "--auto-approve"], "passing");
    expect(r.output).toContain("0 blocking");
    expect(r.output).toMatch(REACHED_INIT);
  });

  it("never leaves a stale cdktf.out to deploy with --skip-synth after a failed preflight", () => {
    const { dir, env } = gateProject();
    const synth = spawnSync(cdktf, ["synth"], {
      cwd: dir,
      env: { ...env, GATE_FIXTURE: "passing" },
      encoding: "utf8",
    });
    expect(synth.status).toBe(0);
    expect(existsSync(join(dir, "cdktf.out", "manifest.json"))).toBe(true);
    const failed = spawnSync(cdktf, ["deploy", "--auto-approve"], {
      cwd: dir,
      env: { ...env, GATE_FIXTURE: "failing" },
      encoding: "utf8",
    });
    expect(failed.status).not.toBe(0);
    const stale = spawnSync(cdktf, ["deploy", "--skip-synth", "--auto-approve"], {
      cwd: dir,
      env,
      encoding: "utf8",
    });
    expect(stale.status).not.toBe(0);
    expect(`${stale.stdout}${stale.stderr}`).not.toMatch(REACHED_INIT);
  });
});

describe("`cf-preflight deploy` (synth afresh, check, then cdktf deploy)", () => {
  it("does not run cdktf deploy when the preflight blocks", () => {
    const r = run(
      process.execPath,
      [CLI, "deploy", "--no-live", "--no-probes", "--", "--auto-approve"],
      "failing",
    );
    expect(r.status).toBe(1);
    expect(r.output).toContain("proxied-type-not-proxiable");
    expect(r.output).toContain("cdktf deploy was not run");
    expect(r.output).not.toMatch(REACHED_INIT);
  });

  it("runs cdktf deploy on the checked synth when nothing blocks, reaching terraform init", () => {
    const r = run(
      process.execPath,
      [CLI, "deploy", "example", "--no-live", "--no-probes", "--", "--auto-approve"],
      "passing",
    );
    expect(r.output).toContain("preflight passed");
    expect(r.output).toMatch(REACHED_INIT);
  });

  it("refuses --skip-synth", () => {
    const r = run(process.execPath, [CLI, "deploy", "--no-live", "--", "--skip-synth"], "passing");
    expect(r.status).toBe(2);
    expect(r.output).toContain("--skip-synth is refused");
  });
});
