import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/synth.js";
import { gateProject } from "./project.js";

/**
 * What the in-app gate leaves in cdktf.out for cdktf to deploy must be the synth it checked. An app
 * that is not deterministic (a timestamp, a random name, a counter) synthesized a second time could
 * write something the check never saw. Real cdktf CLI.
 */
describe("the in-app gate's cdktf.out", () => {
  it("is the synth that was checked, not a second synth of the app", () => {
    const { dir, env } = gateProject();
    const cdktf = join(PROJECT_ROOT, "node_modules", ".bin", "cdktf");
    const run = spawnSync(cdktf, ["synth"], {
      cwd: dir,
      env: { ...env, GATE_FIXTURE: "flaky" },
      encoding: "utf8",
      timeout: 240_000,
    });
    expect(run.status).toBe(0);
    const written = readFileSync(join(dir, "cdktf.out", "stacks", "example", "cdk.tf.json"), "utf8");
    // The gate defines the app first for its output folder, then again for the synth it checks.
    expect(written).toContain("definition-2");
    expect(written).not.toContain("definition-1");
  });
});
