import type { SslMode } from "../model/ssl-mode.js";
import type { PredictedError } from "./result.js";

/** Socket errors while connecting, and the Cloudflare error each one predicts. */
const CONNECT_ERRORS: Readonly<Record<string, PredictedError>> = {
  /** Nothing listens, or a firewall answers RST (nft `reject with tcp reset`). */
  ECONNREFUSED: "521",
  ECONNRESET: "521",
  /** No SYN+ACK in time. */
  ETIMEDOUT: "522",
  /** No route: ICMP host/net unreachable, an `unreachable` route, no source address for the family. */
  EHOSTUNREACH: "523",
  ENETUNREACH: "523",
  EHOSTDOWN: "523",
  ENETDOWN: "523",
  EADDRNOTAVAIL: "523",
  /** A `prohibit` route or ICMP administratively prohibited. */
  EACCES: "523",
  EPERM: "523",
};

/** The Cloudflare error a failed TCP connect predicts, or null for an error the checker cannot map. */
export function classifyConnectError(code: string): PredictedError | null {
  return CONNECT_ERRORS[code] ?? null;
}

/** What a 52x means, for messages. */
export const PREDICTED_ERROR_MEANING: Readonly<Record<PredictedError, string>> = {
  "520": "unknown or empty origin response",
  "521": "origin refused the connection",
  "522": "connection to the origin timed out",
  "523": "origin unreachable",
  "524": "no HTTP response from the origin in time",
  "525": "TLS handshake with the origin failed",
  "526": "invalid origin certificate",
  "1014": "CNAME cross-user banned: the target is served by another Cloudflare account (530)",
  "1016": "origin DNS error (530)",
  "redirect-loop":
    "the origin's redirects never end: Cloudflare passes them to the visitor, whose browser gives up with ERR_TOO_MANY_REDIRECTS",
};

/** The statuses browsers follow a `Location` for. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * Browsers give up after this many redirects in a row (the Fetch standard's "HTTP-redirect fetch":
 * a network error once the redirect count is 20; Chrome and Firefox both use 20, and show
 * ERR_TOO_MANY_REDIRECTS). Checked 2026-11-30.
 */
export const BROWSER_MAX_REDIRECTS = 20;

/**
 * Whether a response makes a redirect loop: Cloudflare speaks HTTP to the origin (Flexible or Off)
 * and the origin sends the visitor to https://the-same-host (port 443), which Cloudflare serves by
 * asking the origin over HTTP again.
 */
export function isRedirectLoop(status: number, location: string | undefined, hostname: string): boolean {
  if (!REDIRECT_STATUSES.has(status) || location === undefined) return false;
  let url: URL;
  try {
    url = new URL(location, `http://${hostname}/`);
  } catch {
    return false;
  }
  return (
    url.protocol === "https:" && url.hostname.toLowerCase() === hostname.toLowerCase() && url.port === ""
  );
}

/**
 * The URL a visitor asks Cloudflare for when Cloudflare makes this connection: HTTPS at the edge
 * (Flexible concerns HTTPS visitors, Full and Full (strict) reach the origin over HTTPS for them),
 * except under Off, where Cloudflare redirects HTTPS to HTTP.
 */
export function visitorUrl(hostname: string, sslMode: SslMode | undefined, path: string): URL {
  return new URL(`${sslMode === "off" ? "http" : "https"}://${hostname}${path}`);
}

/** What a browser does with one response, seen from the connection being probed. */
export type RedirectStep =
  /** Not a redirect (or no usable Location): the chain ends here. */
  | { readonly kind: "final" }
  /** To another host: Cloudflare (or someone else) serves it on its own. */
  | { readonly kind: "leaves"; readonly url: URL }
  /** The same host, but a scheme or port Cloudflare reaches over another connection. */
  | { readonly kind: "elsewhere"; readonly url: URL }
  /** Back to the very URL just asked for. */
  | { readonly kind: "self"; readonly url: URL }
  /** The same host through the same connection: the next request to make. */
  | { readonly kind: "follow"; readonly url: URL };

/**
 * Where a response sends the visitor, as a browser resolves it (relative to the URL asked for, the
 * fragment dropped), and whether Cloudflare would serve that URL through the same connection:
 * under Flexible and Off every URL of the host at a default port reaches the origin over HTTP;
 * under Full and Full (strict) only HTTPS ones do (Cloudflare uses the visitor's scheme).
 * Checked 2026-11-30 (ssl/origin-configuration/ssl-modes).
 */
export function redirectStep(
  from: URL,
  status: number,
  location: string | undefined,
  hostname: string,
  sslMode: SslMode | undefined,
): RedirectStep {
  if (!REDIRECT_STATUSES.has(status) || location === undefined) return { kind: "final" };
  let url: URL;
  try {
    url = new URL(location, from);
  } catch {
    return { kind: "final" };
  }
  url.hash = "";
  if (url.hostname.toLowerCase() !== hostname.toLowerCase()) return { kind: "leaves", url };
  const overHttp = sslMode === "flexible" || sslMode === "off";
  const sameConnection =
    url.port === "" && (url.protocol === "https:" || (overHttp && url.protocol === "http:"));
  if (!sameConnection) return { kind: "elsewhere", url };
  const asked = new URL(from.href);
  asked.hash = "";
  return url.href === asked.href ? { kind: "self", url } : { kind: "follow", url };
}
