import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/synth.js";
import { gateProject } from "./project.js";

/**
 * `cf-preflight deploy STACK -- ARGS`: ARGS go to `cdktf deploy`, whose positionals are stacks too.
 * A stack named there was deployed without being checked: `deploy example -- other` checked
 * `example` only and ran `cdktf deploy example --skip-synth ... other`, so a stack the preflight
 * blocks reached terraform. Real CLI and real cdktf; "other" holds a proxied TXT record (9004).
 */

const REACHED_INIT = /Initializing the backend|Initializing provider plugins|terraform init/;
const CLI = join(PROJECT_ROOT, "dist", "checks", "cli.js");

function deploy(args: string[]) {
  const { dir, env } = gateProject();
  const result = spawnSync(process.execPath, [CLI, "deploy", ...args], {
    cwd: dir,
    env: { ...env, GATE_FIXTURE: "two-stacks" },
    encoding: "utf8",
    timeout: 240_000,
  });
  rmSync(dir, { recursive: true, force: true });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

describe("`cf-preflight deploy` deploys only the stacks it checked", () => {
  it.each([
    [["example", "--no-live", "--no-probes", "--", "other", "--auto-approve"]],
    [["--stack", "example", "--no-live", "--no-probes", "--", "--auto-approve", "other"]],
    [["example", "--no-live", "--no-probes", "--", "--parallelism", "2", "other"]],
    [["example", "--no-live", "--no-probes", "--", "--auto-approve", "--", "other"]],
  ])("refuses a stack given to cdktf deploy past the checked one (%j): exit 2, cdktf not run", (args) => {
    const r = deploy(args);
    expect(r.status).toBe(2);
    expect(r.output).toContain('"other"');
    expect(r.output).not.toContain("synthesizing");
    expect(r.output).not.toMatch(REACHED_INIT);
  });

  it("without a stack named, checks every stack, so the one that blocks stops the deploy", () => {
    const r = deploy(["--no-live", "--no-probes", "--", "other", "--auto-approve"]);
    expect(r.status).toBe(1);
    expect(r.output).toContain("proxied-type-not-proxiable");
    expect(r.output).toContain("cdktf deploy was not run");
    expect(r.output).not.toMatch(REACHED_INIT);
  });

  it("passes cdktf's own option values through (--parallelism 2, --var a=b c=d) and deploys the checked stack", () => {
    const r = deploy([
      "example",
      "--no-live",
      "--no-probes",
      "--",
      "--parallelism",
      "2",
      "--auto-approve",
      "--var",
      "a=b",
      "c=d",
    ]);
    expect(r.output).toContain("preflight passed");
    expect(r.output).toMatch(REACHED_INIT);
  });
});
