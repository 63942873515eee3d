import { setMaxListeners } from "node:events";
import { UsageError } from "../errors.js";
import { ApiAnswerError, IncompleteAnswerError } from "./answer-error.js";
import { endpointOf, parseApiBaseUrl } from "./base-url.js";
import { readBodyText } from "./body.js";
import { checkEnvelope } from "./envelope.js";
import { API_RATE_LIMIT, DEFAULT_API_BASE_URL, MAX_RESPONSE_BYTES, READ_DEFAULTS } from "./limits.js";
import type { RequestPacer } from "./pace.js";
import type { RequestLedger } from "./read-plan.js";
import { ReadSdk } from "./sdk.js";
import { sdkLogger } from "./sdk-log.js";

export interface ClientOptions {
  readonly token: string;
  readonly baseURL?: string;
  /** Timeout of one request, its body included. */
  readonly timeoutMs?: number;
  /** Aborts every request and body in flight: the read's deadline and interruption (`ReadRun.signal`). */
  readonly signal?: AbortSignal;
  /** The most requests this client sends, whatever the ledger expects (tests). */
  readonly maxRequests?: number;
  /**
   * What the read expects to send: the client refuses a request past its ceiling (runaway
   * pagination, a loop), so a read never spends the user's API budget on what nothing announced.
   */
  readonly ledger?: RequestLedger;
  /** Holds every request to the read's share of the rate limit (`--api-share`). */
  readonly pacer?: RequestPacer;
  /** The SDK's own log lines (`CLOUDFLARE_LOG`), scrubbed; without it the SDK logs nothing. */
  readonly log?: (line: string) => void;
}

/** A read-only SDK client and the number of HTTP requests it has sent. */
export interface ReadOnlyClient {
  readonly sdk: ReadSdk;
  /** The checked base URL the client sends to. */
  readonly baseURL: string;
  requestCount(): number;
}

/**
 * What the SDK gets for a checked 2xx answer: the same status and headers, and the body parsed
 * once (the SDK calls `json()`); the text is not kept, pages of 10,000 records are large. A new
 * `Response` without a body: the SDK keeps each page's response, and the answer as it came keeps
 * more of the transfer alive (measured: about 15 MB more peak memory at 100,000 records).
 */
function checkedResponse(original: Response, body: unknown): Response {
  const response = new Response(null, {
    status: original.status,
    statusText: original.statusText,
    headers: original.headers,
  });
  Object.defineProperty(response, "url", { value: original.url });
  Object.defineProperty(response, "json", { value: () => Promise.resolve(body) });
  Object.defineProperty(response, "text", { value: () => Promise.resolve(JSON.stringify(body)) });
  return response;
}

/**
 * One signal that aborts when either does, without `AbortSignal.any` (which Node 20 ties to its
 * sources through weak references and a finalization registry: heavy for one per request); the
 * listeners it adds are removed by `release`.
 */
function eitherSignal(
  a: AbortSignal | undefined,
  b: AbortSignal | undefined,
): { signal: AbortSignal; release: () => void } {
  if (a === undefined || b === undefined) {
    const only = a ?? b ?? new AbortController().signal;
    return { signal: only, release: () => {} };
  }
  const controller = new AbortController();
  const fromA = () => controller.abort(a.reason);
  const fromB = () => controller.abort(b.reason);
  if (a.aborted) fromA();
  else if (b.aborted) fromB();
  else {
    a.addEventListener("abort", fromA, { once: true });
    b.addEventListener("abort", fromB, { once: true });
  }
  return {
    signal: controller.signal,
    release: () => {
      a.removeEventListener("abort", fromA);
      b.removeEventListener("abort", fromB);
    },
  };
}

/** A non-2xx answer with its body already read (bounded by size and deadline), for the SDK's error. */
function readResponse(original: Response, text: string): Response {
  const noBody = [101, 204, 205, 304].includes(original.status);
  return new Response(noBody ? null : text, {
    status: original.status,
    statusText: original.statusText,
    headers: original.headers,
  });
}

function urlOf(input: string | URL | Request): string {
  return typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
}

