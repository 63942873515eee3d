/**
 * Limits and codes of the Cloudflare v4 API that the emulator reproduces. Each is a fact from
 * Cloudflare's OpenAPI schema or documentation, with the date it was last checked.
 */

/** `GET /zones/{id}/dns_records`: `per_page` default (OpenAPI `dns-records_per_page`, checked 2026-11-21). */
export const DNS_RECORDS_PER_PAGE_DEFAULT = 100;
/** `dns-records_per_page` minimum (checked 2026-11-21; the retired reference said 5). */
export const DNS_RECORDS_PER_PAGE_MIN = 1;
/** `dns-records_per_page` maximum: 5,000,000 (OpenAPI schema, checked 2026-11-21). */
export const DNS_RECORDS_PER_PAGE_MAX = 5_000_000;

/** `GET /zones`: `per_page` default 20, range 5..50 (OpenAPI `zones_per_page`, checked 2026-11-21). */
export const ZONES_PER_PAGE_DEFAULT = 20;
export const ZONES_PER_PAGE_MIN = 5;
export const ZONES_PER_PAGE_MAX = 50;

/** List items: `per_page` 1..500, cursor pagination (Lists API, checked 2026-11-21). */
export const LIST_ITEMS_PER_PAGE_DEFAULT = 25;
export const LIST_ITEMS_PER_PAGE_MAX = 500;

/**
 * `GET /zones/{id}/origin_tls_client_auth/hostnames`: `per_page` default 50, at most 1,000
 * (OpenAPI, checked 2026-11-30).
 */
export const AOP_HOSTNAMES_PER_PAGE_DEFAULT = 50;
export const AOP_HOSTNAMES_PER_PAGE_MAX = 1_000;

/**
 * `GET /zones/{id}/rulesets` pages with a cursor; the schema gives no default page size, so this one
 * is the emulator's choice (a zone rarely has more than a handful of rulesets).
 */
export const RULESETS_PER_PAGE_DEFAULT = 50;

/** `GET /accounts/{id}/cfd_tunnel`: `per_page` (page-number pagination; the emulator's default and cap). */
export const TUNNELS_PER_PAGE_DEFAULT = 20;
export const TUNNELS_PER_PAGE_MAX = 1_000;

/** Error codes as the API answers them (checked 2026-11-21). */
export const CF_ERROR = {
  /** 401/403: "Authentication error" (bad token, or a token without the permission). */
  authentication: 10000,
  /** 404: "No route for that URI". */
  noRoute: 7000,
  /** 404: "Could not route to ..., perhaps your object identifier is invalid?" */
  invalidObjectIdentifier: 7003,
  /** 400: validation error (e.g. a bad `per_page`). */
  validation: 1004,
  /** 404 on a missing DNS record: "Record does not exist." */
  recordNotFound: 81044,
  /** 404 on a phase without an entrypoint ruleset. */
  rulesetNotFound: 10003,
  /** 429: "Please wait and consider throttling your request speed". */
  rateLimited: 971,
  /** 5xx injected by the emulator; not a documented Cloudflare code. */
  emulatedServerError: 10001,
  /** 404 on an unknown list or list item. */
  listNotFound: 10006,
} as const;
