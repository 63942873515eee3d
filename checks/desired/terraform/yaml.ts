import type { TfObject, TfValue } from "./value.js";

/**
 * The part of YAML that configurations keep their DNS data in, read as Terraform's `yamldecode`
 * reads it (HashiCorp's go-cty-yaml, checked 2026-11-30): one document of block mappings and
 * sequences, flow collections on one line, plain and quoted scalars, `|` / `>` block scalars,
 * anchors and aliases. Plain scalars resolve as go-cty-yaml resolves them, YAML 1.1 booleans
 * included (`yes`, `on`, `n`). Anything else (tags, merge keys, several documents, a plain scalar
 * over several lines, dates) throws `YamlNotRead`: the caller reports the value as unknown rather
 * than guess.
 */
export class YamlNotRead extends Error {}

interface Line {
  readonly indent: number;
  /** The line after its indentation, comments removed, trailing blanks trimmed. */
  readonly text: string;
  readonly raw: string;
  readonly number: number;
}

/** go-cty-yaml's table of plain scalars that are not strings. */
const PLAIN_VALUES: ReadonlyMap<string, boolean | null> = new Map<string, boolean | null>([
  ...["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"].map((s) => [s, true] as const),
  ...["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"].map(
    (s) => [s, false] as const,
  ),
  ...["", "~", "null", "Null", "NULL"].map((s) => [s, null] as const),
]);

const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** A plain (unquoted) scalar as go-cty-yaml resolves it. */
export function resolvePlainScalar(text: string): TfValue {
  if (PLAIN_VALUES.has(text)) return PLAIN_VALUES.get(text)!;
  const first = text[0]!;
  if (/[-+0-9]/.test(first)) {
    if (/^\d{4}-/.test(text)) throw new YamlNotRead(`the date-like scalar "${text}"`);
    if (text === "+" || text === "-") throw new YamlNotRead(`the scalar "${text}"`);
    const plain = text.replaceAll("_", "");
    if (DECIMAL.test(plain)) return Number(plain);
    if (/^-?0b/.test(plain)) throw new YamlNotRead(`the binary number "${text}"`);
    return text;
  }
  if (first === ".") {
    if (/^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$/.test(text)) throw new YamlNotRead(`the number "${text}"`);
    if (DECIMAL.test(text)) return Number(text);
  }
  return text;
}

/** Remove a comment (` #` outside quotes) and trailing blanks. */
function stripComment(text: string): string {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) {
        if (quote === "'" && text[i + 1] === "'") i++;
        else quote = undefined;
      } else if (c === "\\" && quote === '"') i++;
    } else if (c === "#" && (i === 0 || /\s/.test(text[i - 1]!))) return text.slice(0, i).trimEnd();
    else if ((c === '"' || c === "'") && (i === 0 || /[\s[{,:]/.test(text[i - 1]!))) quote = c;
  }
  return text.trimEnd();
}

function splitLines(source: string): Line[] {
  const lines: Line[] = [];
  source.split(/\r?\n/).forEach((raw, index) => {
    const indent = raw.length - raw.replace(/^ +/, "").length;
    if (raw[indent] === "\t") throw new YamlNotRead(`a tab in the indentation of line ${index + 1}`);
    lines.push({ indent, text: stripComment(raw.slice(indent)), raw, number: index + 1 });
  });
  return lines;
}

