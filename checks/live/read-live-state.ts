import { InterruptedError, UsageError, VerifyError } from "../errors.js";
import type { CloudflareRanges, LiveState, LiveTunnel, LiveUnread, LiveZone } from "../model/zone.js";
import { mapPool } from "../pool.js";
import { createReadOnlyClient, type ReadOnlyClient } from "./client.js";
import { type ListRequest, readIpLists } from "./ip-lists.js";
import { DEFAULT_API_SHARE, DNS_RECORDS_PAGE_SIZE, READ_DEFAULTS } from "./limits.js";
import { ORIGIN_PULL_REQUESTS, readOriginPulls } from "./origin-pulls.js";
import { type Pace, paceFor, type RateLimit, RequestPacer } from "./pace.js";
import { readPageRules } from "./page-rules.js";
import { announcement, minimumRequests, RequestLedger, tooSlowError } from "./read-plan.js";
import { ReadRun } from "./read-run.js";
import {
  budgetReason,
  CEILING_REASON,
  CHECK_REQUEST_BUDGET,
  DRIFT_ONLY_REASON,
  PAGE_RULE_REQUESTS,
  paceReason,
  planOptionalReads,
  type RequestBudget,
  requestLimit,
} from "./request-budget.js";
import { type ReadPolicy, verifyError, withRetries } from "./retry.js";
import { ipsSchema, parseAnswer } from "./schemas.js";
import { scrubSecret } from "./scrub.js";
import type { ReadSdk } from "./sdk.js";
import {
  isTunnelRequest,
  readTunnel,
  type TunnelRequest,
  tunnelIdsInRecords,
  uniqueTunnelRequests,
} from "./tunnels.js";
import { readZoneCore, type Zone, type ZoneRequest } from "./zone.js";
import { resolveZones } from "./zone-lookup.js";

export interface LiveStateRequest {
  readonly zones: readonly ZoneRequest[];
  readonly lists?: readonly ListRequest[];
  /**
   * Tunnels to read besides those the zones' proxied CNAMEs route to (found by the reader itself,
   * in the zone's account): e.g. tunnels the code declares.
   */
  readonly tunnels?: readonly TunnelRequest[];
}

export interface LiveReadOptions {
  readonly token: string;
  /** Default `https://api.cloudflare.com/client/v4` (`CLOUDFLARE_API_BASE_URL` through `liveConfigFromEnv`). */
  readonly baseURL?: string;
  /** Zones read at once (default 4). */
  readonly concurrency?: number;
  /**
   * The one deadline of the whole read: every request, every response body and every wait for
   * `Retry-After` (default 120 s, `--api-timeout`).
   */
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
  /**
   * Aborts every request and wait in flight (SIGINT/SIGTERM); the read then throws
   * `InterruptedError` naming the signal (the reason's, when it is an `InterruptedError`; else SIGINT).
   */
  readonly signal?: AbortSignal;
  /** The SDK's own log lines (`CLOUDFLARE_LOG=debug|info|warn`), scrubbed; the CLI passes stderr. */
  readonly log?: (line: string) => void;
  /**
   * The most requests the read may send, retries included (tests). Without it the read's ceiling is
   * what its answers' totals call for (`RequestLedger`).
   */
  readonly maxRequests?: number;
  /**
   * The share of Cloudflare's rate limit (1,200 requests per 5 minutes per user) the read may use,
   * 0 < share <= 1 (default 0.5, `--api-share`): a read that needs more is paced, and one that could
   * not end within the deadline fails before sending anything.
   */
  readonly apiShare?: number;
  /** The rate limit the share is of (default Cloudflare's; tests use a shorter window). */
  readonly rateLimit?: RateLimit;
  /**
   * Read what the edge model needs besides records and SSL modes (default true): rulesets and their
   * entry points, Page Rules, AOP, tunnels. `drift` turns it off: 2 requests per zone.
   */
  readonly edge?: boolean;
  /**
   * What the optional reads (Page Rules, Authenticated Origin Pulls) may spend: they are read only
   * while the whole read stays within it (default `CHECK_REQUEST_BUDGET`, issue 13). The reads every
   * check needs are never left out.
   */
  readonly requestBudget?: RequestBudget;
}

async function readRanges(client: ReadOnlyClient, policy: ReadPolicy): Promise<CloudflareRanges> {
  const ips = await withRetries(
    { kind: "ips", what: "Cloudflare's IP ranges", endpoint: "/ips" },
    policy,
    async () => parseAnswer(ipsSchema, await client.sdk.ips.list(), "/ips", "result"),
  );
  return {
    ipv4: ips.ipv4_cidrs,
    ipv6: ips.ipv6_cidrs,
    ...(ips.etag ? { etag: ips.etag } : {}),
    origin: "live",
    capturedAt: new Date().toISOString(),
  };
}

/**
 * The tunnels the request names and those the zones' proxied CNAMEs route to (in the zone's
 * account), each read once. A tunnel the API does not know is missing, not an error: the edge model
 * predicts 1033 for the hostnames routed to it.
 */
