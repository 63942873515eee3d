import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import { VerifyError } from "../../checks/errors.js";
import { answerErrorOf } from "../../checks/live/answer-error.js";
import { createReadOnlyClient, readLiveState } from "../../checks/live/index.js";
import { formatDuration, pacedDurationMs, paceFor, RequestPacer } from "../../checks/live/pace.js";
import { minimumRequests, RequestLedger } from "../../checks/live/read-plan.js";
import { TOKEN } from "../emulator/fixtures.js";

/**
 * Issue 13's request budget over real HTTP: a large account read within a share of the API's rate
 * limit, on a short time scale (the limit's window shortened through the reader's options, so the
 * test runs in seconds). Nothing here asserts how fast anything is: the pace is checked from the
 * emulator's own arrival times, which only a read that waits can keep.
 */

const ZONES = 1_000;
const name = (i: number) => `p${String(i).padStart(4, "0")}.test`;
/** Cloudflare's 1,200 requests, in a window of 100 ms instead of 5 minutes. */
const FAST_LIMIT = { requests: 1_200, windowMs: 100 };
/** A tiny share: 60 requests per window. */
const SHARE = 0.05;

let emu: Emulator;
const messages: string[] = [];
const request = { zones: Array.from({ length: ZONES }, (_, i) => ({ name: name(i) })) };
const options = (extra: object = {}) => ({
  token: TOKEN,
  baseURL: emu.url,
  edge: false,
  apiShare: SHARE,
  rateLimit: FAST_LIMIT,
  onProgress: (m: string) => messages.push(m),
  ...extra,
});

beforeAll(async () => {
  emu = await startEmulator({
    token: TOKEN,
    seed: {
      zones: Array.from({ length: ZONES }, (_, i) => ({
        name: name(i),
        ssl: "full" as const,
        records: [{ name: "www", type: "A" as const, content: `198.18.${i >> 8}.${i & 255}`, proxied: true }],
      })),
    },
  });
});

afterEach(() => {
  emu.clearRequests();
  messages.length = 0;
});

afterAll(async () => {
  await emu?.close();
});

describe(`a ${ZONES}-zone account read at --api-share ${SHARE}`, () => {
  const pace = paceFor(SHARE, FAST_LIMIT);
  // Cloudflare's ranges, 20 pages of the zone listing, records and SSL mode of every zone.
  const needed = 1 + ZONES / 50 + 2 * ZONES;

  it("says up front how long it will take, then keeps to the pace at the API", async () => {
    expect(minimumRequests({ zones: ZONES, edge: false, listAccounts: 0, lists: 0 }).total).toBe(needed);
    const state = await readLiveState(request, options());
    expect(state.zones).toHaveLength(ZONES);
    const log = emu.requests();
    expect(log).toHaveLength(needed);
    expect(state.requestCount).toBe(needed);
    // Announced before the first request, with the time the pace needs.
    const duration = pacedDurationMs(needed, pace);
    expect(duration).toBe(Math.floor((needed - 1) / 60) * 100);
    expect(messages[0]).toBe(
      `the live read needs at least 2,021 API requests for 1,000 zone(s), more than the 60 per 0.1 s --api-share ${SHARE} allows: it is paced and takes about ${formatDuration(duration)}`,
    );
    // Any window of the limit's length holds at most the share's number of requests, as they arrived.
    const arrivals = log.map((r) => r.at).sort((a, b) => a - b);
    let tightest = Number.POSITIVE_INFINITY;
    for (let i = 0; i + pace.requests < arrivals.length; i++)
      tightest = Math.min(tightest, arrivals[i + pace.requests]! - arrivals[i]!);
    expect(tightest).toBeGreaterThanOrEqual(FAST_LIMIT.windowMs);
    // And it did have to wait: the first and last requests are further apart than the pace allows unpaced.
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(duration);
  });

  it("fails before sending anything when the paced read cannot end within --api-timeout", async () => {
    const error = await readLiveState(request, options({ deadlineMs: 1_000 })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VerifyError);
    const { message, hint } = error as VerifyError;
    expect(message).toBe(
      `the live read needs at least 2,021 API requests for 1,000 zone(s); at --api-share ${SHARE} (60 per 0.1 s, a share of Cloudflare's limit per user) that takes at least 3.3 s, more than --api-timeout 1 s allows, so nothing was sent`,
    );
    expect(hint).toMatch(/--api-timeout \d+.*a larger --api-share/);
    expect(emu.requests()).toEqual([]);
  });

  it("reads the same account unpaced when the share allows it, and says nothing of pacing", async () => {
    const state = await readLiveState(
      request,
      options({ apiShare: 1, rateLimit: { requests: 10_000, windowMs: 100 } }),
    );
    expect(state.requestCount).toBe(needed);
    expect(messages[0]).toBe(
      "the live read needs about 2,021 API requests for 1,000 zone(s), within the 10,000 per 0.1 s --api-share 1 allows: no waiting",
    );
  });
});

describe("the read's safety ceiling", () => {
  it("refuses a request past what the read expects, whatever the share allows", async () => {
    const ledger = new RequestLedger(2);
    const client = createReadOnlyClient({ token: TOKEN, baseURL: emu.url, ledger });
    for (let i = 0; i < ledger.ceiling(); i++) await client.sdk.ips.list();
    // The SDK reports what its fetch refused as a connection error; the refusal is its cause.
    const refused = answerErrorOf(
      await client.sdk.ips.list().then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    expect(refused?.message).toMatch(
      /already sent 12 requests, more than the 2 the answers' totals call for/,
    );
    expect(emu.requests()).toHaveLength(12);
    // What the answers announce raises it.
    ledger.expect(5);
    await client.sdk.ips.list();
    expect(emu.requests()).toHaveLength(13);
  });
});

describe("the pacer", () => {
  it("lets a share's worth through at once, and the next only a window after an answer", async () => {
    let now = 0;
    const pacer = new RequestPacer({ requests: 2, windowMs: 1_000, share: 1 }, () => now);
    const first = await pacer.acquire();
    const second = await pacer.acquire();
    expect(pacer.capacityUntil(500)).toBe(0);
    now = 100;
    first();
    second();
    // Both slots free at 1,100: two requests then, two more at 2,100 (a request answering at once).
    expect(pacer.capacityUntil(1_000)).toBe(0);
    expect(pacer.capacityUntil(1_101)).toBe(2);
    expect(pacer.capacityUntil(2_101)).toBe(4);
  });

  it("waits for a slot when every one is in flight, and stops waiting when the read stops", async () => {
    const pacer = new RequestPacer({ requests: 1, windowMs: 60_000, share: 1 });
    await pacer.acquire();
    const stop = new AbortController();
    const waiting = pacer.acquire(stop.signal);
    stop.abort(new Error("stopped"));
    await expect(waiting).rejects.toThrow("stopped");
  });

  it("paces by whole windows, and formats what it says", () => {
    const half = paceFor(0.5);
    expect(half).toEqual({ requests: 600, windowMs: 300_000, share: 0.5 });
    expect(pacedDurationMs(600, half)).toBe(0);
    expect(pacedDurationMs(601, half)).toBe(300_000);
    expect(pacedDurationMs(2_021, half)).toBe(900_000);
    expect(formatDuration(900_000)).toBe("15 min");
    expect(formatDuration(330_000)).toBe("5 min 30 s");
    expect(formatDuration(3_300)).toBe("3.3 s");
    expect(paceFor(0.0001).requests).toBe(1);
  });
});
