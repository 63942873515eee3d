import { isUtf8 } from "node:buffer";
import { closeSync, fstatSync, openSync, readSync, type Stats, statSync } from "node:fs";
import { InputError } from "../errors.js";
import { errnoCode, osReason } from "./os-reason.js";
import { firstInvalidUtf8 } from "./utf8.js";

/**
 * The largest input file cf-preflight reads (Terraform JSON, manifests, firewall exports, CA
 * files): 256 MiB, far above a synthesized stack of 100,000 records (about 30 MB), far below what
 * would exhaust memory. `--synth /dev/zero` stops here instead of growing without end.
 */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

const CHUNK_BYTES = 1024 * 1024;

export interface ReadTextOptions {
  /** The ceiling (default MAX_INPUT_BYTES); smaller only in tests. */
  readonly maxBytes?: number;
}

/**
 * Read a whole input file as UTF-8 text (`what` names it with its article: "a Terraform JSON
 * file"), or throw InputError (exit 2) naming the file and what was
 * wrong: not readable (with the OS's reason: a symlink loop says so), a folder, larger than the
 * ceiling (checked with fstat before reading and again while reading, for pipes and devices), or
 * not valid UTF-8 (with the byte offset; the bytes themselves are never echoed). A leading byte
 * order mark is dropped.
 */
export function readTextFile(file: string, what: string, options: ReadTextOptions = {}): string {
  const max = options.maxBytes ?? MAX_INPUT_BYTES;
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (error) {
    throw new InputError(file, undefined, what, `cannot read it: ${osReason(error)}`);
  }
  let bytes: Buffer;
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new InputError(file, undefined, `${what}, not a folder`);
    if (stat.isFile() && stat.size > max) throw tooLarge(file, what, max, `${stat.size} bytes`);
    bytes = stat.isFile() ? readFile(fd, stat.size, file, what, max) : readAll(fd, file, what, max);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(file, undefined, what, `cannot read it: ${osReason(error)}`);
  } finally {
    closeSync(fd);
  }
  if (!isUtf8(bytes)) {
    const offset = firstInvalidUtf8(bytes);
    const line = lineAt(bytes, offset);
    throw new InputError(
      file,
      `byte offset ${offset} (line ${line})`,
      `UTF-8 text (${what})`,
      "this byte does not begin or continue a valid UTF-8 sequence",
    );
  }
  const text = bytes.toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * A regular file into one buffer of its size (a byte more, to see it grew): large inputs are not
 * copied from chunks. A file that grew while being read is read on in chunks, within the ceiling.
 */
function readFile(fd: number, size: number, file: string, what: string, max: number): Buffer {
  const buffer = Buffer.allocUnsafe(size + 1);
  let total = 0;
  while (total < buffer.length) {
    const n = readSync(fd, buffer, total, buffer.length - total, null);
    if (n === 0) return buffer.subarray(0, total);
    total += n;
  }
  if (total > max) throw tooLarge(file, what, max, "more than that");
  const rest = readAll(fd, file, what, max, total);
  return Buffer.concat([buffer, rest], total + rest.length);
}

/** The rest of a file in chunks, `already` bytes read before: the ceiling counts them too. */
function readAll(fd: number, file: string, what: string, max: number, already = 0): Buffer {
  const chunks: Buffer[] = [];
  let total = already;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, max + 1 - total));
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    total += n;
    if (total > max) throw tooLarge(file, what, max, "more than that");
    chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
  }
  return Buffer.concat(chunks, total - already);
}

function tooLarge(file: string, what: string, max: number, got: string): InputError {
  return new InputError(file, undefined, `${what} of at most ${formatBytes(max)}`, `it holds ${got}`);
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : `${n} bytes`;
}

function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = bytes.indexOf(10); i >= 0 && i < offset; i = bytes.indexOf(10, i + 1)) line++;
  return line;
}

/**
 * `stat` an input path: a missing path, a symlink loop or an unreadable parent each throw
 * InputError with the OS's reason, so a loop is never reported as "does not exist".
 */
export function statInput(path: string, expected: string): Stats {
  try {
    return statSync(path);
  } catch (error) {
    throw new InputError(path, undefined, expected, osReason(error));
  }
}

/** Whether a path exists: false only when it does not (ENOENT); any other failure is InputError. */
export function inputExists(path: string, expected: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return false;
    throw new InputError(path, undefined, expected, osReason(error));
  }
}
