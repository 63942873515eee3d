/**
 * Benchmark (not a test): how fast the bundled command starts, each figure beside its floor, and the
 * whole demo (issue 13: `--help` under 0.1 s, `npm run demo` under 2 s).
 *
 * - `cf-preflight --help`: the bundle as `bin` runs it, against Node starting an empty module (the
 *   least any Node command costs), the fastest of `HELP_RUNS` each, alternating.
 * - `npm run demo`: through npm as the README says, and the bundled command's `demo` alone.
 *
 *   npm run build && node dist/bench/startup-bench.js
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { BUNDLED_CLI, benchEnv } from "./measure.js";

export const STARTUP_TARGETS = { helpMs: 100, demoMs: 2_000 } as const;
const HELP_RUNS = 15;
const DEMO_RUNS = 3;
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function timed(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = benchEnv(),
): { ms: number; status: number | null } {
  const started = performance.now();
  const run = spawnSync(command, args, {
    cwd: ROOT,
    stdio: "ignore",
    env: { ...env, CHECKPOINT_DISABLE: "1", NO_COLOR: "1" },
  });
  return { ms: performance.now() - started, status: run.status };
}

function fastest(runs: readonly { ms: number }[]): number {
  return Math.min(...runs.map((r) => r.ms));
}

export interface StartupBenchResult {
  readonly helpMs: number;
  readonly nodeFloorMs: number;
  /** The same two with the caller's environment as it is (`NODE_EXTRA_CA_CERTS` included, if set). */
  readonly helpAsIsMs: number;
  readonly nodeFloorAsIsMs: number;
  readonly extraCaCerts: boolean;
  readonly demoBinMs: number;
  readonly npmDemoMs: number;
  readonly ok: boolean;
}

export function runStartupBench(): StartupBenchResult {
  const dir = mkdtempSync(join(tmpdir(), "cf-preflight-startup-"));
  try {
    const empty = join(dir, "empty.mjs");
    writeFileSync(empty, "");
    const help: { ms: number; status: number | null }[] = [];
    const floor: { ms: number; status: number | null }[] = [];
    const helpAsIs: { ms: number; status: number | null }[] = [];
    const floorAsIs: { ms: number; status: number | null }[] = [];
    for (let i = 0; i < HELP_RUNS; i++) {
      help.push(timed(process.execPath, [BUNDLED_CLI, "--help"]));
      floor.push(timed(process.execPath, [empty]));
      helpAsIs.push(timed(process.execPath, [BUNDLED_CLI, "--help"], process.env));
      floorAsIs.push(timed(process.execPath, [empty], process.env));
    }
    const demoBin: { ms: number; status: number | null }[] = [];
    const npmDemo: { ms: number; status: number | null }[] = [];
    for (let i = 0; i < DEMO_RUNS; i++) {
      demoBin.push(timed(process.execPath, [BUNDLED_CLI, "demo"]));
      npmDemo.push(timed("npm", ["run", "-s", "demo"]));
    }
    const ok = [...help, ...floor, ...demoBin, ...npmDemo].every((r) => r.status === 0);
    return {
      helpMs: fastest(help),
      nodeFloorMs: fastest(floor),
      helpAsIsMs: fastest(helpAsIs),
      nodeFloorAsIsMs: fastest(floorAsIs),
      extraCaCerts: process.env.NODE_EXTRA_CA_CERTS !== undefined,
      demoBinMs: fastest(demoBin),
      npmDemoMs: fastest(npmDemo),
      ok,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatStartup(r: StartupBenchResult): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
  return [
    "| command | time | floor | ratio |",
    "| --- | ---: | ---: | ---: |",
    `| \`cf-preflight --help\` (fastest of ${HELP_RUNS}) | ${s(r.helpMs)} | ${s(r.nodeFloorMs)} (node, an empty module) | ${(r.helpMs / r.nodeFloorMs).toFixed(2)}x |`,
    ...(r.extraCaCerts
      ? [
          `| the same with this machine's NODE_EXTRA_CA_CERTS | ${s(r.helpAsIsMs)} | ${s(r.nodeFloorAsIsMs)} | ${(r.helpAsIsMs / r.nodeFloorAsIsMs).toFixed(2)}x |`,
        ]
      : []),
    `| \`node dist/bundle/cli.js demo\` (fastest of ${DEMO_RUNS}) | ${s(r.demoBinMs)} | | |`,
    `| \`npm run demo\` (fastest of ${DEMO_RUNS}) | ${s(r.npmDemoMs)} | | |`,
  ].join("\n");
}

export function startupTargetsMet(r: StartupBenchResult): boolean {
  return r.ok && r.helpMs < STARTUP_TARGETS.helpMs && r.npmDemoMs < STARTUP_TARGETS.demoMs;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = runStartupBench();
  console.log(formatStartup(result));
  const met = startupTargetsMet(result);
  console.log(
    `\ntargets: --help under ${STARTUP_TARGETS.helpMs / 1000} s, npm run demo under ${STARTUP_TARGETS.demoMs / 1000} s: ${met ? "met" : "MISSED"}`,
  );
  process.exitCode = met ? 0 : 1;
}
