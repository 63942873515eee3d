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
  "1016": "origin DNS error (530)",
  "redirect-loop": "the origin redirects HTTP to HTTPS in a mode where Cloudflare speaks HTTP to it",
};

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

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
