import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Io } from "./io.js";
import type { OutputTarget } from "./options.js";

/**
 * Write every rendered output, all or nothing: files go to temporary names first and are renamed
 * into place only when all of them were written, so a failure leaves nothing half-written.
 */
export function writeOutputs(rendered: readonly { target: OutputTarget; text: string }[], io: Io): void {
  const staged: { tmp: string; file: string }[] = [];
  try {
    for (const { target, text } of rendered) {
      if (target.file === undefined) continue;
      const file = resolve(io.cwd, target.file);
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, text);
      staged.push({ tmp, file });
    }
    for (const { tmp, file } of staged) renameSync(tmp, file);
  } catch (error) {
    for (const { tmp } of staged) rmSync(tmp, { force: true });
    throw error;
  }
  for (const { target, text } of rendered) if (target.file === undefined) io.stdout(text);
}
