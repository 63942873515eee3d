#!/usr/bin/env node
/**
 * The cf-preflight command: the only place that touches argv, stdout and exit codes. It loads
 * nothing heavy before a command needs it, so `--help` answers at once.
 */
import { COMMAND_HELP, COMMANDS, type CommandName, MAIN_HELP } from "./cli/help.js";
import type { Io } from "./cli/io.js";
import { scrubber } from "./cli/scrub.js";
import { EXIT, type ExitCode, InputError, UsageError, VerifyError } from "./errors.js";
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
};

export async function main(argv: readonly string[], io: Io): Promise<ExitCode> {
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
      `cf-preflight: unknown command "${first}"; expected one of ${COMMANDS.join(", ")} (see --help)\n`,
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

function reportError(error: unknown, io: Io, command: string): ExitCode {
  if (error instanceof InputError || error instanceof UsageError) {
    io.stderr(`cf-preflight ${command}: ${error.message}\n`);
    if (error instanceof UsageError) io.stderr(`See cf-preflight ${command} --help\n`);
    return EXIT.input;
  }
  if (error instanceof VerifyError) {
    io.stderr(`cf-preflight ${command}: could not verify: ${error.message}\n`);
    if (error.hint) io.stderr(`  ${error.hint}\n`);
    io.stderr("  Nothing was reported clean. Use --allow-unverified to report what could be checked.\n");
    return EXIT.unverified;
  }
  // A bug: fail closed, as "could not verify", never as a pass.
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr(`cf-preflight ${command}: internal error (please report it): ${detail}\n`);
  return EXIT.unverified;
}

function isCommand(name: string): name is CommandName {
  return (COMMANDS as readonly string[]).includes(name);
}

function processIo(): Io {
  const scrub = scrubber(process.env.CLOUDFLARE_API_TOKEN);
  const interrupted = new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  return {
    stdout: (text) => void process.stdout.write(scrub(text)),
    stderr: (text) => void process.stderr.write(scrub(text)),
    env: process.env,
    cwd: process.cwd(),
    stdoutIsTty: Boolean(process.stdout.isTTY),
    stderrIsTty: Boolean(process.stderr.isTTY),
    interrupted,
  };
}

const isEntry = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("/cf-preflight");
if (isEntry) {
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`cf-preflight: ${String(error)}\n`);
      process.exitCode = EXIT.unverified;
    },
  );
}
