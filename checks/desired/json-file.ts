import { readFileSync, statSync } from "node:fs";
import { InputError } from "../errors.js";

/** Read and parse a JSON file; errors name the file, the line and column, and what was expected. */
export function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    if (statSync(file).isDirectory()) throw new InputError(file, undefined, `${what} file, not a folder`);
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(file, undefined, `a readable ${what} file`, (error as NodeJS.ErrnoException).code);
  }
  if (text.trim() === "")
    throw new InputError(file, undefined, `${what} (a JSON object)`, "the file is empty");
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    const where = at ? lineColumn(text, Number(at[1])) : undefined;
    throw new InputError(file, where, `valid JSON (${what})`, message.replace(/^JSON\.parse: /, ""));
  }
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
