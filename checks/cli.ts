#!/usr/bin/env node
/**
 * The cf-preflight command: the only place that touches argv, stdout and exit codes. It loads
 * nothing heavy before a command needs it, so `--help` answers at once; a command the build
 * compiled into a program of its own (`cli/compiled.ts`) runs from there, with V8's code cache.
 */
import { startCompiled } from "./cli/compiled.js";
import type { Io } from "./cli/io.js";
import { type CliExit, type CommandLoaders, runAsProcess, runMain } from "./cli/main.js";

export { type CliExit, DEBUG_ENV } from "./cli/main.js";

const LOADERS: Required<CommandLoaders> = {
  check: () => import("./commands/check.js"),
  drift: () => import("./commands/drift.js"),
  deploy: () => import("./commands/deploy.js"),
  demo: () => import("./commands/demo.js"),
  rules: () => import("./commands/rules.js"),
  emulator: () => import("./commands/emulator.js"),
  merge: () => import("./commands/merge.js"),
};

export function main(argv: readonly string[], io: Io): Promise<CliExit> {
  return runMain(argv, io, LOADERS);
}

const isEntry = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("/cf-preflight");
if (isEntry) {
  const argv = process.argv.slice(2);
  if (!startCompiled(argv)) runAsProcess(argv, LOADERS);
}
