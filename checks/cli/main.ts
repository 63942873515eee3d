/**
 * The command line's dispatch, shared by the `cf-preflight` entry (every command, each loaded when
 * it runs) and by the compiled programs (one command, see `compiled.ts`): help, version, the
 * command's run, and every error turned into its message and exit code.
 */

import {
  EXIT,
  type ExitCode,
  errorLine,
  InputError,
  InterruptedError,
  UsageError,
  VerifyError,
} from "../errors.js";
import { printableLines, quote } from "../printable.js";
import { VERSION } from "../version.js";
import { COMMAND_HELP, COMMANDS, type CommandName, MAIN_HELP } from "./help.js";
import type { Io } from "./io.js";
import { processIo, SIGNAL_EXIT, type SignalExit } from "./process-io.js";

export interface CommandModule {
  run(argv: readonly string[], io: Io): Promise<ExitCode>;
}

/** What the command exits with: the codes of errors.ts, or 130/143 when interrupted. */
export type CliExit = ExitCode | SignalExit;

/** Set to 1 to print the stack of an internal error. */
export const DEBUG_ENV = "CF_PREFLIGHT_DEBUG";

/** How each command's code is loaded: all of them in `cli.ts`, one in a compiled program. */
export type CommandLoaders = Partial<Record<CommandName, () => Promise<CommandModule>>>;

export async function runMain(argv: readonly string[], io: Io, loaders: CommandLoaders): Promise<CliExit> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    const topic = first === "help" ? rest[0] : undefined;
    io.stdout(topic && isCommand(topic) ? COMMAND_HELP[topic] : MAIN_HELP);
    return first === undefined ? EXIT.input : EXIT.ok;
  }
  if (first === "--version" || first === "-V") {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  if (!isCommand(first)) {
    io.stderr(
      `cf-preflight: unknown command ${quote(first)}; expected one of ${COMMANDS.join(", ")} (see --help)\n`,
    );
    return EXIT.input;
  }
  if (asksForHelp(rest)) {
    io.stdout(COMMAND_HELP[first]);
    return EXIT.ok;
  }
  try {
    const load = loaders[first];
    if (load === undefined) throw new Error(`the command ${first} is not part of this program`);
    const command = await load();
    return await command.run(rest, io);
  } catch (error) {
    return reportError(error, io, first);
  }
}

function reportError(error: unknown, io: Io, command: string): CliExit {
  const say = (text: string) => io.stderr(`${printableLines(text)}\n`);
  // Once interrupted, whatever failed failed because of it: never a verdict, never exit 2 or 3.
  const interrupted =
    error instanceof InterruptedError
      ? error
      : io.signal.aborted && io.signal.reason instanceof InterruptedError
        ? io.signal.reason
        : undefined;
  if (interrupted) {
    say(
      `cf-preflight ${command}: interrupted by ${interrupted.signal}; nothing was verified and no report was written`,
    );
    return SIGNAL_EXIT[interrupted.signal];
  }
  if (error instanceof InputError || error instanceof UsageError) {
    say(errorLine(command, error.message));
    if (error instanceof UsageError) say(`See cf-preflight ${command} --help`);
    return EXIT.input;
  }
  if (error instanceof VerifyError) {
    say(`cf-preflight ${command}: could not verify: ${error.message}`);
    if (error.hint) say(`  ${error.hint}`);
    say("  Nothing was reported clean. Use --allow-unverified to report what could be checked.");
    return EXIT.unverified;
  }
  // A bug: fail closed, as "could not verify", never as a pass; one line, the stack on request.
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  say(
    `cf-preflight ${command}: internal error, nothing was verified (a bug; please report it): ${firstLine(message)}`,
  );
  if (io.env[DEBUG_ENV] === "1" && error instanceof Error && error.stack) say(error.stack);
  else say(`  Run again with ${DEBUG_ENV}=1 to print the stack trace.`);
  return EXIT.unverified;
}

function firstLine(text: string): string {
  const line = text.split("\n", 1)[0] ?? "";
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** Whether a command's own arguments (those before `--`) ask for its help. */
export function asksForHelp(rest: readonly string[]): boolean {
  const own = rest.includes("--") ? rest.slice(0, rest.indexOf("--")) : rest;
  return own.includes("--help") || own.includes("-h");
}

export function isCommand(name: string): name is CommandName {
  return (COMMANDS as readonly string[]).includes(name);
}

/** Run as the process: its argv, stdout, stderr and signals, and its exit code at the end. */
export function runAsProcess(argv: readonly string[], loaders: CommandLoaders): void {
  runMain(argv, processIo(), loaders).then(
    (code) => {
      // Interrupted: reads, probes or timers may still be winding down; they must not hold the exit.
      if (code === SIGNAL_EXIT.SIGINT || code === SIGNAL_EXIT.SIGTERM) process.exit(code);
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`cf-preflight: ${String(error)}\n`);
      process.exitCode = EXIT.unverified;
    },
  );
}