/** Where `key:` ends in a mapping entry (the colon), or -1 when the text is not one. */
function mappingColon(text: string): number {
  if (text.startsWith('"') || text.startsWith("'")) {
    const q = text[0]!;
    let i = 1;
    while (i < text.length) {
      if (text[i] === "\\" && q === '"') i += 2;
      else if (text[i] === q && q === "'" && text[i + 1] === "'") i += 2;
      else if (text[i] === q) break;
      else i++;
    }
    const rest = text.slice(i + 1);
    return /^\s*:(\s|$)/.test(rest) ? i + 1 + rest.indexOf(":") : -1;
  }
  if (/^[[{]/.test(text)) return -1;
  const match = /:(\s|$)/.exec(text);
  return match ? match.index : -1;
}

class Reader {
  private pos = 0;
  private readonly anchors = new Map<string, TfValue>();

  constructor(private readonly lines: Line[]) {}

  read(): TfValue {
    this.skipBlank();
    if (this.peek()?.text === "---") {
      this.pos++;
      this.skipBlank();
    }
    const value = this.peek() === undefined ? null : this.node(0);
    this.skipBlank();
    const next = this.peek();
    if (next && next.text !== "...") throw new YamlNotRead(`line ${next.number} ("${next.text}")`);
    return value;
  }

  private peek(): Line | undefined {
    return this.lines[this.pos];
  }

  private skipBlank(): void {
    while (this.pos < this.lines.length && this.lines[this.pos]!.text === "") this.pos++;
  }

  /** A block node whose first line is the current one, at an indentation of at least `min`. */
  private node(min: number): TfValue {
    this.skipBlank();
    const line = this.peek();
    if (!line || line.indent < min) return null;
    if (line.text === "-" || line.text.startsWith("- ")) return this.sequence(line.indent);
    if (mappingColon(line.text) >= 0) return this.mapping(line.indent);
    this.pos++;
    const value = this.inline(line.text, line);
    this.refuseContinuation(line.indent - 1, line);
    return value;
  }

  private sequence(indent: number): TfValue[] {
    const items: TfValue[] = [];
    for (let line = this.peek(); line && line.indent === indent; line = this.peek()) {
      if (line.text !== "-" && !line.text.startsWith("- ")) break;
      const rest = line.text.slice(1).trimStart();
      if (rest === "") {
        this.pos++;
        items.push(this.node(indent + 1));
      } else if (rest.startsWith("- ") || rest === "-" || mappingColon(rest) >= 0) {
        // `- key: value` or `- - item`: the rest of the line opens a collection at its own column.
        const column = indent + (line.text.length - rest.length);
        this.lines[this.pos] = { ...line, indent: column, text: rest };
        items.push(this.node(column));
      } else {
        this.pos++;
        items.push(this.valueAfterIndicator(rest, line, indent));
      }
      this.skipBlank();
    }
    return items;
  }

  private mapping(indent: number): TfObject {
    const out: Record<string, TfValue> = {};
    for (let line = this.peek(); line && line.indent === indent; line = this.peek()) {
      const colon = mappingColon(line.text);
      if (colon < 0) throw new YamlNotRead(`line ${line.number} ("${line.text}")`);
      const key = this.key(line.text.slice(0, colon).trim(), line);
      if (key === "<<") throw new YamlNotRead(`the merge key on line ${line.number}`);
      if (Object.hasOwn(out, key)) throw new YamlNotRead(`the key "${key}" given twice`);
      this.pos++;
      out[key] = this.valueAfterIndicator(line.text.slice(colon + 1).trim(), line, indent);
      this.skipBlank();
    }
    return out;
  }

  private key(text: string, line: Line): string {
    if (text.startsWith('"') || text.startsWith("'")) return this.quoted(text, line);
    if (/^[&*!?|>[{]/.test(text)) throw new YamlNotRead(`the key "${text}" on line ${line.number}`);
    const value = resolvePlainScalar(text);
    if (typeof value !== "string")
      throw new YamlNotRead(`the non-string key "${text}" on line ${line.number}`);
    return value;
  }

  /** The value after `key:` or `- ` on the line, or the block below it. */
  private valueAfterIndicator(rest: string, line: Line, indent: number): TfValue {
    let text = rest;
    let anchor: string | undefined;
    const anchored = /^&(\S+)\s*(.*)$/.exec(text);
    if (anchored) {
      anchor = anchored[1]!;
      text = anchored[2]!;
    }
    let value: TfValue;
    if (text === "") {
      this.skipBlank();
      const next = this.peek();
      // A sequence may sit at the same indentation as the key it belongs to.
      if (next && next.indent === indent && (next.text === "-" || next.text.startsWith("- ")))
        value = this.sequence(indent);
      else value = this.node(indent + 1);
    } else if (/^[|>]/.test(text)) value = this.blockScalar(text, line, indent);
    else {
      value = this.inline(text, line);
      this.refuseContinuation(indent, line);
    }
    if (anchor !== undefined) this.anchors.set(anchor, value);
    return value;
  }

  /** A plain scalar that goes on to the next, deeper line is not read. */
  private refuseContinuation(indent: number, line: Line): void {
    this.skipBlank();
    const next = this.peek();
    if (next && next.indent > indent) throw new YamlNotRead(`the scalar continued after line ${line.number}`);
  }

  private inline(text: string, line: Line): TfValue {
    const [value, rest] = this.flow(text, line);
    if (rest.trim() !== "") throw new YamlNotRead(`"${rest.trim()}" after a value on line ${line.number}`);
    return value;
  }

  /** One flow value at the start of `text`, and what follows it. */
  private flow(text: string, line: Line, inFlow = false): [TfValue, string] {
    const t = text.trimStart();
    if (t.startsWith("!")) throw new YamlNotRead(`the tag on line ${line.number}`);
    if (t.startsWith("*")) {
      const name = /^\*([^\s,\]}]+)/.exec(t)![1]!;
      if (!this.anchors.has(name)) throw new YamlNotRead(`the alias *${name} on line ${line.number}`);
      return [this.anchors.get(name)!, t.slice(name.length + 1)];
    }
    if (t.startsWith("&")) throw new YamlNotRead(`the anchor inside a value on line ${line.number}`);
    if (t.startsWith('"') || t.startsWith("'")) {
      const end = this.quotedEnd(t, line);
      return [this.quoted(t.slice(0, end), line), t.slice(end)];
    }
    if (t.startsWith("[")) {
      const items: TfValue[] = [];
      let rest = t.slice(1).trimStart();
      while (!rest.startsWith("]")) {
        const [item, after] = this.flow(rest, line, true);
        items.push(item);
        rest = after.trimStart();
        if (rest.startsWith(",")) rest = rest.slice(1).trimStart();
        else if (!rest.startsWith("]")) throw new YamlNotRead(`the flow sequence on line ${line.number}`);
      }
      return [items, rest.slice(1)];
    }
    if (t.startsWith("{")) {
      const out: Record<string, TfValue> = {};
      let rest = t.slice(1).trimStart();
      while (!rest.startsWith("}")) {
        const [key, afterKey] = this.flow(rest, line, true);
        let after = afterKey.trimStart();
        if (!after.startsWith(":")) throw new YamlNotRead(`the flow mapping on line ${line.number}`);
        const [value, afterValue] = this.flow(after.slice(1), line, true);
        out[key === null ? "null" : String(key)] = value;
        after = afterValue.trimStart();
        if (after.startsWith(",")) after = after.slice(1).trimStart();
        else if (!after.startsWith("}")) throw new YamlNotRead(`the flow mapping on line ${line.number}`);
        rest = after;
      }
      return [out, rest.slice(1)];
    }
    // A plain scalar: in flow context it ends at , ] } or ": ".
    const end = inFlow ? t.search(/[,\]}]|:(\s|$)/) : -1;
    const plain = (end < 0 ? t : t.slice(0, end)).trim();
    if (!inFlow && (/^[@`%]/.test(plain) || /:(\s|$)/.test(plain)))
      throw new YamlNotRead(`the scalar "${plain}" on line ${line.number}`);
    return [resolvePlainScalar(plain), end < 0 ? "" : t.slice(end)];
  }

  private quotedEnd(t: string, line: Line): number {
    const q = t[0]!;
    for (let i = 1; i < t.length; i++) {
      if (q === '"' && t[i] === "\\") i++;
      else if (q === "'" && t[i] === "'" && t[i + 1] === "'") i++;
      else if (t[i] === q) return i + 1;
    }
    throw new YamlNotRead(`the quoted scalar over several lines from line ${line.number}`);
  }

  private quoted(text: string, line: Line): string {
    const body = text.slice(1, -1);
    if (text[0] === "'") return body.replaceAll("''", "'");
    const escapes: Record<string, string> = {
      n: "\n",
      t: "\t",
      '"': '"',
      "\\": "\\",
      "/": "/",
      r: "\r",
      "0": "\0",
    };
    return body.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, e: string) => {
      if (e.length > 1) return String.fromCharCode(Number.parseInt(e.slice(1), 16));
      const out = escapes[e];
      if (out === undefined) throw new YamlNotRead(`the escape \\${e} on line ${line.number}`);
      return out;
    });
  }

  /** `|` (literal) or `>` (folded) with an optional chomping indicator. */
  private blockScalar(header: string, line: Line, indent: number): string {
    const match = /^([|>])([-+]?)$/.exec(header);
    if (!match) throw new YamlNotRead(`the block scalar header "${header}" on line ${line.number}`);
    const body: Line[] = [];
    let column: number | undefined;
    while (this.pos < this.lines.length) {
      const next = this.lines[this.pos]!;
      const blank = next.raw.trim() === "";
      if (!blank && next.indent <= indent) break;
      if (!blank && column === undefined) column = next.indent;
      if (!blank && next.indent < column!) break;
      body.push(next);
      this.pos++;
    }
    const texts = body.map((l) => (l.raw.trim() === "" ? "" : l.raw.slice(column ?? 0)));
    while (texts.length > 0 && texts[texts.length - 1] === "" && match[2] !== "+") texts.pop();
    let text: string;
    if (match[1] === "|") text = texts.join("\n");
    else {
      if (texts.some((t) => /^\s/.test(t))) throw new YamlNotRead(`the folded scalar on line ${line.number}`);
      text = "";
      for (const t of texts)
        if (t === "") text += "\n";
        else text += text === "" || text.endsWith("\n") ? t : ` ${t}`;
    }
    if (texts.length === 0) return "";
    return match[2] === "-" ? text : `${text}\n`;
  }
}

/** A YAML document as `yamldecode` gives it. Throws `YamlNotRead` for what it does not read. */
export function parseYaml(source: string): TfValue {
  return new Reader(splitLines(source)).read();
}
