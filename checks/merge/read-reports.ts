import { isUtf8 } from "node:buffer";
import { resolve } from "node:path";
import { parseJsonText } from "../desired/json-file.js";
import { InputError, UsageError } from "../errors.js";
import { MAX_INPUT_BYTES, readTextFile } from "../input/read-text.js";
import { firstInvalidUtf8 } from "../input/utf8.js";
import { checkReport, type ShardReport } from "./report-schema.js";

/** A report as given: where it came from (a path, or "(stdin)" for `-`) and what it says. */
export interface LoadedReport {
  readonly label: string;
  readonly report: ShardReport;
}

const STDIN = "(stdin)";
const WHAT = "cf-preflight JSON report";

/**
 * Read the reports named on the command line (`-` once: standard input) one after the other, each
 * parsed and checked; the first bad one throws InputError (exit 2) naming the file, the place in
 * it and what was expected. One at a time, so a merge holds one report's text at once.
 */
export async function* loadReports(
  given: readonly string[],
  cwd: string,
  stdin: () => Promise<Buffer>,
): AsyncGenerator<LoadedReport> {
  if (given.length === 0) throw new UsageError("merge: expected one or more JSON reports (or - for stdin)");
  if (given.filter((g) => g === "-").length > 1)
    throw new UsageError("merge: - (standard input) can be given once");
  const labels = given.map((name) => (name === "-" ? STDIN : resolve(cwd, name)));
  const twice = labels.find((label, i) => labels.indexOf(label) !== i);
  if (twice !== undefined) throw new UsageError(`merge: ${twice} is given twice; each report is merged once`);
  for (const [i, name] of given.entries()) {
    const label = labels[i]!;
    const text = name === "-" ? stdinText(await stdin()) : readTextFile(label, `a ${WHAT}`);
    yield { label, report: checkReport(parseJsonText(text, label, WHAT), label) };
  }
}

/** Every report at once (tests, small merges). */
export async function readReports(
  given: readonly string[],
  cwd: string,
  stdin: () => Promise<Buffer>,
): Promise<LoadedReport[]> {
  const out: LoadedReport[] = [];
  for await (const report of loadReports(given, cwd, stdin)) out.push(report);
  return out;
}

/** Standard input as text, held to the same ceiling and encoding as files. */
function stdinText(bytes: Buffer): string {
  if (bytes.length > MAX_INPUT_BYTES)
    throw new InputError(STDIN, undefined, `a ${WHAT} of at most 256 MiB`, `it holds ${bytes.length} bytes`);
  if (!isUtf8(bytes))
    throw new InputError(
      STDIN,
      `byte offset ${firstInvalidUtf8(bytes)}`,
      `UTF-8 text (a ${WHAT})`,
      "this byte does not begin or continue a valid UTF-8 sequence",
    );
  const text = bytes.toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** All of the process's standard input, stopping once past the ceiling. */
export async function readProcessStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    chunks.push(buffer);
    total += buffer.length;
    if (total > MAX_INPUT_BYTES) break;
  }
  return Buffer.concat(chunks, total);
}
