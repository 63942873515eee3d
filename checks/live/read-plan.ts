import { VerifyError } from "../errors.js";
import { ZONES_PAGE_SIZE } from "./limits.js";
import { describePace, formatCount, formatDuration, type Pace, pacedDurationMs } from "./pace.js";
import { ZONE_LISTING_MIN_ZONES } from "./zone-lookup.js";

/**
 * What a live read will send, known before it sends anything (issue 13): the least it needs, from
 * the zones, lists and tunnels asked for. Everything past that (more pages than one per list, the
 * entry points a zone has, tunnels its records route to, retries, the optional reads) is announced
 * to the read's `RequestLedger` as it becomes known, and the read's safety ceiling follows it.
 */

/**
 * Requests per zone every read sends at least: its records (one page of 10,000) and its SSL mode;
 * with the edge's reads also the list of its rulesets.
 */
export const ZONE_REQUESTS = { drift: 2, edge: 3 } as const;

export interface ReadShape {
  readonly zones: number;
  /** Rulesets, tunnels and the optional reads too (`check`); without them only what drift needs. */
  readonly edge: boolean;
  /** Accounts whose IP lists are read (one listing each), and the lists (at least one page each). */
  readonly listAccounts: number;
  readonly lists: number;
}

export interface RequestEstimate {
  /** The least the read sends. */
  readonly total: number;
  readonly perZone: number;
  /** Cloudflare's ranges, finding the zones, the IP lists. */
  readonly fixed: number;
}

/** The least a read of this shape sends: nothing here is a guess, every one of them is needed. */
export function minimumRequests(shape: ReadShape): RequestEstimate {
  const perZone = shape.edge ? ZONE_REQUESTS.edge : ZONE_REQUESTS.drift;
  const finding =
    shape.zones >= ZONE_LISTING_MIN_ZONES ? Math.ceil(shape.zones / ZONES_PAGE_SIZE) : shape.zones;
  const fixed = 1 + finding + shape.listAccounts + shape.lists;
  return { total: perZone * shape.zones + fixed, perZone, fixed };
}

/**
 * The requests a read expects to send: the minimum to start with, and whatever the answers announce
 * (pages past the first, entry points, tunnels, retries, optional reads). Its ceiling stops a read
 * that keeps asking for what nothing announced (a list that never ends, a loop): runaway pagination
 * cannot take the user's API budget.
 */
export class RequestLedger {
  #expected: number;

  constructor(minimum: number) {
    this.#expected = minimum;
  }

  /** `n` more requests the read now knows it needs. */
  expect(n: number): void {
    if (n > 0) this.#expected += n;
  }

  get expected(): number {
    return this.#expected;
  }

  /** The most requests the read may send: what it expects, and a little slack for the unforeseen. */
  ceiling(): number {
    return this.#expected + CEILING_SLACK;
  }
}

/** Requests past the expected that a read may still send before its ceiling stops it. */
export const CEILING_SLACK = 10;

/** What a read of `zones` zones needing `requests` at `pace` is told up front, or undefined (small reads). */
export function announcement(zones: number, requests: number, pace: Pace): string | undefined {
  const duration = pacedDurationMs(requests, pace);
  if (duration === 0 && requests < ANNOUNCE_FROM_REQUESTS) return undefined;
  const about = `${formatCount(requests)} API requests for ${formatCount(zones)} zone(s)`;
  if (duration > 0)
    return `the live read needs at least ${about}, more than the ${describePace(pace)} --api-share ${pace.share} allows: it is paced and takes about ${formatDuration(duration)}`;
  if (requests >= ANNOUNCE_FROM_REQUESTS)
    return `the live read needs about ${about}, within the ${describePace(pace)} --api-share ${pace.share} allows: no waiting`;
  return undefined;
}

/** Reads from this many requests on say so up front even when they need no pacing. */
export const ANNOUNCE_FROM_REQUESTS = 100;

/**
 * Fail before sending anything when the paced read cannot end within the time allowed: exit 3 with
 * the time it would need and how to give it that, never a read that fails half-way.
 */
export function tooSlowError(
  zones: number,
  requests: number,
  pace: Pace,
  deadlineMs: number,
): VerifyError | undefined {
  const duration = pacedDurationMs(requests, pace);
  if (duration < deadlineMs) return undefined;
  const seconds = Math.ceil(duration / 1000);
  // A margin for the requests themselves: a minute, or a tenth of the paced time if more.
  const suggested = seconds + Math.max(60, Math.ceil(seconds / 10));
  return new VerifyError(
    `the live read needs at least ${formatCount(requests)} API requests for ${formatCount(zones)} zone(s); at --api-share ${pace.share} (${describePace(pace)}, a share of Cloudflare's limit per user) that takes at least ${formatDuration(duration)}, more than --api-timeout ${Number((deadlineMs / 1000).toFixed(3))} s allows, so nothing was sent`,
    `Give the read the time it needs (--api-timeout ${suggested}), a larger --api-share (up to 1 when nothing else uses this user's API budget: the dashboard and Terraform share it), or check fewer zones per run.`,
  );
}
