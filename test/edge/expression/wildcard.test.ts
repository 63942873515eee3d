import { describe, expect, it } from "vitest";
import { parseWildcard, wildcardMatches } from "../../../checks/edge/expression/wildcard.js";

function matches(pattern: string, value: string, strict = false): boolean {
  const p = parseWildcard(pattern);
  if (!p.ok) throw new Error(p.error);
  return wildcardMatches(p.pattern, value, strict);
}

describe("wildcard matching, with the examples of the operators page", () => {
  it("example A: https://example.com/a/*", () => {
    const p = "https://example.com/a/*";
    for (const yes of [
      "https://example.com/a/",
      "https://example.com/a/page.html",
      "https://example.com/a/sub/folder/?name=value",
    ]) {
      expect(matches(p, yes), yes).toBe(true);
    }
    for (const no of [
      "https://example.com/ab/",
      "https://example.com/b/page.html",
      "https://sub.example.com/a/",
    ]) {
      expect(matches(p, no), no).toBe(false);
    }
  });
  it("example B: *.example.com/*/page.html", () => {
    const p = "*.example.com/*/page.html";
    for (const yes of [
      "http://sub.example.com/folder/page.html",
      "https://admin.example.com/team/page.html",
      "https://admin.example.com/team/subteam/page.html",
    ]) {
      expect(matches(p, yes), yes).toBe(true);
    }
    for (const no of [
      "https://example.com/ab/page.html",
      "https://sub.example.com/folder2/page.html?s=value",
      "https://sub.example.com/a/",
    ]) {
      expect(matches(p, no), no).toBe(false);
    }
  });
  it("example C: two patterns joined by or", () => {
    const either = (v: string) => matches("*.example.com/*", v) || matches("example.com/*", v);
    for (const yes of [
      "https://admin.example.com/folder/team/app1/",
      "https://admin.example.com/folder/team/app1/?s=foobar",
    ]) {
      expect(either(yes), yes).toBe(true);
    }
    // The page also lists https://example.com/folder/list.htm as a match, which contradicts its own rule
    // ("the entire field value must match") and Cloudflare's wildcard crate: neither pattern matches the
    // whole of it. The checker follows the rule.
    expect(either("https://example.com/folder/list.htm")).toBe(false);
  });
  it("is case-insensitive (ASCII) unless strict", () => {
    expect(matches("*.EXAMPLE.com", "www.example.COM")).toBe(true);
    expect(matches("*.EXAMPLE.com", "www.example.COM", true)).toBe(false);
    expect(matches("*.example.com", "www.example.com", true)).toBe(true);
    expect(matches("\u00c9*", "\u00e9t\u00e9")).toBe(false);
  });
  it("reads \\* and \\\\ as literals", () => {
    expect(matches("a\\*b", "a*b")).toBe(true);
    expect(matches("a\\*b", "axb")).toBe(false);
    expect(matches("a\\\\*", "a\\bc")).toBe(true);
  });
  it("needs the whole value and places stars correctly", () => {
    expect(matches("*", "")).toBe(true);
    expect(matches("", "")).toBe(true);
    expect(matches("", "a")).toBe(false);
    expect(matches("a*a", "a")).toBe(false);
    expect(matches("a*a", "aa")).toBe(true);
    expect(matches("*ab*ab*", "abab")).toBe(true);
    expect(matches("*ab*ab*", "aba")).toBe(false);
    expect(matches("x*y*z", "xzyz")).toBe(true);
    expect(matches("x*y*z", "xzzy")).toBe(false);
  });
  it("refuses ** and other escapes, as Cloudflare does", () => {
    expect(parseWildcard("a**b")).toMatchObject({ ok: false });
    expect(parseWildcard("a\\b")).toMatchObject({ ok: false });
    expect(parseWildcard("a\\")).toMatchObject({ ok: false });
    expect(parseWildcard("*a*b*")).toMatchObject({ ok: true });
  });
});
