import { setMaxListeners } from "node:events";
import { format } from "node:util";
import { InterruptedError } from "../errors.js";
import { terminalSafe } from "../printable.js";
import { createScrubber } from "../scrub.js";
import type { Io } from "./io.js";

export interface ProcessIoOptions {
  /** The in-app gate writes its report to stderr: cdktf shows the app's stderr when synthesis fails. */
  readonly reportToStderr?: boolean;
}

/**
 * The Io of the real process: stdout and stderr through the one scrubber (and, on a terminal,
 * with every character that could drive it escaped), SIGINT/SIGTERM as an AbortSignal, and the
 * `console` of every library (the Cloudflare SDK logs through it under `CLOUDFLARE_LOG`) sent to
 * stderr, scrubbed, so it can neither leak the token nor corrupt a report written to stdout.
 */
export function processIo(options: ProcessIoOptions = {}): Io {
  const scrub = createScrubber([process.env.CLOUDFLARE_API_TOKEN]);
  const writer = (stream: NodeJS.WriteStream) => {
    const tty = Boolean(stream.isTTY);
    // A reader that went away (`cf-preflight check | head`) is not a crash: stop writing there.
    let closed = false;
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") closed = true;
      else throw error;
    });
    return (text: string) => {
      if (closed) return;
      const clean = scrub(text);
      stream.write(tty ? terminalSafe(clean) : clean);
    };
  };
  const stderr = writer(process.stderr);
  const stdout = options.reportToStderr ? stderr : writer(process.stdout);
  redirectConsole(stderr);
  return {
    stdout,
    stderr,
    env: process.env,
    cwd: process.cwd(),
    stdoutIsTty: options.reportToStderr ? false : Boolean(process.stdout.isTTY),
    stderrIsTty: Boolean(process.stderr.isTTY),
    signal: interruptSignal(stderr),
    scrub,
  };
}

const CONSOLE_METHODS = ["log", "info", "debug", "warn", "error", "trace"] as const;

function redirectConsole(write: (text: string) => void): void {
  for (const method of CONSOLE_METHODS) {
    console[method] = (...args: unknown[]) => write(`${format(...args)}\n`);
  }
}

/** Exit codes of a run stopped by a signal: 128 + the signal's number, as shells report them. */
export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;
export type SignalExit = (typeof SIGNAL_EXIT)[keyof typeof SIGNAL_EXIT];

/**
 * SIGINT and SIGTERM for the whole run: the first aborts the returned signal (its reason an
 * `InterruptedError`), so reads, probes and child processes stop and no report is written; a
 * second one exits at once.
 */
export function interruptSignal(say: (line: string) => void): AbortSignal {
  const controller = new AbortController();
  // Every socket and request of a run listens to this signal: hundreds at once are expected.
  setMaxListeners(0, controller.signal);
  const on = (name: "SIGINT" | "SIGTERM") => {
    if (!controller.signal.aborted) {
      say(
        `\ncf-preflight: interrupted (${name}); stopping${name === "SIGINT" ? " (press Ctrl-C again to quit at once)" : ""}...\n`,
      );
      controller.abort(new InterruptedError(name));
      return;
    }
    say(`cf-preflight: interrupted again (${name}); quitting now\n`);
    process.exit(SIGNAL_EXIT[name]);
  };
  process.on("SIGINT", () => on("SIGINT"));
  process.on("SIGTERM", () => on("SIGTERM"));
  return controller.signal;
}
