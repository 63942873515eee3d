import Cloudflare from "cloudflare";
import { UsageError } from "../errors.js";
import { DEFAULT_API_BASE_URL, READ_DEFAULTS } from "./limits.js";

export interface ClientOptions {
  readonly token: string;
  readonly baseURL?: string;
  readonly timeoutMs?: number;
}

/** A read-only SDK client and the number of HTTP requests it has sent. */
export interface ReadOnlyClient {
  readonly sdk: Cloudflare;
  requestCount(): number;
}

/**
 * The only place that builds the official SDK client. Its `fetch` refuses every method but GET
 * (the checker never writes) and counts requests. The SDK's own retries are off: the reader retries
 * itself so that it can honour `Retry-After` up to its deadline and count every request.
 */
export function createReadOnlyClient(options: ClientOptions): ReadOnlyClient {
  let count = 0;
  const readOnlyFetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    if (method !== "GET") {
      return Promise.reject(new Error(`cf-preflight reads only; it refused a ${method} request`));
    }
    count += 1;
    return fetch(input, init);
  };
  const sdk = new Cloudflare({
    apiToken: options.token,
    baseURL: options.baseURL ?? DEFAULT_API_BASE_URL,
    maxRetries: 0,
    timeout: options.timeoutMs ?? READ_DEFAULTS.requestTimeoutMs,
    fetch: readOnlyFetch,
    // The SDK would otherwise read these from the environment as alternative credentials.
    apiKey: null,
    apiEmail: null,
    userServiceKey: null,
  });
  return { sdk, requestCount: () => count };
}

/** `CLOUDFLARE_API_TOKEN` and `CLOUDFLARE_API_BASE_URL` from an environment. */
export function liveConfigFromEnv(env: NodeJS.ProcessEnv = process.env): { token: string; baseURL: string } {
  const token = env.CLOUDFLARE_API_TOKEN?.trim();
  if (!token) {
    throw new UsageError(
      "CLOUDFLARE_API_TOKEN is not set: the live state cannot be read (set it, or pass --no-live)",
    );
  }
  const baseURL = env.CLOUDFLARE_API_BASE_URL?.trim() || DEFAULT_API_BASE_URL;
  return { token, baseURL };
}
