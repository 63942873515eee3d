/**
 * JSON with object keys sorted at every depth (and `undefined` members left out, as JSON.stringify
 * does): two values that are equal as data give the same text, whatever order their keys were
 * built in. `omit` drops members by name at every depth.
 */
export function canonicalJson(value: unknown, omit: ReadonlySet<string> = NO_KEYS): string {
  let text = "";
  writeCanonicalJson(value, omit, (chunk) => {
    text += chunk;
  });
  return text;
}

/**
 * The same text as `canonicalJson`, handed to `sink` in pieces of about `CHUNK` characters: a
 * digest of a large value (a zone of 100,000 records) never holds its whole text at once.
 */
export function writeCanonicalJson(
  value: unknown,
  omit: ReadonlySet<string>,
  sink: (chunk: string) => void,
): void {
  const out = { buffer: "", sink };
  write(value, omit, out);
  if (out.buffer !== "") sink(out.buffer);
}

const NO_KEYS: ReadonlySet<string> = new Set();
const CHUNK = 64 * 1024;

interface Out {
  buffer: string;
  readonly sink: (chunk: string) => void;
}

function emit(out: Out, text: string): void {
  out.buffer += text;
  if (out.buffer.length >= CHUNK) {
    out.sink(out.buffer);
    out.buffer = "";
  }
}

function write(value: unknown, omit: ReadonlySet<string>, out: Out): void {
  if (value === null || typeof value !== "object") {
    emit(out, JSON.stringify(value) ?? "null");
    return;
  }
  if (Array.isArray(value)) {
    emit(out, "[");
    value.forEach((v, i) => {
      if (i > 0) emit(out, ",");
      if (v === undefined) emit(out, "null");
      else write(v, omit, out);
    });
    emit(out, "]");
    return;
  }
  emit(out, "{");
  let first = true;
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined || typeof member === "function" || omit.has(key)) continue;
    emit(out, `${first ? "" : ","}${JSON.stringify(key)}:`);
    first = false;
    write(member, omit, out);
  }
  emit(out, "}");
}