async function readTunnels(
  sdk: ReadSdk,
  zones: readonly LiveZone[],
  zoneRequests: readonly ZoneRequest[],
  asked: readonly TunnelRequest[],
  concurrency: number,
  policy: ReadPolicy,
): Promise<{ tunnels: LiveTunnel[]; missingTunnels: string[] }> {
  const routed = zones.flatMap((zone, i) => {
    const ids = [...tunnelIdsInRecords(zone.records), ...(zoneRequests[i]?.tunnelIds ?? [])];
    if (ids.length === 0) return [];
    if (!zone.accountId) {
      throw verifyError(
        policy,
        `zone ${zone.name} routes to Cloudflare Tunnel ${ids[0]}, but the API did not say which account the zone is in, so the tunnel cannot be read`,
      );
    }
    return ids.map((id) => ({ accountId: zone.accountId!, id }));
  });
  const requests = uniqueTunnelRequests([...asked, ...routed]);
  // An id that is no tunnel UUID (or an account id that is no account id) names no tunnel: it is
  // missing, and no request is spent on it.
  policy.ledger?.expect(requests.filter(isTunnelRequest).length);
  const read = await mapPool(requests, concurrency, (tunnel) =>
    isTunnelRequest(tunnel) ? readTunnel(sdk, tunnel, policy) : Promise.resolve(undefined),
  );
  return {
    tunnels: read.flatMap((t) => (t ? [t] : [])),
    missingTunnels: requests.flatMap((r, i) => (read[i] ? [] : [r.id])),
  };
}

/** Page Rules and Authenticated Origin Pulls, as far as the budget has room (`planOptionalReads`). */
async function readOptional(
  sdk: ReadSdk,
  apiZones: readonly Zone[],
  cores: readonly LiveZone[],
  available: number,
  why: string,
  concurrency: number,
  policy: ReadPolicy,
): Promise<{ zones: LiveZone[]; unread: readonly LiveUnread[] }> {
  const plan = planOptionalReads(
    cores.map((zone, i) => ({
      zone: zone.name,
      proxied: zone.records.some((r) => r.proxied === true),
      noPageRules: apiZones[i]!.meta?.page_rule_quota === 0,
    })),
    available,
    why,
  );
  policy.ledger?.expect(
    plan.pageRules.filter(Boolean).length * PAGE_RULE_REQUESTS +
      plan.originPulls.filter(Boolean).length * ORIGIN_PULL_REQUESTS,
  );
  const zones = await mapPool(cores, concurrency, async (core, i) => {
    const zone = apiZones[i]!;
    const [pageRules, originPulls] = await Promise.all([
      plan.pageRules[i] ? readPageRules(sdk, zone, policy) : undefined,
      plan.originPulls[i] ? readOriginPulls(sdk, zone, policy) : undefined,
    ]);
    const none = zone.meta?.page_rule_quota === 0;
    return {
      ...core,
      ...(pageRules ? { pageRules } : none ? { pageRules: [] } : {}),
      ...(originPulls ? { originPulls } : {}),
    };
  });
  if (plan.unread.length > 0) {
    const count = (what: LiveUnread["what"]) => plan.unread.filter((u) => u.what === what).length;
    policy.onProgress?.(
      `left out to stay within the API request budget: the page rules of ${count("pageRules")} zone(s) and the Authenticated Origin Pulls of ${count("originPulls")} zone(s) (${why})`,
    );
  }
  return { zones, unread: plan.unread };
}

/** Per-zone progress lines up to this many zones; past it, one line per tenth of them. */
const PER_ZONE_PROGRESS_MAX = 10;

function zoneProgress(zones: number, policy: ReadPolicy, client: ReadOnlyClient) {
  if (zones <= PER_ZONE_PROGRESS_MAX) return { line: (m: string) => policy.onProgress?.(m), done: () => {} };
  const step = Math.ceil(zones / 10);
  let done = 0;
  return {
    line: () => {},
    done: () => {
      done += 1;
      if (done % step === 0 || done === zones)
        policy.onProgress?.(`zones read: ${done} of ${zones} (${client.requestCount()} requests so far)`);
    },
  };
}

/**
 * What the optional reads may spend, and why whatever is left out was: the request budget, the
 * read's pace before the deadline, or an explicit ceiling, whichever is smallest.
 */
function optionalRoom(
  zones: number,
  budget: RequestBudget,
  sent: number,
  pace: Pace,
  pacer: RequestPacer,
  deadline: number,
  maxRequests: number | undefined,
): { available: number; why: string } {
  const limits = [
    { available: requestLimit(zones, budget) - sent, why: budgetReason(budget) },
    { available: pacer.capacityUntil(deadline), why: paceReason(pace.share) },
    ...(maxRequests !== undefined ? [{ available: maxRequests - sent, why: CEILING_REASON }] : []),
  ];
  return limits.reduce((a, b) => (b.available < a.available ? b : a));
}

