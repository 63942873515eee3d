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
 * Read every report named on the command line (`-` once: standard input), each parsed and checked;
 * the first bad one throws InputError (exit 2) naming the file, the place in it and what was expected.
 */
export async function readReports(
  given: readonly string[],
  cwd: string,
  stdin: () => Promise<Buffer>,
): Promise<LoadedReport[]> {
  if (given.length === 0) throw new UsageError("merge: expected one or more JSON reports (or - for stdin)");
  if (given.filter((g) => g === "-").length > 1)
    throw new UsageError("merge: - (standard input) can be given once");
  const seen = new Set<string>();
  const out: LoadedReport[] = [];
  for (const name of given) {
    const label = name === "-" ? STDIN : resolve(cwd, name);
    if (seen.has(label)) throw new UsageError(`merge: ${name} is given twice; each report is merged once`);
    seen.add(label);
    const text = name === "-" ? stdinText(await stdin()) : readTextFile(label, `a ${WHAT}`);
    out.push({ label, report: checkReport(parseJsonText(text, label, WHAT), label) });
  }
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
