import { randomBytes } from "node:crypto";
import {
  accessSync,
  constants,
  lstatSync,
  mkdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { InputError, UsageError } from "../errors.js";
import { errnoCode, osReason } from "../input/os-reason.js";
import { quote } from "../printable.js";
import type { Io } from "./io.js";
import type { OutputTarget } from "./options.js";

/**
 * Where each `--output` goes, decided and checked before any work:
 *
 * - `stdout`: no `--output`, `--output -`, or `--output /dev/stdout` (and `stderr` for `/dev/stderr`): written
 *   through the CLI's own streams, which also works when they are sockets that cannot be opened;
 * - `replace`: a regular file (or a name not yet taken), written to a temporary file in the same
 *   folder and renamed over it, so a reader never sees half a report; through a symlink, the
 *   link's final target is replaced and the link stays;
 * - `through`: anything that is not a regular file (`/dev/stdout`, a FIFO, `/dev/null`, a
 *   terminal) is opened and written in place, never replaced.
 */
export type PlannedOutput =
  | { readonly kind: "stdout" | "stderr"; readonly target: OutputTarget }
  | {
      readonly kind: "replace" | "through";
      readonly target: OutputTarget;
      /** The path as given on the command line (for messages). */
      readonly given: string;
      /** Where the bytes go: the final target of any symlinks (replace), or the path itself (through). */
      readonly path: string;
      /** An existing file's permission bits, kept on the replacement. */
      readonly mode?: number;
    };

/** Names of the process's own output streams. */
const STREAM_PATHS: Readonly<Record<string, "stdout" | "stderr">> = {
  "/dev/stdout": "stdout",
  "/dev/fd/1": "stdout",
  "/proc/self/fd/1": "stdout",
  "/dev/stderr": "stderr",
  "/dev/fd/2": "stderr",
  "/proc/self/fd/2": "stderr",
};

/** Symlinks are followed at most this many times (Linux's own limit is 40). */
const MAX_SYMLINK_HOPS = 40;

/** An output that cannot be written: exit 2, one line naming the file and the OS's reason. */
export class OutputError extends InputError {
  constructor(given: string, reason: string) {
    super(given, undefined, "a writable output file", reason);
    this.message = `--output ${quote(given)}: cannot write it: ${reason}; no report was written`;
  }
}

/**
 * Check every output before any work: not a folder, not the same file twice, its folder writable
 * (or creatable under a writable folder). Throws OutputError or UsageError (exit 2).
 */
export function planOutputs(targets: readonly OutputTarget[], cwd: string): PlannedOutput[] {
  const seen = new Map<string, string>();
  // Two formats on one stream interleave into a report no reader can parse.
  const streams = new Set<string>();
  const stream = (kind: "stdout" | "stderr", target: OutputTarget): PlannedOutput => {
    if (streams.has(kind))
      throw new UsageError(
        `--format: only one format can go to ${kind}${target.file !== undefined ? ` (--output ${quote(target.file)} is ${kind})` : ""}; give the others an --output FILE`,
      );
    streams.add(kind);
    return { kind, target };
  };
  return targets.map((target) => {
    // `-` is standard output, as `--plan -` is standard input (never a file named "-").
    if (target.file === undefined || target.file === "-") return stream("stdout", target);
    const given = target.file;
    const planned = destination(given, resolve(cwd, given));
    if (planned.kind === "stdout" || planned.kind === "stderr") return stream(planned.kind, target);
    const key = identity(planned.path);
    const other = seen.get(key);
    if (other !== undefined)
      throw new UsageError(
        `--output ${quote(given)}: the same file as --output ${quote(other)}; give each format its own file`,
      );
    seen.set(key, given);
    return { ...planned, target };
  });
}

function destination(
  given: string,
  path: string,
): { kind: "replace" | "through" | "stdout" | "stderr"; given: string; path: string; mode?: number } {
  let current = path;
  for (let hop = 0; hop <= MAX_SYMLINK_HOPS; hop++) {
    const stream = STREAM_PATHS[current];
    if (stream !== undefined) return { kind: stream, given, path };
    let stat: Stats;
    try {
      stat = lstatSync(current);
    } catch (error) {
      if (errnoCode(error) !== "ENOENT") throw new OutputError(given, osReason(error));
      checkFolder(given, dirname(current));
      return { kind: "replace", given, path: current };
    }
    if (stat.isSymbolicLink()) {
      // /dev/stdout and /dev/fd/N lead into /proc, whose links are the process's open files, not
      // paths to replace: write through the name as given.
      if (current.startsWith("/proc/")) return through(given, path);
      current = resolve(dirname(current), readlinkSync(current));
      continue;
    }
    if (stat.isDirectory()) throw new OutputError(given, osReason({ code: "EISDIR" }));
    if (!stat.isFile()) return through(given, path);
    checkFolder(given, dirname(current));
    return { kind: "replace", given, path: current, mode: stat.mode & 0o7777 };
  }
  throw new OutputError(given, osReason({ code: "ELOOP" }));
}

function through(given: string, path: string): { kind: "through"; given: string; path: string } {
  try {
    accessSync(path, constants.W_OK);
  } catch (error) {
    throw new OutputError(given, osReason(error));
  }
  return { kind: "through", given, path };
}

/** The first folder that exists on the way up must be a folder we may write in. */
function checkFolder(given: string, folder: string): void {
  let current = folder;
  for (;;) {
    let stat: Stats;
    try {
      stat = statSync(current);
    } catch (error) {
      const code = errnoCode(error);
      if (code === "ENOENT" && dirname(current) !== current) {
        current = dirname(current);
        continue;
      }
      throw new OutputError(given, osReason(error));
    }
    if (!stat.isDirectory()) throw new OutputError(given, `${current} is not a folder (ENOTDIR)`);
    try {
      accessSync(current, constants.W_OK | constants.X_OK);
    } catch (error) {
      throw new OutputError(given, `${current}: ${osReason(error)}`);
    }
    return;
  }
}

/** The same file is the same path once the folder's symlinks are resolved; a device by its path. */
function identity(path: string): string {
  try {
    const stat = statSync(path);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return path;
    }
  }
}

