import { describe, expect, it } from "vitest";
import { readJsonFile } from "../../checks/desired/json-file.js";
import { jsonSyntaxErrorOffset } from "../../checks/input/json-syntax.js";
import { writeTfJson } from "../helpers/tf-json.js";

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe("the offset of a JSON syntax error", () => {
  it("points at the first character that cannot be JSON", () => {
    expect(jsonSyntaxErrorOffset('{"a": [1, 2, oops]}')).toBe(13);
    expect(jsonSyntaxErrorOffset('{"a" 1}')).toBe(5);
    expect(jsonSyntaxErrorOffset('{"a": 1,}')).toBe(8);
    expect(jsonSyntaxErrorOffset("[1, 2")).toBe(5);
    expect(jsonSyntaxErrorOffset('"abc')).toBe(4);
    expect(jsonSyntaxErrorOffset('"a\\x"')).toBe(3);
    expect(jsonSyntaxErrorOffset("01")).toBe(1);
    expect(jsonSyntaxErrorOffset("[1.]")).toBe(3);
    expect(jsonSyntaxErrorOffset("tru")).toBe(3);
    expect(jsonSyntaxErrorOffset("{} {}")).toBe(3);
    expect(jsonSyntaxErrorOffset("")).toBe(0);
    expect(jsonSyntaxErrorOffset(`${"[".repeat(100_000)}${"]".repeat(100_000)}`)).toBe(-1);
  });

  it("agrees with JSON.parse on every mutation of a valid document", () => {
    const valid = JSON.stringify({
      a: [1, -2.5e3, true, false, null, 'x\\n\u00e9"', { b: {} }, []],
      "c d": { e: [0, 0.1, 1e-7] },
    });
    expect(jsonSyntaxErrorOffset(valid)).toBe(-1);
    const pieces = [
      "",
      " ",
      ",",
      ":",
      "{",
      "}",
      "[",
      "]",
      '"',
      "\\",
      "0",
      "-",
      "e",
      ".",
      "t",
      "\n",
      "\u0001",
    ];
    let checked = 0;
    for (let at = 0; at <= valid.length; at++)
      for (const piece of pieces)
        for (const cut of [0, 1]) {
          const text = valid.slice(0, at) + piece + valid.slice(at + cut);
          const offset = jsonSyntaxErrorOffset(text);
          expect(offset === -1, text).toBe(parses(text));
          if (offset >= 0) expect(offset).toBeLessThanOrEqual(text.length);
          checked++;
        }
    expect(checked).toBeGreaterThan(2000);
  });

  it("locates an unexpected token in a file by line and column", () => {
    const file = writeTfJson('{\n  "resource": {\n    "x": oops\n  }\n}\n');
    expect(() => readJsonFile(file, "Terraform JSON")).toThrow(
      `${file} at line 3, column 10: expected valid JSON (Terraform JSON)`,
    );
  });
});
