import { describe, expect, it } from "vitest";
import { canonicalJson, writeCanonicalJson } from "../../checks/canonical-json.js";

/** The same data with its keys inserted in reverse order, at every depth. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reversed(v)]),
  );
}

/** A deterministic pseudo-random document of `n` records. */
function document(n: number) {
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed;
  };
  return {
    zones: Array.from({ length: n }, (_, i) => ({
      name: `h${i}.example.test`,
      type: ["A", "AAAA", "CNAME"][next() % 3],
      proxied: next() % 2 === 0,
      ttl: next() % 3 === 0 ? 1 : 300,
      comment: next() % 5 === 0 ? undefined : `note "${i}" \u00e9`,
      file: "/tmp/somewhere.tf.json",
      tags: [],
    })),
  };
}

describe("canonical JSON", () => {
  it("gives one text for the same data, whatever order its keys were built in", () => {
    const value = document(50);
    expect(canonicalJson(reversed(value))).toBe(canonicalJson(value));
    expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it("sorts keys, leaves out undefined members and the omitted names at every depth", () => {
    expect(
      canonicalJson({ b: 1, a: { file: "x", z: [undefined, 2], y: undefined } }, new Set(["file"])),
    ).toBe('{"a":{"z":[null,2]},"b":1}');
  });

  it("hands a large value to its sink in pieces that join to the same text", () => {
    const value = document(5_000);
    const pieces: string[] = [];
    writeCanonicalJson(value, new Set(["file"]), (chunk) => pieces.push(chunk));
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join("")).toBe(canonicalJson(value, new Set(["file"])));
  });
});
