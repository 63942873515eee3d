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

/**
 * `GET /zones/{id}/origin_tls_client_auth/hostnames`: the largest `per_page` (1,000; default 50;
 * OpenAPI operation per-hostname-authenticated-origin-pull-list-hostname-associations, checked
 * 2026-11-30).
 */
export const AOP_HOSTNAMES_PAGE_SIZE = 1_000;

/**
 * `status` of the same list: without it only `active` associations are listed; `all` lists every
 * status, so an association being deployed or removed is not missed (checked 2026-11-30).
 */
export const AOP_HOSTNAMES_STATUS = "all";

/** `GET /accounts/{id}/rules/lists/{id}/items`: the largest `per_page` (500, checked 2026-11-21). */
export const LIST_ITEMS_PAGE_SIZE = 500;

/**
 * The error code of a 404 from `GET /zones/{id}/rulesets/phases/{phase}/entrypoint` when the zone
 * has no entrypoint in that phase: 10003, "could not find entrypoint ruleset in the … phase"
 * (checked 2026-11-30). Only that 404 means "no rules"; any other (a proxy's page, a wrong path)
 * is not an answer.
 */
export const ENTRYPOINT_NOT_FOUND_CODE = 10003;

/** The official API's base URL (checked 2026-11-21). */
export const DEFAULT_API_BASE_URL = "https://api.cloudflare.com/client/v4";

/**
 * The API's rate limit: 1,200 requests per 5 minutes per user, shared with the dashboard and every
 * token of that user; going over blocks every call for 5 minutes (checked 2026-11-30,
 * fundamentals/api/reference/limits).
 */
export const API_RATE_LIMIT = { requests: 1_200, windowSeconds: 300 } as const;

/**
 * `--api-share`: the share of that limit one live read may use, by default half, leaving the other
 * half to the dashboard, Terraform and whatever else the user runs. A read that needs more is paced
 * (`pace.ts`): at most `floor(share x 1,200)` requests in any 5 minutes.
 */
export const DEFAULT_API_SHARE = 0.5;

/**
 * The most pages one list may take, whatever its `total_count` says: 200 pages of 10,000 records is
 * two million records, far beyond any real zone. A list claiming more fails at once instead of
 * paging into the rate limit.
 */
export const MAX_PAGES_PER_LIST = 200;

/**
 * The largest response body the reader accepts: 128 MiB. A page of 10,000 records is about 5 MB;
 * anything far larger is not an answer the reader asked for.
 */
export const MAX_RESPONSE_BYTES = 128 * 1024 * 1024;

/** `--api-timeout`: the default time budget of the whole live read, response bodies included. */
export const DEFAULT_API_TIMEOUT_SECONDS = 120;

/** Defaults of the reader; all can be overridden per call. */
export const READ_DEFAULTS = {
  concurrency: 4,
  /** Total time budget of one `readLiveState`, bodies and waits for `Retry-After` included. */
  deadlineMs: DEFAULT_API_TIMEOUT_SECONDS * 1000,
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
  /** `GET /zones/{id}/rulesets` answers to any ruleset read permission; the checker already needs this one. */
  rulesets: "Origin Read",
  originRules: "Origin Read",
  configRules: "Config Settings Read",
  pageRules: "Page Rules Read",
  /** `settings/tls_client_auth` is a zone setting. */
  aopSetting: "Zone Settings Read",
  /** `origin_tls_client_auth/settings` and `/hostnames` (checked 2026-11-30, x-api-token-group). */
  originPulls: "SSL and Certificates Read",
  tunnels: "Cloudflare Tunnel Read",
  ipLists: "Account Filter Lists Read",
  ips: undefined,
} as const;
export type ReadKind = keyof typeof PERMISSION_FOR;
