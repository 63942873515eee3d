/**
 * Cloudflare's own limits towards an origin, used as the probes' defaults. Each one is configurable
 * (`--connect-timeout`, `--read-timeout`). Checked 2026-11-21 against Cloudflare's documentation
 * (support/troubleshooting/http-status-codes, fundamentals/reference/connection-limits).
 */

/** No SYN+ACK within this many ms: 522 (SYN backoff 1,1,1,1,1,2,4,8 s; 15 s until 2025). Checked 2026-11-21. */
export const CLOUDFLARE_CONNECT_TIMEOUT_MS = 19_000;

/** Proxy Read Timeout: no HTTP response within this many ms: 524 (was 100 s). Checked 2026-11-21. */
export const CLOUDFLARE_READ_TIMEOUT_MS = 120_000;

/** Response headers larger than this many bytes: 520. Checked 2026-11-21. */
export const CLOUDFLARE_MAX_RESPONSE_HEADER_BYTES = 128 * 1024;

/** Default number of probes in flight at once. */
export const DEFAULT_PROBE_CONCURRENCY = 16;

/** Addresses reserved for documentation (RFC 5737, RFC 3849): never reachable, never probed. */
export const DOCUMENTATION_CIDRS = [
  "192.0.2.0/24",
  "198.51.100.0/24",
  "203.0.113.0/24",
  "2001:db8::/32",
] as const;
