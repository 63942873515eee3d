#!/usr/bin/env node
/**
 * The cf-preflight command: the only place that touches argv, stdout and exit codes. It loads
 * nothing heavy before a command needs it, so `--help` answers at once.
 */
import { COMMAND_HELP, COMMANDS, type CommandName, MAIN_HELP } from "./cli/help.js";
import type { Io } from "./cli/io.js";
import { processIo, SIGNAL_EXIT, type SignalExit } from "./cli/process-io.js";
import {
  EXIT,
  type ExitCode,
  errorLine,
  InputError,
  InterruptedError,
  UsageError,
  VerifyError,
} from "./errors.js";
import { printableLines, quote } from "./printable.js";
import { VERSION } from "./version.js";

interface CommandModule {
  run(argv: readonly string[], io: Io): Promise<ExitCode>;
}

const LOADERS: Record<CommandName, () => Promise<CommandModule>> = {
  check: () => import("./commands/check.js"),
  drift: () => import("./commands/drift.js"),
  deploy: () => import("./commands/deploy.js"),
  demo: () => import("./commands/demo.js"),
  rules: () => import("./commands/rules.js"),
  emulator: () => import("./commands/emulator.js"),
  merge: () => import("./commands/merge.js"),
};

/** What the command exits with: the codes of errors.ts, or 130/143 when interrupted. */
export type CliExit = ExitCode | SignalExit;

/** Set to 1 to print the stack of an internal error. */
export const DEBUG_ENV = "CF_PREFLIGHT_DEBUG";

export async function main(argv: readonly string[], io: Io): Promise<CliExit> {
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
  const own = rest.includes("--") ? rest.slice(0, rest.indexOf("--")) : rest;
  if (own.includes("--help") || own.includes("-h")) {
    io.stdout(COMMAND_HELP[first]);
    return EXIT.ok;
  }
  try {
    const command = await LOADERS[first]();
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

function isCommand(name: string): name is CommandName {
  return (COMMANDS as readonly string[]).includes(name);
}

const isEntry = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("/cf-preflight");
if (isEntry) {
  main(process.argv.slice(2), processIo()).then(
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
