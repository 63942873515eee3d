import { UsageError } from "../errors.js";

/** Text standing in for a user name and password taken out of a URL. */
const USERINFO_REDACTED = "[redacted]@";

/**
 * The text with the userinfo (`user:password@`) of every URL in it replaced, for any message that
 * may quote a URL. Works on text that does not parse as a URL too.
 */
export function redactUserinfo(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/gi, `$1${USERINFO_REDACTED}`);
}

/** A URL as messages show it: no userinfo, no query, no fragment. */
export function displayUrl(url: string | URL): string {
  const parsed = typeof url === "string" ? URL.parse(url) : url;
  if (!parsed) return redactUserinfo(String(url)).replace(/[?#].*$/s, "");
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

/**
 * Check the API base URL (`CLOUDFLARE_API_BASE_URL` or the `baseURL` option) before any request:
 * an absolute http(s) URL with a host and no userinfo, query or fragment. Anything else is a usage
 * error (exit 2) at once; retrying cannot fix it. The message never repeats a password.
 */
export function parseApiBaseUrl(raw: string, source = "CLOUDFLARE_API_BASE_URL"): string {
  const shown = JSON.stringify(displayUrl(raw.trim()));
  const bad = (why: string) =>
    new UsageError(
      `${source}: expected an http:// or https:// URL of the Cloudflare API, ${why} (got ${shown})`,
    );
  const url = URL.parse(raw.trim());
  if (!url) throw bad("but it is not a valid URL");
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw bad(`but its scheme is ${JSON.stringify(url.protocol.replace(/:$/, ""))}`);
  if (!url.hostname) throw bad("but it has no host");
  if (url.username || url.password)
    throw bad("without a user name or password in it (the API is authenticated by CLOUDFLARE_API_TOKEN)");
  if (url.search || url.hash) throw bad("without a query or fragment");
  return url.href.replace(/\/+$/, "");
}

/**
 * The endpoint a request URL names, for messages: its path below the base URL's path, without the
 * query (which may carry cursors or filters) — e.g. `/zones/023e…/dns_records`.
 */
export function endpointOf(requestUrl: string, baseURL: string): string {
  const url = URL.parse(requestUrl);
  if (!url) return "(unparseable request URL)";
  const basePath = (URL.parse(baseURL)?.pathname ?? "").replace(/\/+$/, "");
  const path =
    basePath && url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
  return path || "/";
}
