import { LIST_ITEMS_PAGE_SIZE, MAX_PAGES_PER_LIST } from "../../../checks/live/limits.js";
import type { LiveReadOptions } from "../../../checks/live/read-live-state.js";
import { ACCOUNT_ID, IPS, LIST_ID, SSL, ZONE, ZONE_ID } from "./data.js";
import { envelope, type Fault, type FaultApi, failure, json, type Reply, recordsPage } from "./server.js";

/**
 * The API fault scenarios: each breaks one answer the live reader uses, and says how the read must
 * fail closed — the error class, the endpoint the message names, and the problem it states.
 */

/** A realistic 40-character API token; no message may hold it or any 8+ character piece of it. */
export const TOKEN = "Fq7Zx2LmN9pR4tW8yB3cD6eG1hJ5kQ0sUvXaYzC2";

/** Pieces of the token of 8 to 16 characters, as a hostile API echoes them. */
export const TOKEN_PIECES: readonly string[] = [
  TOKEN.slice(0, 8),
  TOKEN.slice(3, 14),
  TOKEN.slice(10, 26),
  TOKEN.slice(24, 40),
  TOKEN.slice(31, 39),
];

/** Every token piece of 8 characters (what "no fragment" means), for scanning outputs. */
export function tokenFragments(): string[] {
  const out: string[] = [];
  for (let i = 0; i + 8 <= TOKEN.length; i++) out.push(TOKEN.slice(i, i + 8));
  return out;
}

export const PASSWORD = "hunter2-Base-URL-Secret";

const RECORDS_PATH = `/zones/${ZONE_ID}/dns_records`;
const SSL_PATH = `/zones/${ZONE_ID}/settings/ssl`;
const RULES_PATH = `/zones/${ZONE_ID}/rulesets/phases/http_request_origin/entrypoint`;
const LISTS_PATH = `/accounts/${ACCOUNT_ID}/rules/lists`;
const ITEMS_PATH = `/accounts/${ACCOUNT_ID}/rules/lists/${LIST_ID}/items`;

export interface Expectation {
  readonly error: "verify" | "usage";
  /** Text the message must contain: the endpoint (or the setting) it is about. */
  readonly names: string;
  /** What the message must say was wrong. */
  readonly problem: RegExp;
  /** The read must end within this many milliseconds. */
  readonly withinMs?: number;
  /** At most this many requests may reach the stand-in. */
  readonly maxRequests?: number;
}

export interface Scenario {
  readonly name: string;
  readonly fault?: Fault;
  /** A base URL other than the stand-in's. */
  readonly baseURL?: (api: FaultApi) => string;
  readonly options?: Partial<LiveReadOptions>;
  readonly expect: Expectation;
}

const HTML_PAGE =
  "<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head><body>Sorry, you have been blocked</body></html>";

const html200: Reply = {
  status: 200,
  headers: { "content-type": "text/html; charset=UTF-8" },
  body: HTML_PAGE,
};

/** Replace the answer of one endpoint. */
function on(endpoint: Parameters<Fault>[0]["endpoint"], reply: (ctx: Parameters<Fault>[0]) => Reply): Fault {
  return (ctx) => (ctx.endpoint === endpoint ? reply(ctx) : undefined);
}

/** Full pages of made-up records, `count` of them on page `page`. */
function syntheticPage(page: number, perPage: number, info: Record<string, number>): Reply {
  const result = Array.from({ length: perPage }, (_, i) => ({
    id: `syn${page}x${i}`,
    name: `s${page}-${i}.example.com`,
    type: "A",
    content: "192.0.2.1",
    proxied: false,
    ttl: 300,
  }));
  return json(200, envelope(result, { page, per_page: perPage, count: perPage, ...info }));
}

function pageOf(query: URLSearchParams): { page: number; perPage: number } {
  return { page: Number(query.get("page") ?? "1"), perPage: Number(query.get("per_page") ?? "100") };
}

