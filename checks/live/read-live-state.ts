import type { IPListResponse } from "cloudflare/resources/ips/ips";
import { VerifyError } from "../errors.js";
import type { CloudflareRanges, LiveState } from "../model/zone.js";
import { mapPool } from "../pool.js";
import { createReadOnlyClient } from "./client.js";
import { type ListRequest, readIpLists } from "./ip-lists.js";
import { DNS_RECORDS_PAGE_SIZE, READ_DEFAULTS } from "./limits.js";
import { type ReadPolicy, withRetries } from "./retry.js";
import { scrubSecret } from "./scrub.js";
import { readZone, type ZoneRequest } from "./zone.js";

export interface LiveStateRequest {
  readonly zones: readonly ZoneRequest[];
  readonly lists?: readonly ListRequest[];
}

export interface LiveReadOptions {
  readonly token: string;
  /** Default `https://api.cloudflare.com/client/v4` (`CLOUDFLARE_API_BASE_URL` through `liveConfigFromEnv`). */
  readonly baseURL?: string;
  /** Zones read at once (default 4). */
  readonly concurrency?: number;
  /** Time budget for the whole read, waits for `Retry-After` included (default 120 s). */
  readonly deadlineMs?: number;
  /** Retries of one request after a 5xx, a connection failure or a cut-off body (default 3). */
  readonly maxRetries?: number;
  /** Timeout of one HTTP request (default 60 s). */
  readonly requestTimeoutMs?: number;
  /** DNS records per page (default: the API's maximum). Smaller only for tests and benchmarks. */
  readonly pageSize?: number;
  /** First backoff after a transient failure (default 200 ms). */
  readonly backoffMs?: number;
  readonly onProgress?: (message: string) => void;
  /** Aborts every request and wait in flight (SIGINT/SIGTERM); the read then throws. */
  readonly signal?: AbortSignal;
}

async function readRanges(
  client: ReturnType<typeof createReadOnlyClient>,
  policy: ReadPolicy,
): Promise<CloudflareRanges> {
  const ips: IPListResponse = await withRetries(
    { kind: "ips", what: "Cloudflare's IP ranges (/ips)" },
    policy,
    () => client.sdk.ips.list(),
  );
  return {
    ipv4: ips.ipv4_cidrs ?? [],
    ipv6: ips.ipv6_cidrs ?? [],
    ...(ips.etag ? { etag: ips.etag } : {}),
    origin: "live",
    capturedAt: new Date().toISOString(),
  };
}

/**
 * Read the live state of the zones (and account IP lists) the stack declares, strictly read-only,
 * with bounded concurrency across zones. Every failure is a `VerifyError` (exit 3) whose message
 * and hint never contain the token.
 */
export async function readLiveState(request: LiveStateRequest, options: LiveReadOptions): Promise<LiveState> {
  const client = createReadOnlyClient({
    token: options.token,
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    // No single request may outlive the whole read's deadline.
    timeoutMs: Math.min(
      options.requestTimeoutMs ?? READ_DEFAULTS.requestTimeoutMs,
      options.deadlineMs ?? READ_DEFAULTS.deadlineMs,
    ),
  });
  const policy: ReadPolicy = {
    deadline: Date.now() + (options.deadlineMs ?? READ_DEFAULTS.deadlineMs),
    maxRetries: options.maxRetries ?? READ_DEFAULTS.maxRetries,
    backoffMs: options.backoffMs ?? READ_DEFAULTS.backoffMs,
    token: options.token,
    ...(options.onProgress
      ? { onProgress: (message: string) => options.onProgress?.(scrubSecret(message, options.token)) }
      : {}),
  };
  const pageSize = options.pageSize ?? DNS_RECORDS_PAGE_SIZE;
  try {
    const ranges = await readRanges(client, policy);
    const zones = await mapPool(request.zones, options.concurrency ?? READ_DEFAULTS.concurrency, (zone) =>
      readZone(client.sdk, zone, pageSize, policy),
    );
    const ipLists = request.lists?.length ? await readIpLists(client.sdk, request.lists, policy) : [];
    return { zones, ranges, ipLists, requestCount: client.requestCount() };
  } catch (error) {
    if (error instanceof VerifyError) throw error;
    // Anything else is unexpected; it still means "could not verify", and must not leak the token.
    const message = error instanceof Error ? error.message : String(error);
    throw new VerifyError(scrubSecret(`could not read the live state: ${message}`, options.token));
  }
}
