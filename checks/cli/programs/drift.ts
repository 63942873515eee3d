/**
 * `cf-preflight drift` as a program of its own, compiled by the build into `dist/bundle/drift.cjs`
 * and run from there by the entry (see `../compiled.ts`): the same dispatch and exit codes, with
 * only this command's code.
 */
import { runAsProcess } from "../main.js";

export function start(argv: readonly string[]): void {
  runAsProcess(argv, { drift: () => import("../../commands/drift.js") });
}
