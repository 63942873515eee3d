/**
 * JSON with object keys sorted at every depth (and `undefined` members left out, as JSON.stringify
 * does): two values that are equal as data give the same text, whatever order their keys were
 * built in. `omit` drops members by name at every depth.
 */
export function canonicalJson(value: unknown, omit: ReadonlySet<string> = NO_KEYS): string {
  return write(value, omit);
}

const NO_KEYS: ReadonlySet<string> = new Set();

function write(value: unknown, omit: ReadonlySet<string>): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? "null" : write(v, omit))).join(",")}]`;
  const parts: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined || typeof member === "function" || omit.has(key)) continue;
    parts.push(`${JSON.stringify(key)}:${write(member, omit)}`);
  }
  return `{${parts.join(",")}}`;
}
