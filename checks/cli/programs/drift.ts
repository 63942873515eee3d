/**
 * `cf-preflight drift` as a program of its own, compiled by the build into `dist/bundle/drift.cjs`
 * and run from there by the entry (see `../compiled.ts`): the same dispatch and exit codes, with
 * only this command's code.
 */
import type { Io } from "../io.js";
import { type CliExit, type CommandLoaders, runAsProcess, runMain } from "../main.js";

const LOADERS: CommandLoaders = { drift: () => import("../../commands/drift.js") };

export function start(argv: readonly string[]): void {
  runAsProcess(argv, LOADERS);
}

/** The command in this process with the given I/O (the build's training run, `build/training.ts`). */
export function run(argv: readonly string[], io: Io): Promise<CliExit> {
  return runMain(argv, io, LOADERS);
}
