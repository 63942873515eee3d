import { TerraformEvalError } from "./evaluate.js";
import type { TfValue } from "./value.js";

/**
 * Terraform's `csvdecode()` (developer.hashicorp.com/terraform/language/functions/csvdecode,
 * checked 2026-11-30), which reads CSV as Go's encoding/csv does (RFC 4180): the first row names
 * the columns; fields may be quoted, and a quoted field holds commas, line breaks and doubled
 * quotes; a quote inside an unquoted field, an unterminated quote, or a row with another number of
 * fields than the header is an error; blank lines are skipped. Every value is a string.
 */
export function csvDecode(text: string): TfValue {
  const rows = csvRows(text);
  const [header, ...records] = rows;
  if (!header) return [];
  return records.map((row, i) => {
    if (row.length !== header.length)
      throw new TerraformEvalError(
        `csvdecode(): record ${i + 2} has ${row.length} fields, the header ${header.length}`,
      );
    const out: Record<string, TfValue> = {};
    header.forEach((name, j) => {
      out[name] = row[j]!;
    });
    return out;
  });
}

function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let line = 1;
  let i = 0;
  // Whether the row held a quoted field: `""` alone on a line is a field, not a blank line.
  let quotedInRow = false;
  const endField = () => {
    row.push(field);
    field = "";
  };
  const endRow = () => {
    endField();
    // Go's reader skips empty lines.
    if (quotedInRow || !(row.length === 1 && row[0] === "")) rows.push(row);
    row = [];
    quotedInRow = false;
    line += 1;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' && field === "") {
      // A quoted field: up to the closing quote; "" is one quote.
      const start = line;
      i += 1;
      for (;;) {
        if (i >= text.length)
          throw new TerraformEvalError(`csvdecode(): the quote opened on line ${start} never closes`);
        const d = text[i]!;
        if (d === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        if (d === "\r" && text[i + 1] === "\n") {
          field += "\n";
          i += 2;
          line += 1;
          continue;
        }
        if (d === "\n") line += 1;
        field += d;
        i += 1;
      }
      const next = text[i];
      if (next !== undefined && next !== "," && next !== "\n" && !(next === "\r" && text[i + 1] === "\n"))
        throw new TerraformEvalError(`csvdecode(): extraneous text after a closing quote on line ${line}`);
      quotedInRow = true;
      if (next === undefined) {
        endRow();
        break;
      }
      if (next === ",") {
        endField();
        i += 1;
      }
      continue;
    }
    if (c === '"')
      throw new TerraformEvalError(`csvdecode(): a bare quote inside an unquoted field on line ${line}`);
    if (c === ",") {
      endField();
      i += 1;
      continue;
    }
    if (c === "\n" || (c === "\r" && text[i + 1] === "\n")) {
      endRow();
      i += c === "\r" ? 2 : 1;
      continue;
    }
    field += c;
    i += 1;
  }
  if (field !== "" || row.length > 0) endRow();
  return rows;
}
