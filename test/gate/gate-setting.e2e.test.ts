import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/synth.js";
import { gateProject } from "./project.js";

/**
 * `CF_PREFLIGHT_GATE` takes `full`, `static` or `off`. Any other value was ignored without a word,
 * so `CF_PREFLIGHT_GATE=FULL cdktf synth` (a pipeline that synthesizes here and applies
 * `cdktf.out` with terraform elsewhere) ran the static rules only, offline, and wrote `cdktf.out`
 * as if the full check had passed. A value it does not know is a configuration error: the gate
 * says so, naming the variable, and writes nothing. Real cdktf CLI.
 */

const cdktf = join(PROJECT_ROOT, "node_modules", ".bin", "cdktf");

function synth(setting: string, extra: NodeJS.ProcessEnv = {}) {
  const { dir, env } = gateProject();
  const result = spawnSync(cdktf, ["synth"], {
    cwd: dir,
    env: { ...env, ...extra, GATE_FIXTURE: "passing", CF_PREFLIGHT_GATE: setting },
    encoding: "utf8",
    timeout: 240_000,
  });
  const wrote = existsSync(join(dir, "cdktf.out", "manifest.json"));
  rmSync(dir, { recursive: true, force: true });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}`, wrote };
}

describe("CF_PREFLIGHT_GATE (real cdktf synth)", () => {
  it.each([
    "FULL",
    "ful",
    "on",
  ])("refuses %j: non-zero, the variable and its values named, no cdktf.out", (value) => {
    const r = synth(value);
    expect(r.status).not.toBe(0);
    expect(r.output).toContain(`CF_PREFLIGHT_GATE: expected full, static or off, got "${value}"`);
    expect(r.output).not.toContain("cf-preflight gate (static rules only)");
    expect(r.wrote).toBe(false);
  });

  it("takes static, and writes cdktf.out when nothing blocks", () => {
    const r = synth("static");
    expect(r.status).toBe(0);
    expect(r.output).toContain("cf-preflight gate (static rules only)");
    expect(r.wrote).toBe(true);
  });

  it("never echoes the API token, even when it was put in CF_PREFLIGHT_GATE by mistake", () => {
    const token = "tok-gate-setting-8c2f71d9";
    const r = synth(token, { CLOUDFLARE_API_TOKEN: token });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain("CF_PREFLIGHT_GATE: expected full, static or off");
    expect(r.output).not.toContain(token);
    expect(r.output).not.toContain(token.slice(4, 12));
    expect(r.wrote).toBe(false);
  });
});
