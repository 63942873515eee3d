/**
 * Facts from Cloudflare's documentation that rules encode. Cloudflare changes these: each carries
 * the date it was last checked against the docs (support/troubleshooting/http-status-codes,
 * fundamentals/reference/network-ports, dns/proxy-status, ssl/origin-configuration).
 */

/** Edge ports Cloudflare proxies for HTTP. Checked 2026-11-21. */
export const PROXIED_HTTP_PORTS: readonly number[] = [80, 8080, 8880, 2052, 2082, 2086, 2095];
/** Edge ports Cloudflare proxies for HTTPS. Checked 2026-11-21. */
export const PROXIED_HTTPS_PORTS: readonly number[] = [443, 2053, 2083, 2087, 2096, 8443];

/** SYN+ACK wait before a 522 (SYN backoff 1,1,1,1,1,2,4,8 s; was 15 s until 2025). Checked 2026-11-21. */
export const CONNECT_TIMEOUT_SECONDS = 19;
/** Proxy Read Timeout before a 524 (was 100 s; Enterprise can raise it). Checked 2026-11-21. */
export const PROXY_READ_TIMEOUT_SECONDS = 120;
/** Response headers larger than this end in a 520. Checked 2026-11-21. */
export const MAX_RESPONSE_HEADER_BYTES = 128 * 1024;

/** API error codes the static rules predict. Checked 2026-11-21. */
export const API_ERRORS = {
  /** A record type that cannot be proxied. */
  notProxiable: "9004",
  /** "Target … is not allowed for a proxied record": private or reserved address. */
  prohibitedTarget: "9003",
  /** "DNS points to prohibited IP": a Cloudflare address behind a proxied record. */
  prohibitedIp: "1000",
  /** "An A, AAAA, or CNAME record with that host already exists." (creating a CNAME). */
  cnameConflict: "81053",
  /** "A CNAME record with that host already exists." (creating another record beside a CNAME). */
  recordBesideCname: "81054",
  /** "An identical record already exists." */
  identicalRecord: "81058",
} as const;
