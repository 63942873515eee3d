import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { processIo, SIGNAL_EXIT } from "../checks/cli/process-io.js";
import { EXIT, errorLine, InputError, InterruptedError, UsageError } from "../checks/errors.js";
import { checkAndReport, GATE_ARGS_ENV, gateOptions, INTERNAL_SYNTH_ENV, splitArgs } from "../checks/gate.js";
import { quote } from "../checks/printable.js";
import { createScrubber } from "../checks/scrub.js";

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
  if (process.env[INTERNAL_SYNTH_ENV] === "1") {
    app.synth();
    return;
  }
  const setting = process.env[GATE_MODE_ENV];
  if (setting !== undefined && setting !== "" && !isGateMode(setting)) {
    // A mode nobody asked for (the static rules for a misspelt `full`) must not write cdktf.out.
    emptyOutdir(app);
    // Through the scrubber: a value put in the wrong variable may be the token.
    const scrub = createScrubber([process.env.CLOUDFLARE_API_TOKEN]);
    process.stderr.write(
      scrub(
        `${errorLine("gate", `${GATE_MODE_ENV}: expected full, static or off, got ${quote(setting)}; ${app.outdir} was emptied`)}\n`,
      ),
    );
    process.exitCode = EXIT.input;
    return;
  }
  const mode = gateMode(setting, cdktfCommand());
  if (mode === "off") {
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
      const options = gateOptions(args, scratch, "gate");
      if (options.stack !== undefined)
        throw new UsageError(
          `gate: --stack is not accepted (${GATE_ARGS_ENV}): the gate writes every stack of the app into ${app.outdir}, and cdktf deploys whichever it is told to, so it checks them all`,
        );
      verdict = await checkAndReport(options, io);
    } catch (error) {
      io.stderr(`${errorLine("gate", (error as Error).message)}\n`);
      verdict = error instanceof UsageError || error instanceof InputError ? EXIT.input : EXIT.unverified;
    }
    const interrupted = io.signal.aborted ? io.signal.reason : undefined;
    if (interrupted instanceof InterruptedError) verdict = SIGNAL_EXIT[interrupted.signal];
    if (verdict !== EXIT.ok) {
      emptyOutdir(app);
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
    // What cdktf deploys is the synth that was checked, copied, never a second synth of the app
    // (one that is not deterministic could differ). Files beside it (providers in .terraform) stay.
    cpSync(scratch, app.outdir, { recursive: true, force: true });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The variable that overrides the gate's mode. */
const GATE_MODE_ENV = "CF_PREFLIGHT_GATE";

export type GateMode = "full" | "static" | "off";

function isGateMode(value: string): value is GateMode {
  return value === "full" || value === "static" || value === "off";
}

/** What cdktf deploys from: gone, so a stale synth cannot pass for a checked one. */
function emptyOutdir(app: App): void {
  rmSync(join(app.outdir, "manifest.json"), { force: true });
  rmSync(join(app.outdir, "stacks"), { recursive: true, force: true });
}

/**
 * The cdktf commands that deploy (or plan one): they get the full check. `watch` synthesizes and
 * deploys on every change (cdktf-cli 0.21 `cdktf watch --help`, checked 2026-11-30).
 */
const DEPLOYING_COMMANDS: ReadonlySet<string> = new Set(["deploy", "diff", "apply", "watch"]);

/** `CF_PREFLIGHT_GATE` wins; else deploy-like cdktf commands get the full check, the rest static rules. */
export function gateMode(setting: string | undefined, command: string | undefined): GateMode {
  if (setting !== undefined && isGateMode(setting)) return setting;
  return command !== undefined && DEPLOYING_COMMANDS.has(command) ? "full" : "static";
}

/**
 * The cdktf subcommand that runs this app, read from the process tree (cdktf passes no hint in
 * the environment): the first ancestor whose command line runs `cdktf`, and the first deploying
 * command among the words after it, else the first word. Global options may come first and take
 * values (`cdktf --log-level debug deploy`), so a deploy is looked for in every word: a word taken
 * for a deploy by mistake only costs a full check, a deploy taken for a synth skips it.
 */
export function cdktfCommand(): string | undefined {
  let pid = process.ppid;
  for (let depth = 0; depth < 6 && pid > 1; depth++) {
    const proc = processInfo(pid);
    if (!proc) return undefined;
    // cdktf, or CDK Terrain's drop-in `cdktn`.
    const at = proc.argv.findIndex((a) => /(^|\/)cdkt[fn](\.js)?$/.test(a));
    if (at >= 0) {
      const words = proc.argv.slice(at + 1).filter((a) => a !== "" && !a.startsWith("-"));
      return words.find((w) => DEPLOYING_COMMANDS.has(w)) ?? words[0];
    }
    pid = proc.parent;
  }
  return undefined;
}

/**
 * A process's command line and parent: from /proc on Linux, else from `ps` (macOS and the BSDs have
 * no /proc), whose command line is split on spaces (enough to find the cdktf word and the next).
 */
function processInfo(pid: number): { argv: string[]; parent: number } | undefined {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    const parent = Number(/^\d+ \(.*\) \S (\d+)/s.exec(readFileSync(`/proc/${pid}/stat`, "utf8"))?.[1] ?? 0);
    return { argv, parent };
  } catch {
    // Fall through to ps.
  }
  try {
    const line = execFileSync("ps", ["-o", "ppid=", "-o", "args=", "-p", String(pid)], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 2_000,
    }).trim();
    const match = /^(\d+)\s+(.*)$/s.exec(line);
    if (!match) return undefined;
    return { argv: match[2]!.split(/\s+/), parent: Number(match[1]) };
  } catch {
    return undefined;
  }
}