/**
 * Write every rendered output, all or nothing: each file goes to a temporary file in its own folder
 * (created if missing); outputs that cannot be replaced are written through; only when all of that
 * succeeded are the temporary files renamed into place, and stdout written last. On failure every
 * temporary file and every folder made for them is removed, and OutputError names the output.
 * Report files are scrubbed like everything else the CLI writes.
 */
export function writeOutputs(planned: readonly PlannedOutput[], texts: readonly string[], io: Io): void {
  const staged: { tmp: string; path: string; given: string }[] = [];
  const madeFolders: string[] = [];
  let current = "";
  try {
    planned.forEach((output, i) => {
      if (output.kind !== "replace") return;
      current = output.given;
      const made = mkdirSync(dirname(output.path), { recursive: true });
      if (made !== undefined) madeFolders.push(made);
      const tmp = join(
        dirname(output.path),
        `.${basename(output.path)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`,
      );
      staged.push({ tmp, path: output.path, given: output.given });
      writeFileSync(tmp, io.scrub(texts[i] ?? ""), { flag: "wx", mode: output.mode ?? 0o666 });
    });
    planned.forEach((output, i) => {
      if (output.kind !== "through") return;
      current = output.given;
      writeFileSync(output.path, io.scrub(texts[i] ?? ""), { flag: "a" });
    });
    for (const { tmp, path, given } of staged) {
      current = given;
      renameSync(tmp, path);
    }
  } catch (error) {
    for (const { tmp } of staged) rmSync(tmp, { force: true });
    for (const folder of madeFolders.reverse()) rmSync(folder, { recursive: true, force: true });
    throw new OutputError(current, osReason(error));
  }
  planned.forEach((output, i) => {
    if (output.kind === "stdout") io.stdout(texts[i] ?? "");
    else if (output.kind === "stderr") io.stderr(texts[i] ?? "");
  });
}
