import type { Decision } from "./decide.js";

/**
 * A Page Rule's URL pattern (`*example.com/images/*`, `https://www.example.com/*`): `*` matches any
 * run of characters, the scheme is optional, and the pattern is matched against the whole URL
 * (developers.cloudflare.com/rules/page-rules/reference/wildcard-matching, checked 2026-11-30).
 * Matched against `scheme://host/path`; a pattern with a port or a query is matched literally.
 */
export function pageRuleMatches(
  pattern: string,
  url: { scheme: "http" | "https"; host: string; path: string },
): Decision {
  let text = pattern.trim();
  if (text === "") return { kind: "no-match" };
  let schemes: readonly string[] = ["http", "https"];
  const scheme = /^(\*|https?):\/\//i.exec(text);
  if (scheme) {
    schemes = scheme[1] === "*" ? schemes : [scheme[1]!.toLowerCase()];
    text = text.slice(scheme[0].length);
  }
  if (!schemes.includes(url.scheme)) return { kind: "no-match" };
  // Without a path the pattern names the host's root only ("example.com" matches "example.com/").
  const withPath = text.includes("/") ? text : `${text}/`;
  const regex = new RegExp(`^${withPath.split("*").map(escapeRegExp).join(".*")}$`, "i");
  return regex.test(`${url.host}${url.path}`) ? { kind: "match" } : { kind: "no-match" };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
