/**
 * Values from input files reach messages and reports; raw control characters, bidirectional
 * overrides or lone surrogates in them must never reach a terminal as themselves. These escape
 * them as `\u{...}`, readable and inert.
 */

/** Control, format (bidi overrides, zero-width), private-use and lone-surrogate characters. */
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\u2028\u2029]/gu;
/** The same, except line feed and tab (multi-line messages keep their lines). */
const NOT_PRINTABLE_IN_LINES = /[^\P{Cc}\n\t]|[\p{Cf}\p{Co}\p{Cs}\u2028\u2029]/gu;

function escapeChar(ch: string): string {
  return `\\u{${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}}`;
}

/** Escape every character that is not printable. */
export function printable(text: string): string {
  return text.replace(NOT_PRINTABLE, escapeChar);
}

/** Longer values are cut in messages: the start says which value it was. */
const QUOTE_MAX = 120;

/**
 * A value quoted for a message: `"..."` with quotes, backslashes and non-printables escaped, cut
 * after 120 characters; a value that is not a string is shown as JSON.
 */
export function quote(value: unknown): string {
  if (typeof value !== "string") return printable(shorten(JSON.stringify(value) ?? String(value)));
  return `"${printable(shorten(value).replace(/[\\"]/g, (c) => `\\${c}`))}"`;
}

function shorten(text: string): string {
  return text.length <= QUOTE_MAX ? text : `${text.slice(0, QUOTE_MAX)}… (${text.length} characters)`;
}

/** A message of our own: lines and tabs stay, anything else not printable is escaped. */
export function printableLines(text: string): string {
  return text.replace(NOT_PRINTABLE_IN_LINES, escapeChar);
}

/**
 * Our own SGR colour and erase-line sequences and carriage returns (the progress line), or any
 * other character that is not printable.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the sequences we keep.
const TERMINAL = /\u001b\[[0-9;]*[mK]|\r|[^\P{Cc}\n\t]|[\p{Cf}\p{Co}\p{Cs}\u2028\u2029]/gu;

/**
 * For a terminal: everything but our own colour and line-erase sequences, line feeds and tabs is
 * made printable, so a report quoting a hostile input cannot drive the terminal.
 */
export function terminalSafe(text: string): string {
  return text.replace(TERMINAL, (m) => (m === "\r" || m.startsWith("\u001b[") ? m : escapeChar(m)));
}