/**
 * Read the live state of the zones (and account IP lists) the stack declares, strictly read-only,
 * with bounded concurrency across zones, under one deadline, paced to a share of the API's rate
 * limit. Before sending anything it works out the least the read needs: a read that could not end
 * within the deadline at its pace fails at once, and a large one says how long it will take. Every
 * answer is checked at the boundary (envelope, shape, totals); nothing empty or partial is returned
 * as live state. A failure is a `VerifyError` (exit 3), a bad base URL a `UsageError` (exit 2), an
 * interruption an `InterruptedError`; no message contains the token or a password from the base URL.
 */
export async function readLiveState(request: LiveStateRequest, options: LiveReadOptions): Promise<LiveState> {
  const deadlineMs = options.deadlineMs ?? READ_DEFAULTS.deadlineMs;
  const edge = options.edge ?? true;
  const pace = paceFor(options.apiShare ?? DEFAULT_API_SHARE, options.rateLimit);
  const estimate = minimumRequests({
    zones: request.zones.length,
    edge,
    listAccounts: new Set((request.lists ?? []).map((l) => l.accountId)).size,
    lists: request.lists?.length ?? 0,
  });
  const ledger = new RequestLedger(estimate.total);
  const progress = options.onProgress
    ? (message: string) => options.onProgress?.(scrubSecret(message, options.token))
    : undefined;
  // Nothing is sent when the read could not end in time at its pace.
  const tooSlow = tooSlowError(request.zones.length, estimate.total, pace, deadlineMs);
  if (tooSlow) throw tooSlow;
  const note = announcement(request.zones.length, estimate.total, pace);
  if (note) progress?.(note);
  const run = new ReadRun(deadlineMs, options.signal);
  const policy: ReadPolicy = {
    run,
    maxRetries: options.maxRetries ?? READ_DEFAULTS.maxRetries,
    backoffMs: options.backoffMs ?? READ_DEFAULTS.backoffMs,
    token: options.token,
    ledger,
    ...(progress ? { onProgress: progress } : {}),
  };
  const pageSize = options.pageSize ?? DNS_RECORDS_PAGE_SIZE;
  try {
    const pacer = new RequestPacer(pace);
    const client = createReadOnlyClient({
      token: options.token,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      // No single request may outlive the whole read's deadline.
      timeoutMs: Math.min(options.requestTimeoutMs ?? READ_DEFAULTS.requestTimeoutMs, deadlineMs),
      signal: run.signal,
      ledger,
      pacer,
      ...(options.maxRequests !== undefined ? { maxRequests: options.maxRequests } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
    const concurrency = options.concurrency ?? READ_DEFAULTS.concurrency;
    const ranges = await readRanges(client, policy);
    const apiZones = await resolveZones(client.sdk, request.zones, policy, concurrency);
    const perZone = zoneProgress(apiZones.length, policy, client);
    const cores = await mapPool(apiZones, concurrency, async (zone) => {
      const core = await readZoneCore(client.sdk, zone, pageSize, policy, edge, perZone.line);
      perZone.done();
      return core;
    });
    if (!edge) {
      const ipLists = request.lists?.length ? await readIpLists(client.sdk, request.lists, policy) : [];
      const unread = cores.flatMap((zone): LiveUnread[] =>
        (["originRules", "configRules", "pageRules", "originPulls"] as const).map((what) => ({
          zone: zone.name,
          what,
          why: DRIFT_ONLY_REASON,
        })),
      );
      return { zones: cores, ranges, ipLists, unread, requestCount: client.requestCount(), edge: false };
    }
    const [{ tunnels, missingTunnels }, ipLists] = await Promise.all([
      readTunnels(client.sdk, cores, request.zones, request.tunnels ?? [], concurrency, policy),
      request.lists?.length ? readIpLists(client.sdk, request.lists, policy) : [],
    ]);
    // The optional reads get what the budget, the pace and any ceiling leave, whichever is least.
    const budget = options.requestBudget ?? CHECK_REQUEST_BUDGET;
    const room = optionalRoom(
      cores.length,
      budget,
      client.requestCount(),
      pace,
      pacer,
      run.deadline,
      options.maxRequests,
    );
    const { zones, unread } = await readOptional(
      client.sdk,
      apiZones,
      cores,
      room.available,
      room.why,
      concurrency,
      policy,
    );
    return {
      zones,
      ranges,
      ipLists,
      tunnels,
      missingTunnels,
      unread,
      requestCount: client.requestCount(),
    };
  } catch (error) {
    // An interruption wins over whatever the cut request reported.
    const stop = run.stopped();
    if (stop?.kind === "interrupted") throw new InterruptedError(stop.signal);
    if (error instanceof VerifyError || error instanceof UsageError || error instanceof InterruptedError)
      throw error;
    // Anything else is unexpected; it still means "could not verify", and must not leak the token.
    const message = error instanceof Error ? error.message : String(error);
    throw new VerifyError(scrubSecret(`could not read the live state: ${message}`, options.token));
  } finally {
    // Cancels whatever another zone still has in flight when one failed.
    run.close();
  }
}
