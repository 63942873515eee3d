import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  ACCOUNT_ID,
  AOP_SETTINGS,
  IPS,
  LIST_ID,
  LIST_ITEMS,
  LISTS,
  ORIGIN_ENTRYPOINT,
  RECORDS,
  RULESETS,
  SSL,
  TLS_CLIENT_AUTH,
  ZONE,
  ZONE_ID,
  ZONE_NAME,
} from "./data.js";

/**
 * A fault-injecting stand-in for the part of the Cloudflare v4 API that `readLiveState` reads, on
 * 127.0.0.1, written for the reliability tests (not the project's emulator): it answers healthily
 * unless a fault, chosen per scenario, replaces an answer. Every request is recorded.
 */

export type Endpoint =
  | "ips"
  | "zones"
  | "zone"
  | "dnsRecords"
  | "ssl"
  | "originRules"
  | "rulesets"
  | "pageRules"
  | "originPulls"
  | "lists"
  | "listItems";

export interface Reply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
  /** Send the body one byte at a time, this many milliseconds apart. */
  readonly trickleMs?: number;
}

export interface FaultContext {
  readonly endpoint: Endpoint;
  readonly query: URLSearchParams;
  /** The healthy answer to this request. */
  readonly healthy: () => Reply;
  /** How many requests this endpoint has had so far, this one included. */
  readonly nth: number;
}

/** Replaces the answer to a request, or returns undefined to let the healthy one through. */
export type Fault = (ctx: FaultContext) => Reply | undefined;

export interface RecordedRequest {
  readonly method: string;
  readonly endpoint: Endpoint | undefined;
  readonly path: string;
  readonly query: string;
}

const PREFIX = "/client/v4";
const JSON_TYPE = { "content-type": "application/json; charset=utf-8" };

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

export function envelope(result: unknown, resultInfo?: unknown): Record<string, unknown> {
  return {
    success: true,
    errors: [],
    messages: [],
    result,
    ...(resultInfo === undefined ? {} : { result_info: resultInfo }),
  };
}

export function failure(status: number, errors: readonly { code: number; message: string }[]): Reply {
  return json(status, { success: false, errors, messages: [], result: null });
}

export interface PageShape {
  /** Override what `result_info` claims. */
  readonly totalCount?: number;
  readonly totalPages?: number;
  /** Leave `total_count` and `total_pages` out. */
  readonly omitTotals?: boolean;
  /** Serve these pages empty (the totals still claim the full list). */
  readonly emptyPages?: readonly number[];
}

/** A page of the zone's records as the API pages them (page numbers from 1). */
export function recordsPage(query: URLSearchParams, shape: PageShape = {}): Reply {
  const page = Number(query.get("page") ?? "1");
  const perPage = Number(query.get("per_page") ?? "100");
  const slice = shape.emptyPages?.includes(page) ? [] : RECORDS.slice((page - 1) * perPage, page * perPage);
  const totalCount = shape.totalCount ?? RECORDS.length;
  const info = {
    page,
    per_page: perPage,
    count: slice.length,
    ...(shape.omitTotals
      ? {}
      : { total_count: totalCount, total_pages: shape.totalPages ?? Math.ceil(totalCount / perPage) }),
  };
  return json(200, envelope(slice, info));
}

function itemsPage(query: URLSearchParams): Reply {
  const perPage = Number(query.get("per_page") ?? "25");
  const start = Number(query.get("cursor") ?? "0");
  const slice = LIST_ITEMS.slice(start, start + perPage);
  const next = start + slice.length;
  return json(200, envelope(slice, { cursors: next < LIST_ITEMS.length ? { after: String(next) } : {} }));
}