/**
 * The only place that builds the official SDK client. Its `fetch` is the API boundary:
 * - it refuses every method but GET (the checker never writes) and counts requests, up to the
 *   read's ceiling, each one paced to the read's share of the rate limit;
 * - it follows no redirect and reads every body itself, bounded in size, under the SDK's
 *   per-request timeout and the read's signal (deadline, interruption), so a trickling body is cut
 *   like any other wait;
 * - it hands a 2xx answer to the SDK only when it is a JSON v4 envelope with `success: true` and a
 *   `result` (the SDK unwraps `result` without looking at `success`); anything else is an
 *   `ApiAnswerError` naming the endpoint.
 * The SDK's own retries are off: the reader retries itself so that it can honour `Retry-After` up to
 * its deadline and count every request. The SDK's logging goes to `log`, never to stdout.
 */
export function createReadOnlyClient(options: ClientOptions): ReadOnlyClient {
  const baseURL = parseApiBaseUrl(options.baseURL ?? DEFAULT_API_BASE_URL);
  const { maxRequests, ledger, pacer } = options;
  // Every request in flight listens to the read's signal (`eitherSignal`), more than Node's
  // default of 10 before it warns of a leak; each listener is removed when its request ends.
  if (options.signal) setMaxListeners(0, options.signal);
  let count = 0;
  const boundaryFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    if (method !== "GET") throw new Error(`cf-preflight reads only; it refused a ${method} request`);
    const url = urlOf(input);
    const endpoint = endpointOf(url, baseURL);
    if (maxRequests !== undefined && count >= maxRequests) {
      throw new ApiAnswerError(
        endpoint,
        `the read has already sent ${count} requests, the most one read may send (the API allows ${API_RATE_LIMIT.requests} per ${API_RATE_LIMIT.windowSeconds / 60} minutes per user)`,
      );
    }
    if (ledger !== undefined && count >= ledger.ceiling()) {
      throw new ApiAnswerError(
        endpoint,
        `the read has already sent ${count} requests, more than the ${ledger.expected} the answers' totals call for; it stops rather than spend the user's API budget (${API_RATE_LIMIT.requests} per ${API_RATE_LIMIT.windowSeconds / 60} minutes) on a list that does not end`,
      );
    }
    const signalOf = (s: unknown): AbortSignal | undefined => (s instanceof AbortSignal ? s : undefined);
    const either = eitherSignal(signalOf(init?.signal), options.signal);
    const { signal } = either;
    let text: string;
    let response: Response | undefined;
    try {
      signal.throwIfAborted();
      const release = pacer ? await pacer.acquire(signal) : undefined;
      count += 1;
      try {
        response = await fetch(url, { ...init, signal, redirect: "manual" });
        text = await readBodyText(response, endpoint, MAX_RESPONSE_BYTES);
      } catch (error) {
        // No answer at all (a connection failure) is the SDK's to classify; a body cut off is ours.
        if (response === undefined || error instanceof ApiAnswerError || signal.aborted) throw error;
        const why = error instanceof Error ? error.message : String(error);
        throw new IncompleteAnswerError(endpoint, `the body was cut off (${why})`);
      } finally {
        // Cloudflare counted the request when it arrived, before this: its slot frees a window from now.
        release?.();
      }
    } finally {
      either.release();
    }
    if (!response.ok) return readResponse(response, text);
    const checked = checkEnvelope(response.status, response.headers.get("content-type"), text, options.token);
    if (!checked.ok) throw new ApiAnswerError(endpoint, checked.problem);
    return checkedResponse(response, checked.body);
  };
  const sdk = new ReadSdk({
    apiToken: options.token,
    baseURL,
    maxRetries: 0,
    timeout: options.timeoutMs ?? READ_DEFAULTS.requestTimeoutMs,
    fetch: boundaryFetch,
    logger: sdkLogger(options.log, options.token),
    // The SDK would otherwise read these from the environment as alternative credentials.
    apiKey: null,
    apiEmail: null,
    userServiceKey: null,
  });
  return { sdk, baseURL, requestCount: () => count };
}

/** `CLOUDFLARE_API_TOKEN` and `CLOUDFLARE_API_BASE_URL` from an environment; a bad base URL is exit 2. */
export function liveConfigFromEnv(env: NodeJS.ProcessEnv = process.env): { token: string; baseURL: string } {
  const token = env.CLOUDFLARE_API_TOKEN?.trim();
  if (!token) {
    throw new UsageError(
      "CLOUDFLARE_API_TOKEN is not set: the live state cannot be read (set it, or pass --no-live)",
    );
  }
  const raw = env.CLOUDFLARE_API_BASE_URL?.trim();
  const baseURL = raw ? parseApiBaseUrl(raw) : DEFAULT_API_BASE_URL;
  return { token, baseURL };
}