const withinDeadline = (deadlineMs: number) => deadlineMs + 800;

export const SCENARIOS: readonly Scenario[] = [
  // ---- the envelope ------------------------------------------------------------------------
  {
    name: "DNS record list answers HTTP 200 with an HTML page",
    fault: on("dnsRecords", () => html200),
    expect: {
      error: "verify",
      names: RECORDS_PATH,
      problem: /expected a JSON answer \(application\/json\), got "text\/html/,
    },
  },
  {
    name: "/ips answers HTTP 200 with an HTML page",
    fault: on("ips", () => html200),
    expect: { error: "verify", names: "GET /ips", problem: /expected a JSON answer/ },
  },
  {
    name: "DNS record list answers HTTP 200 with success:false",
    fault: on("dnsRecords", () =>
      json(200, {
        success: false,
        errors: [{ code: 1000, message: "upstream busy" }],
        messages: [],
        result: [],
      }),
    ),
    expect: {
      error: "verify",
      names: RECORDS_PATH,
      problem: /success is false although the HTTP status is 200 \(Cloudflare: 1000: upstream busy\)/,
    },
  },
  {
    name: "zone lookup answers HTTP 200 with success:false",
    fault: on("zones", () => json(200, { success: false, errors: [], messages: [], result: [] })),
    expect: {
      error: "verify",
      names: "GET /zones",
      problem: /success is false although the HTTP status is 200/,
    },
  },
  {
    name: "SSL setting answers JSON without a success field",
    fault: on("ssl", () => json(200, { result: SSL })),
    expect: { error: "verify", names: SSL_PATH, problem: /"success" is missing/ },
  },
  {
    name: "SSL setting answers success:true with a null result",
    fault: on("ssl", () => json(200, { success: true, errors: [], messages: [], result: null })),
    expect: { error: "verify", names: SSL_PATH, problem: /"result" is null although success is true/ },
  },
  {
    name: "origin rules answer a JSON content type with a body that is not JSON",
    fault: on("originRules", () => ({
      status: 200,
      headers: { "content-type": "application/json" },
      body: '{"success":true,"result":{"rules":[',
    })),
    expect: {
      error: "verify",
      names: RULES_PATH,
      problem: /the body is not valid JSON \(it ends too early\)/,
    },
  },
  {
    name: "IP lists answer a valid envelope as text/plain",
    fault: on("lists", () => ({
      status: 200,
      headers: { "content-type": "text/plain" },
      body: JSON.stringify(envelope([])),
    })),
    expect: {
      error: "verify",
      names: LISTS_PATH,
      problem: /expected a JSON answer \(application\/json\), got "text\/plain"/,
    },
  },
  {
    name: "/ips answers a body that is not UTF-8",
    fault: on("ips", () => ({
      status: 200,
      headers: { "content-type": "application/json" },
      body: Buffer.concat([
        Buffer.from('{"success":true,"result":{"etag":"'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}}'),
      ]),
    })),
    expect: { error: "verify", names: "GET /ips", problem: /the body is not valid UTF-8/ },
  },
  {
    name: "origin rules answer 404 with a proxy's HTML page, not Cloudflare's \"no entrypoint\"",
    fault: on("originRules", () => ({ ...html200, status: 404 })),
    expect: { error: "verify", names: RULES_PATH, problem: /\(HTTP 404\)/ },
  },
  {
    name: "zone lookup answers a redirect",
    fault: on("zones", () => ({
      status: 302,
      headers: { location: "http://127.0.0.1:9/elsewhere" },
      body: "",
    })),
    expect: { error: "verify", names: "GET /zones", problem: /\(HTTP 302\)/ },
  },
  // ---- result shapes -----------------------------------------------------------------------
  {
    name: "SSL setting's value is a number",
    fault: on("ssl", () => json(200, envelope({ ...SSL, value: 42 }))),
    expect: { error: "verify", names: SSL_PATH, problem: /result\.value: expected string, received number/ },
  },
  {
    name: "a DNS record without an id",
    fault: on("dnsRecords", ({ query }) => {
      const reply = recordsPage(query);
      const body = JSON.parse(String(reply.body));
      if (body.result[0]) delete body.result[0].id;
      return json(200, body);
    }),
    expect: {
      error: "verify",
      names: RECORDS_PATH,
      problem: /result\[0\]\.id: expected string, received undefined/,
    },
  },
  {
    name: "origin entrypoint's rules are not a list",
    fault: on("originRules", () => json(200, envelope({ id: "x", rules: "none" }))),
    expect: { error: "verify", names: RULES_PATH, problem: /result\.rules: expected array, received string/ },
  },
  {
    name: "zone lookup returns a zone whose id is not an identifier",
    fault: on("zones", () =>
      json(
        200,
        envelope([{ ...ZONE, id: "../../accounts" }], {
          page: 1,
          per_page: 50,
          count: 1,
          total_count: 1,
          total_pages: 1,
        }),
      ),
    ),
    expect: {
      error: "verify",
      names: "GET /zones",
      problem: /result\[0\]\.id: expected a 32-character hexadecimal identifier/,
    },
  },
  {
    name: "an IP list without num_items",
    fault: on("lists", () => json(200, envelope([{ id: LIST_ID, name: "origin_allow", kind: "ip" }]))),
    expect: {
      error: "verify",
      names: LISTS_PATH,
      problem: /result\[0\]\.num_items: expected number, received undefined/,
    },
  },
  {
    name: "an IP list item without its ip",
    fault: on("listItems", () => json(200, envelope([{ id: "i0" }], { cursors: {} }))),
    expect: {
      error: "verify",
      names: ITEMS_PATH,
      problem: /result\[0\]\.ip: expected string, received undefined/,
    },
  },
  // ---- totals and pages --------------------------------------------------------------------
  {
    name: "DNS record pages without total_count and total_pages",
    fault: on("dnsRecords", ({ query }) => recordsPage(query, { omitTotals: true })),
    expect: {
      error: "verify",
      names: RECORDS_PATH,
      problem: /result_info\.total_count: expected number, received undefined/,
    },
  },
  {
    name: "no totals and an empty page in the middle (3 of 9 records)",
    fault: on("dnsRecords", ({ query }) => recordsPage(query, { omitTotals: true, emptyPages: [2] })),
    expect: { error: "verify", names: RECORDS_PATH, problem: /result_info\.total_count: expected number/ },
  },
  {
    name: "an empty page before the last",
    fault: on("dnsRecords", ({ query }) => recordsPage(query, { emptyPages: [2] })),
    expect: {
      error: "verify",
      names: RECORDS_PATH,
      problem: /page 2 of 3 is empty although total_count is 9/,
    },
  },
  {
    name: "total_count that the pages do not add up to",
    fault: on("dnsRecords", ({ query }) => recordsPage(query, { totalCount: 10 })),
    expect: {
      error: "verify",
      names: RECORDS_PATH,
      problem: /read 9 items in 4 pages, but total_count is 10/,
    },
  },
  {
    name: "result_info.count that is not the page's length",
    fault: on("dnsRecords", ({ query }) => {
      const body = JSON.parse(String(recordsPage(query).body));
      if (body.result_info.page === 3) body.result_info.count = 5;
      return json(200, body);
    }),
    expect: {
      error: "verify",
      names: RECORDS_PATH,
      problem: /result_info\.count is 5 on page 3, but the page holds 3 items/,
    },
  },
  {
    name: "the API ignores the page asked for and answers page 1 again",
    fault: on("dnsRecords", ({ query }) => {
      const first = new URLSearchParams(query);
      first.delete("page");
      return recordsPage(first);
    }),
    expect: { error: "verify", names: RECORDS_PATH, problem: /asked for page 2, the answer is page 1/ },
  },
  {
    name: "a record of a type cf-preflight does not model (a type Cloudflare adds later)",
    fault: on("dnsRecords", ({ query }) => {
      const { page, perPage } = pageOf(query);
      const result = [
        { id: "rec-a", name: "www.example.com", type: "A", content: "192.0.2.1", proxied: false, ttl: 300 },
        {
          id: "rec-new",
          name: "www.example.com",
          type: "XNEWTYPE",
          content: "opaque",
          proxied: false,
          ttl: 300,
        },
      ];
      return json(
        200,
        envelope(result, { page, per_page: perPage, count: 2, total_count: 2, total_pages: 1 }),
      );
    }),
    expect: {
      error: "verify",
      names: RECORDS_PATH,
      problem: /type "XNEWTYPE", which cf-preflight does not model/,
    },
  },
  {
    name: "zone lookup without result_info",
    fault: on("zones", () => json(200, envelope([ZONE]))),
    expect: {
      error: "verify",
      names: "GET /zones",
      problem: /result_info\.page: expected number, received undefined/,
    },
  },
  {
    name: "total_pages that grows with every page (total_count constant)",
    fault: on("dnsRecords", ({ query }) => {
      const { page, perPage } = pageOf(query);
      return syntheticPage(page, perPage, { total_count: 9, total_pages: page + 1 });
    }),
    expect: {
      error: "verify",
      names: RECORDS_PATH,
      problem: /result_info\.total_pages is 2, but total_count 9 at per_page 3 makes 3/,
      // /ips, the zone, SSL, origin rules, and one page of records.
      maxRequests: 5,
    },
  },
  {
    name: "an endless list: total_count and total_pages grow with every page",
    fault: on("dnsRecords", ({ query, nth }) => {
      const { page, perPage } = pageOf(query);
      const total = (nth + 1) * perPage;
      return syntheticPage(page, perPage, { total_count: total, total_pages: Math.ceil(total / perPage) });
    }),
    expect: {
      error: "verify",
      names: RECORDS_PATH,
      problem: /kept changing while being read \(3 attempts/,
      // Three attempts of two pages each, besides /ips, the zone, SSL, the rulesets list and origin rules.
      maxRequests: 11,
    },
  },
  {
    name: "total_count of a billion records",
    fault: on("dnsRecords", ({ query }) => {
      const { page, perPage } = pageOf(query);
      return syntheticPage(page, perPage, { total_count: 1e9, total_pages: Math.ceil(1e9 / perPage) });
    }),
    expect: {
      error: "verify",
      names: RECORDS_PATH,
      problem: new RegExp(`would take 333333334 pages, more than the ${MAX_PAGES_PER_LIST}`),
      maxRequests: 5,
    },
  },
  {
    name: "IP list items that always name a next cursor",
    fault: on("listItems", ({ nth }) =>
      json(200, envelope([{ id: `i${nth}`, ip: `192.0.2.${nth}` }], { cursors: { after: `c${nth}` } })),
    ),
    expect: {
      error: "verify",
      names: ITEMS_PATH,
      problem: new RegExp(
        `still naming a next page after ${Math.ceil(3 / LIST_ITEMS_PAGE_SIZE) + 1} pages for 3 items`,
      ),
    },
  },
  {
    name: "an empty IP list item page that names a next cursor",
    fault: on("listItems", () => json(200, envelope([], { cursors: { after: "more" } }))),
    expect: { error: "verify", names: ITEMS_PATH, problem: /a page is empty but names a next cursor/ },
  },
  // ---- /ips ----------------------------------------------------------------------------------
  {
    name: "/ips with an empty IPv4 list",
    fault: on("ips", () => json(200, envelope({ ...IPS, ipv4_cidrs: [] }))),
    expect: { error: "verify", names: "GET /ips", problem: /result\.ipv4_cidrs: Too small/ },
  },
  {
    name: "/ips with an empty IPv6 list",
    fault: on("ips", () => json(200, envelope({ ...IPS, ipv6_cidrs: [] }))),
    expect: { error: "verify", names: "GET /ips", problem: /result\.ipv6_cidrs: Too small/ },
  },
  {
    name: "/ips without the IPv6 list",
    fault: on("ips", () => json(200, envelope({ ipv4_cidrs: IPS.ipv4_cidrs, etag: "x" }))),
    expect: {
      error: "verify",
      names: "GET /ips",
      problem: /result\.ipv6_cidrs: expected array, received undefined/,
    },
  },
  {
    name: "/ips with a range that is not a CIDR",
    fault: on("ips", () =>
      json(200, envelope({ ...IPS, ipv4_cidrs: ["173.245.48.0/20", "173.245.48.0/33"] })),
    ),
    expect: { error: "verify", names: "GET /ips", problem: /result\.ipv4_cidrs\[1\]: Invalid IPv4 range/ },
  },
  {
    name: "/ips with an IPv4 range in the IPv6 list",
    fault: on("ips", () => json(200, envelope({ ...IPS, ipv6_cidrs: ["104.16.0.0/13"] }))),
    expect: { error: "verify", names: "GET /ips", problem: /result\.ipv6_cidrs\[0\]: Invalid IPv6 range/ },
  },
  // ---- deadline and ceilings ---------------------------------------------------------------
  {
    name: "a DNS record page trickling one byte every 50 ms",
    fault: on("dnsRecords", ({ query }) => ({ ...recordsPage(query), trickleMs: 50 })),
    options: { deadlineMs: 1_000 },
    expect: {
      error: "verify",
      names: RECORDS_PATH,
      problem: /the time allowed for reading live state \(1 s\) ran out/,
      withinMs: withinDeadline(1_000),
    },
  },
  {
    name: "a 503 error page trickling one byte every 50 ms",
    fault: on("ssl", () => ({
      status: 503,
      headers: { "content-type": "text/html" },
      body: HTML_PAGE,
      trickleMs: 50,
    })),
    options: { deadlineMs: 1_000 },
    expect: {
      error: "verify",
      names: SSL_PATH,
      problem: /the time allowed for reading live state \(1 s\) ran out/,
      withinMs: withinDeadline(1_000),
    },
  },
  {
    name: "5xx answers until the request ceiling is reached",
    fault: on("ips", () => failure(503, [{ code: 10001, message: "service unavailable" }])),
    options: { maxRetries: 50, maxRequests: 4 },
    expect: {
      error: "verify",
      names: "GET /ips",
      problem: /already sent 4 requests, the most one read may send/,
      maxRequests: 4,
    },
  },
  // ---- secrets in answers ------------------------------------------------------------------
  {
    name: "an HTTP 400 whose error message echoes the token",
    fault: on("zones", () => failure(400, [{ code: 1003, message: `Invalid zone name for token ${TOKEN}` }])),
    expect: { error: "verify", names: "GET /zones", problem: /\(HTTP 400\) \(Cloudflare: 1003: \[withheld/ },
  },
  {
    name: "an HTTP 403 whose error message echoes 8- to 16-character pieces of the token",
    fault: on("dnsRecords", () =>
      failure(403, [
        { code: 10000, message: `token ${TOKEN_PIECES[1]}… (${TOKEN_PIECES[2]}) lacks DNS Read` },
      ]),
    ),
    expect: { error: "verify", names: RECORDS_PATH, problem: /HTTP 403.*lacks the "DNS Read" permission/ },
  },
  {
    name: "HTTP 200 success:false echoing pieces of the token",
    fault: on("originRules", () =>
      json(200, {
        success: false,
        errors: [
          { code: 1, message: `bad ${TOKEN_PIECES[0]}` },
          { code: 2, message: `worse ${TOKEN_PIECES[3]}` },
        ],
        messages: [],
        result: null,
      }),
    ),
    expect: {
      error: "verify",
      names: RULES_PATH,
      problem: /success is false.*\(Cloudflare: 1: \[withheld.*; 2: \[withheld/,
    },
  },
  {
    name: "a body that is not JSON and quotes the token (a JSON.parse message would)",
    fault: on("ips", () => ({
      status: 200,
      headers: { "content-type": "application/json" },
      body: `{"success":true,"result":${TOKEN.slice(0, 20)} ${TOKEN.slice(20)}}`,
    })),
    expect: {
      error: "verify",
      names: "GET /ips",
      problem: /the body is not valid JSON \(HTTP 200, 67 bytes\)/,
    },
  },
  {
    name: "429s whose errors echo the token, with a Retry-After beyond the deadline",
    fault: on("ssl", () => ({
      ...failure(429, [{ code: 971, message: `slow down, ${TOKEN_PIECES[4]}` }]),
      headers: { "content-type": "application/json", "retry-after": "600" },
    })),
    expect: { error: "verify", names: SSL_PATH, problem: /rate limit outlasted/ },
  },
  {
    name: "503s whose errors echo pieces of the token until retries run out",
    fault: on("originRules", () => failure(503, [{ code: 10001, message: `retry with ${TOKEN_PIECES[2]}` }])),
    expect: {
      error: "verify",
      names: RULES_PATH,
      problem: /after 2 attempts: HTTP 503 \(Cloudflare: 10001: \[withheld/,
    },
  },
  {
    name: "a content type that quotes a piece of the token",
    fault: on("ips", () => ({
      status: 200,
      headers: { "content-type": `text/html; v=${TOKEN_PIECES[2]}` },
      body: "x",
    })),
    expect: {
      error: "verify",
      names: "GET /ips",
      problem: /expected a JSON answer \(application\/json\), got "\[withheld/,
    },
  },
  {
    name: "an SSL mode whose value is a piece of the token",
    fault: on("ssl", () => json(200, envelope({ ...SSL, value: TOKEN_PIECES[2] }))),
    expect: {
      error: "verify",
      names: "SSL/TLS mode of zone example.com",
      problem: /is \[withheld.*not one the checker knows/,
    },
  },
  // ---- the base URL --------------------------------------------------------------------------
  {
    name: "a base URL with a password",
    baseURL: (api) => api.url.replace("http://", `http://deploy:${PASSWORD}@`),
    expect: {
      error: "usage",
      names: "CLOUDFLARE_API_BASE_URL",
      problem: /without a user name or password/,
      maxRequests: 0,
    },
  },
  {
    name: "a base URL that is not a URL",
    baseURL: () => "api.cloudflare.com/client/v4",
    expect: {
      error: "usage",
      names: "CLOUDFLARE_API_BASE_URL",
      problem: /it is not a valid URL/,
      maxRequests: 0,
    },
  },
  {
    name: "a base URL with a port that is not a number",
    baseURL: () => "http://127.0.0.1:port/client/v4",
    expect: {
      error: "usage",
      names: "CLOUDFLARE_API_BASE_URL",
      problem: /it is not a valid URL/,
      maxRequests: 0,
    },
  },
  {
    name: "a base URL with another scheme",
    baseURL: (api) => api.url.replace("http://", "ftp://"),
    expect: {
      error: "usage",
      names: "CLOUDFLARE_API_BASE_URL",
      problem: /its scheme is "ftp"/,
      maxRequests: 0,
    },
  },
  {
    name: "a base URL with a query",
    baseURL: (api) => `${api.url}?key=${PASSWORD}`,
    expect: {
      error: "usage",
      names: "CLOUDFLARE_API_BASE_URL",
      problem: /without a query or fragment/,
      maxRequests: 0,
    },
  },
];
