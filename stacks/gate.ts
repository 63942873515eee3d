import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { processIo, SIGNAL_EXIT } from "../checks/cli/process-io.js";
import { EXIT, errorLine, InterruptedError } from "../checks/errors.js";
import { checkAndReport, GATE_ARGS_ENV, gateOptions, INTERNAL_SYNTH_ENV, splitArgs } from "../checks/gate.js";

/**
 * The in-app gate: a plain `cdktf deploy` (or `cdktf synth`) runs this app, which first synthesizes
 * the stacks into a scratch folder, runs the preflight on it, and writes `cdktf.out` only when
 * nothing blocks. On a block it empties `cdktf.out`, so a stale synth can never be deployed past
 * a failed preflight (not even with `--skip-synth`), and exits non-zero.
 *
 * Under `cdktf deploy` (and diff) the gate runs the whole check with the options in
 * `CF_PREFLIGHT_ARGS` (those of `cf-preflight check`). Under `cdktf synth` and anything else it runs
 * the static rules only, offline, so synthesizing needs no token or network. `CF_PREFLIGHT_GATE`
 * overrides: `full`, `static`, or `off` (no gate at all).
 *
 * SIGINT or SIGTERM (Ctrl-C reaches the whole process group, cdktf included) stops the check at
 * once; the gate then writes nothing, empties `cdktf.out` and exits 130 or 143, so cdktf stops.
 */
export async function synthGated(define: (app: App) => void): Promise<void> {
  const app = new App();
  define(app);
  const setting = process.env.CF_PREFLIGHT_GATE;
  if (setting !== undefined && setting !== "" && !isGateMode(setting)) {
    // A typo must not quietly pick another mode (`ful` would run the static rules under deploy).
    emptyOutdir(app.outdir);
    process.stderr.write(
      `cf-preflight gate: CF_PREFLIGHT_GATE: expected full, static or off, got ${JSON.stringify(setting.slice(0, 40))}; ${app.outdir} was emptied.\n`,
    );
    process.exitCode = EXIT.input;
    return;
  }
  const mode = gateMode(setting, cdktfCommand());
  if (process.env[INTERNAL_SYNTH_ENV] === "1" || mode === "off") {
    app.synth();
    return;
  }
  const scratch = mkdtempSync(join(tmpdir(), "cf-preflight-gate-"));
  try {
    const checked = new App({ outdir: scratch });
    define(checked);
    checked.synth();
    const io = processIo({ reportToStderr: true });
    let verdict: number;
    try {
      const args = splitArgs(process.env[GATE_ARGS_ENV]);
      if (mode === "static") args.push("--no-live", "--no-probes");
      io.stderr(`cf-preflight gate (${mode === "full" ? "full check" : "static rules only"}):\n`);
      verdict = await checkAndReport(gateOptions(args, scratch, "gate"), io);
    } catch (error) {
      io.stderr(`${errorLine("gate", (error as Error).message)}\n`);
      verdict = EXIT.unverified;
    }
    const interrupted = io.signal.aborted ? io.signal.reason : undefined;
    if (interrupted instanceof InterruptedError) verdict = SIGNAL_EXIT[interrupted.signal];
    if (verdict !== EXIT.ok) {
      emptyOutdir(app.outdir);
      io.stderr(
        `cf-preflight gate: the preflight blocks this deploy (exit ${verdict}); ${app.outdir} was emptied.\n`,
      );
      // Interrupted: probes or reads may still be winding down; they must not hold the exit.
      if (interrupted instanceof InterruptedError) {
        rmSync(scratch, { recursive: true, force: true });
        process.exit(verdict);
      }
      process.exitCode = verdict;
      return;
    }
    app.synth();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export type GateMode = "full" | "static" | "off";

function isGateMode(value: string): value is GateMode {
  return value === "full" || value === "static" || value === "off";
}

/** Remove what a deploy would read from `cdktf.out`, so nothing stale can pass the gate. */
function emptyOutdir(outdir: string): void {
  rmSync(join(outdir, "manifest.json"), { force: true });
  rmSync(join(outdir, "stacks"), { recursive: true, force: true });
}

/** `CF_PREFLIGHT_GATE` wins; else deploy-like cdktf commands get the full check, the rest static rules. */
export function gateMode(setting: string | undefined, command: string | undefined): GateMode {
  if (setting !== undefined && isGateMode(setting)) return setting;
  return command === "deploy" || command === "diff" || command === "apply" ? "full" : "static";
}

/**
 * The cdktf subcommand that runs this app, read from the process tree (cdktf passes no hint in
 * the environment): the first ancestor whose command line runs `cdktf`, and the word after it.
 */
export function cdktfCommand(): string | undefined {
  let pid = process.ppid;
  for (let depth = 0; depth < 6 && pid > 1; depth++) {
    let argv: string[];
    let parent: number;
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      parent = Number(/^\d+ \(.*\) \S (\d+)/s.exec(readFileSync(`/proc/${pid}/stat`, "utf8"))?.[1] ?? 0);
    } catch {
      return undefined;
    }
    const at = argv.findIndex((a) => /(^|\/)cdktf(\.js)?$/.test(a));
    if (at >= 0) return argv.slice(at + 1).find((a) => !a.startsWith("-"));
    pid = parent;
  }
  return undefined;
}
