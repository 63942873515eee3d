import { setTimeout as sleep } from "node:timers/promises";
import { API_RATE_LIMIT } from "./limits.js";

/**
 * Pacing a live read to a share of Cloudflare's API rate limit (issue 13). The limit counts
 * requests per user over a window (1,200 per 5 minutes), shared with the dashboard, Terraform and
 * every other token of the user; a read may use `share` of it, so it sends at most
 * `floor(share x 1,200)` requests in any 5 minutes.
 */

/** What a read may send: `requests` in any `windowMs`. */
export interface Pace {
  readonly requests: number;
  readonly windowMs: number;
  /** The share of the limit it stands for, for messages. */
  readonly share: number;
}

/** The rate limit a pace is a share of: Cloudflare's, or a shorter one for tests. */
export interface RateLimit {
  readonly requests: number;
  readonly windowMs: number;
}

export const CLOUDFLARE_RATE_LIMIT: RateLimit = {
  requests: API_RATE_LIMIT.requests,
  windowMs: API_RATE_LIMIT.windowSeconds * 1000,
};

/** `share` (0 < share <= 1) of `limit`: at least one request per window. */
export function paceFor(share: number, limit: RateLimit = CLOUDFLARE_RATE_LIMIT): Pace {
  return { requests: Math.max(1, Math.floor(share * limit.requests)), windowMs: limit.windowMs, share };
}

/**
 * The least time `requests` requests take at `pace`: none while they fit in one window's share,
 * else a whole window for each further share (request k + n waits for the window after request k).
 */
export function pacedDurationMs(requests: number, pace: Pace): number {
  if (requests <= pace.requests) return 0;
  return Math.floor((requests - 1) / pace.requests) * pace.windowMs;
}

/** `15 min`, `2 min 30 s`, `40 s`, `0.4 s`: a duration for a message. */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${Number((ms / 1000).toFixed(1))} s`;
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/**
 * `1,200`: a count for a message, grouped by thousands without `toLocaleString` (whose first call
 * loads ICU's number formats: tens of milliseconds of every run's start).
 */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ",");
}

/** `600 per 5 minutes`, `60 per 0.1 s`: a pace for a message. */
export function describePace(pace: Pace): string {
  const window =
    pace.windowMs % 60_000 === 0 ? `${pace.windowMs / 60_000} minutes` : formatDuration(pace.windowMs);
  return `${formatCount(pace.requests)} per ${window}`;
}

/**
 * Holds a read to its pace: `pace.requests` slots, each taken by one request and free again one
 * window after that request's answer has been read. Cloudflare counts a request when it arrives,
 * which is before its answer is read, so any window at Cloudflare holds at most `pace.requests` of
 * the read's requests, whatever the network's delays. Requests are let through in the order they
 * asked.
 */
export class RequestPacer {
  readonly #freeAt: number[];
  readonly #busy: boolean[];
  #queue: Promise<unknown> = Promise.resolve();
  #released: (() => void) | undefined;

  constructor(
    readonly pace: Pace,
    private readonly now: () => number = Date.now,
  ) {
    this.#freeAt = new Array<number>(pace.requests).fill(Number.NEGATIVE_INFINITY);
    this.#busy = new Array<boolean>(pace.requests).fill(false);
  }

  /**
   * Wait for a slot (the wait ends early, rejecting, when `signal` aborts). The returned function
   * frees it, to be called once the request's answer has been read or the request failed.
   */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    const turn = this.#queue.then(() => this.#take(signal));
    this.#queue = turn.catch(() => {});
    const slot = await turn;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#busy[slot] = false;
      this.#freeAt[slot] = this.now() + this.pace.windowMs;
      const wake = this.#released;
      this.#released = undefined;
      wake?.();
    };
  }

  async #take(signal: AbortSignal | undefined): Promise<number> {
    for (;;) {
      signal?.throwIfAborted();
      let slot = -1;
      for (let i = 0; i < this.#freeAt.length; i++)
        if (!this.#busy[i] && (slot < 0 || this.#freeAt[i]! < this.#freeAt[slot]!)) slot = i;
      if (slot >= 0) {
        // A slot freed later always frees later than this one: waiting for it is waiting for the earliest.
        const wait = this.#freeAt[slot]! - this.now();
        if (wait <= 0) {
          this.#busy[slot] = true;
          return slot;
        }
        await sleep(wait, undefined, signal ? { signal } : {});
      } else {
        // Every slot is in flight: the first answer read frees one (a window later).
        await new Promise<void>((resolve, reject) => {
          const onAbort = () => reject(signal?.reason);
          this.#released = () => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
          };
          signal?.addEventListener("abort", onAbort, { once: true });
        });
      }
    }
  }

  /**
   * How many more requests could start before `deadline` (epoch ms) if each answered at once: every
   * slot once when it is free by then, and once more for each whole window left after that.
   */
  capacityUntil(deadline: number): number {
    const now = this.now();
    let total = 0;
    for (let i = 0; i < this.#freeAt.length; i++) {
      // A slot in flight frees a window after its answer: at the earliest a window from now.
      const free = this.#busy[i] ? now + this.pace.windowMs : Math.max(now, this.#freeAt[i]!);
      if (free < deadline) total += 1 + Math.floor((deadline - free) / this.pace.windowMs);
    }
    return total;
  }
}
