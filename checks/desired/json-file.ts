import { InputError } from "../errors.js";
import { jsonSyntaxErrorOffset } from "../input/json-syntax.js";
import { readTextFile } from "../input/read-text.js";
import { printable } from "../printable.js";

/**
 * Read and parse a JSON file; errors name the file, the line and column, and what was expected.
 * The file is read with the input ceiling and must be UTF-8 (`readTextFile`); a parse error never
 * quotes the file's text (V8's message can quote a slice of it, which may hold anything).
 */
export function readJsonFile(file: string, what: string): unknown {
  return parseJsonText(readTextFile(file, `a ${what} file`), file, what);
}

/** Parse JSON text read from `file` (a path, or a label such as "(stdin)"), with the same errors. */
export function parseJsonText(text: string, file: string, what: string): unknown {
  if (text.trim() === "")
    throw new InputError(file, undefined, `${what} (a JSON object)`, "the file is empty");
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    // Node 20 names no position for an unexpected token: find it.
    const offset = at ? Number(at[1]) : jsonSyntaxErrorOffset(text);
    const where = offset >= 0 ? lineColumn(text, offset) : undefined;
    throw new InputError(file, where, `valid JSON (${what})`, parseProblem(message));
  }
}

/** V8's message without the slice of input it may quote (`..., "<text>" is not valid JSON`). */
function parseProblem(message: string): string {
  const bare = message
    .replace(/^JSON\.parse: /, "")
    .replace(/, (\.\.\.)?".*is not valid JSON$/s, "")
    .replace(/ in JSON at position \d+.*$/s, "");
  return printable(bare);
}

function lineColumn(text: string, position: number): string {
  let line = 1;
  let column = 1;
  for (let i = 0; i < position && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      column = 1;
    } else column++;
  }
  return `line ${line}, column ${column}`;
}
