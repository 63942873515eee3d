/** Facts about the Cloudflare API the reader relies on, each with the date it was last checked. */

/**
 * The largest `per_page` `GET /zones/{id}/dns_records` accepts: 5,000,000 (OpenAPI schema
 * `dns-records_per_page`, checked 2026-11-21).
 */
export const DNS_RECORDS_PER_PAGE_API_MAX = 5_000_000;

/**
 * The page size the reader asks for: 10,000 records, a zone of that size in one request and
 * 100,000 records in ten. Measured with `node dist/bench/drift-bench.js 100000`: one 100,000-record
 * page cost 70 MB more peak memory than pages of 10,000 and was slower to parse (0.93 s against
 * 0.71 s), while ten requests are nothing against the 1,200 per 5 minutes the API allows. The
 * reader follows `result_info.total_pages`, so a smaller cap by the API still works.
 */
export const DNS_RECORDS_PAGE_SIZE = 10_000;

/** `GET /zones?name=`: the largest `per_page` (50, checked 2026-11-21). */
export const ZONES_PAGE_SIZE = 50;

/** `GET /accounts/{id}/rules/lists/{id}/items`: the largest `per_page` (500, checked 2026-11-21). */
export const LIST_ITEMS_PAGE_SIZE = 500;

/** The official API's base URL (checked 2026-11-21). */
export const DEFAULT_API_BASE_URL = "https://api.cloudflare.com/client/v4";

/** Defaults of the reader; all can be overridden per call. */
export const READ_DEFAULTS = {
  concurrency: 4,
  /** Total time budget of one `readLiveState`, waits for `Retry-After` included. */
  deadlineMs: 120_000,
  /** Retries of one request after a 5xx, a connection failure or a cut-off body. */
  maxRetries: 3,
  /** Timeout of one HTTP request. */
  requestTimeoutMs: 60_000,
  /** First backoff after a 5xx or connection failure; doubled each retry. */
  backoffMs: 200,
  /** Full re-reads of a zone's records when they changed between pages. */
  snapshotAttempts: 3,
} as const;

/**
 * The token permission each read needs (names as the dashboard shows them, checked 2026-11-21), so
 * a 401/403 can say which one the token likely lacks.
 */
export const PERMISSION_FOR = {
  zone: "Zone Read",
  dnsRecords: "DNS Read",
  sslSetting: "Zone Settings Read",
  originRules: "Origin Read",
  ipLists: "Account Filter Lists Read",
  ips: undefined,
} as const;
export type ReadKind = keyof typeof PERMISSION_FOR;