const ZONE_PATH = `/zones/${ZONE_ID}`;
const ROUTES: readonly {
  readonly path: string;
  readonly endpoint: Endpoint;
  readonly answer: (q: URLSearchParams) => Reply;
}[] = [
  { path: "/ips", endpoint: "ips", answer: () => json(200, envelope(IPS)) },
  {
    path: "/zones",
    endpoint: "zones",
    answer: (q) => {
      const found = q.get("name") === ZONE_NAME ? [ZONE] : [];
      const perPage = Number(q.get("per_page") ?? "20");
      return json(
        200,
        envelope(found, {
          page: 1,
          per_page: perPage,
          count: found.length,
          total_count: found.length,
          total_pages: found.length ? 1 : 0,
        }),
      );
    },
  },
  { path: ZONE_PATH, endpoint: "zone", answer: () => json(200, envelope(ZONE)) },
  { path: `${ZONE_PATH}/dns_records`, endpoint: "dnsRecords", answer: (q) => recordsPage(q) },
  { path: `${ZONE_PATH}/settings/ssl`, endpoint: "ssl", answer: () => json(200, envelope(SSL)) },
  { path: `${ZONE_PATH}/rulesets`, endpoint: "rulesets", answer: () => json(200, envelope(RULESETS, {})) },
  { path: `${ZONE_PATH}/pagerules`, endpoint: "pageRules", answer: () => json(200, envelope([])) },
  {
    path: `${ZONE_PATH}/settings/tls_client_auth`,
    endpoint: "originPulls",
    answer: () => json(200, envelope(TLS_CLIENT_AUTH)),
  },
  {
    path: `${ZONE_PATH}/origin_tls_client_auth/settings`,
    endpoint: "originPulls",
    answer: () => json(200, envelope(AOP_SETTINGS)),
  },
  {
    path: `${ZONE_PATH}/origin_tls_client_auth/hostnames`,
    endpoint: "originPulls",
    answer: (q) =>
      json(
        200,
        envelope([], {
          page: 1,
          per_page: Number(q.get("per_page") ?? "50"),
          count: 0,
          total_count: 0,
          total_pages: 0,
        }),
      ),
  },
  {
    path: `${ZONE_PATH}/rulesets/phases/http_request_origin/entrypoint`,
    endpoint: "originRules",
    answer: () => json(200, envelope(ORIGIN_ENTRYPOINT)),
  },
  {
    path: `/accounts/${ACCOUNT_ID}/rules/lists`,
    endpoint: "lists",
    answer: () => json(200, envelope(LISTS)),
  },
  { path: `/accounts/${ACCOUNT_ID}/rules/lists/${LIST_ID}/items`, endpoint: "listItems", answer: itemsPage },
];

async function send(res: ServerResponse, reply: Reply): Promise<void> {
  if (!reply.trickleMs) {
    res.writeHead(reply.status, reply.headers).end(reply.body);
    return;
  }
  // No content-length: the body is chunked, one byte at a time, until done or the client leaves.
  let gone = false;
  res.once("close", () => {
    gone = true;
  });
  res.writeHead(reply.status, reply.headers);
  const bytes = Buffer.from(reply.body);
  for (let i = 0; i < bytes.length && !gone; i++) {
    res.write(bytes.subarray(i, i + 1));
    await new Promise((resolve) => setTimeout(resolve, reply.trickleMs));
  }
  if (!gone) res.end();
}

export class FaultApi {
  readonly requests: RecordedRequest[] = [];
  fault: Fault | undefined;
  /** Answers still being sent (a trickled body the client has not hung up on). */
  open = 0;
  readonly #counts = new Map<Endpoint, number>();

  private constructor(
    private readonly server: Server,
    readonly token: string,
    /** The base URL to give the SDK: `http://127.0.0.1:PORT/client/v4`. */
    readonly url: string,
  ) {}

  static async start(token: string): Promise<FaultApi> {
    let api: FaultApi | undefined;
    const server = createServer((req, res) => {
      void api?.handle(req, res).catch(() => res.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    api = new FaultApi(server, token, `http://127.0.0.1:${port}${PREFIX}`);
    return api;
  }

  /** Back to healthy, with no requests recorded. */
  reset(fault?: Fault): void {
    this.fault = fault;
    this.requests.length = 0;
    this.#counts.clear();
  }

  requestsTo(endpoint: Endpoint): RecordedRequest[] {
    return this.requests.filter((r) => r.endpoint === endpoint);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : url.pathname;
    const route = ROUTES.find((r) => r.path === path);
    this.requests.push({ method: req.method ?? "", endpoint: route?.endpoint, path, query: url.search });
    this.open += 1;
    res.once("close", () => {
      this.open -= 1;
    });
    req.resume();
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      await send(res, failure(401, [{ code: 10000, message: "Authentication error" }]));
      return;
    }
    if (!route || req.method !== "GET") {
      await send(res, failure(404, [{ code: 7003, message: "Could not route to the path" }]));
      return;
    }
    const nth = (this.#counts.get(route.endpoint) ?? 0) + 1;
    this.#counts.set(route.endpoint, nth);
    const healthy = () => route.answer(url.searchParams);
    const reply =
      this.fault?.({ endpoint: route.endpoint, query: url.searchParams, healthy, nth }) ?? healthy();
    await send(res, reply);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
