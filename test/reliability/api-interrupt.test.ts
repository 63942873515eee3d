import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InterruptedError, VerifyError } from "../../checks/errors.js";
import { type LiveReadOptions, readLiveState } from "../../checks/live/index.js";
import { PAGE_SIZE, ZONE_NAME } from "./fault-api/data.js";
import { TOKEN } from "./fault-api/scenarios.js";
import { type Fault, FaultApi, failure, recordsPage } from "./fault-api/server.js";

/**
 * `LiveReadOptions.signal` stops the read within well under a second wherever it is: in a request,
 * in a body trickling in, in a wait for `Retry-After`, between retries. The read then throws
 * `InterruptedError` naming the signal, and nothing is left in flight.
 */

let api: FaultApi;

beforeAll(async () => {
  api = await FaultApi.start(TOKEN);
});
afterAll(async () => {
  await api?.close();
});

/** Abort `after` ms into the read; returns the error and how long the read took after the abort. */
async function interrupt(
  fault: Fault,
  after: number,
  reason?: unknown,
  extra: Partial<LiveReadOptions> = {},
): Promise<{ error: unknown; stopMs: number }> {
  api.reset(fault);
  const controller = new AbortController();
  let abortedAt = 0;
  const timer = setTimeout(() => {
    abortedAt = performance.now();
    controller.abort(reason);
  }, after);
  const error = await readLiveState(
    { zones: [{ name: ZONE_NAME }] },
    {
      token: TOKEN,
      baseURL: api.url,
      pageSize: PAGE_SIZE,
      deadlineMs: 60_000,
      backoffMs: 5,
      signal: controller.signal,
      ...extra,
    },
  ).then(
    () => undefined,
    (e: unknown) => e,
  );
  clearTimeout(timer);
  return { error, stopMs: performance.now() - abortedAt };
}

const trickle: Fault = (ctx) =>
  ctx.endpoint === "dnsRecords" ? { ...recordsPage(ctx.query), trickleMs: 100 } : undefined;

describe("an interrupted read stops within a second and says which signal", () => {
  it("SIGTERM while a response body trickles in", async () => {
    const { error, stopMs } = await interrupt(trickle, 400, new InterruptedError("SIGTERM"));
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as InterruptedError).signal).toBe("SIGTERM");
    expect(stopMs).toBeLessThan(500);
    await expect.poll(() => api.open, { timeout: 1_000 }).toBe(0);
  });

  it("an abort without a reason (SIGINT) while waiting out a long Retry-After", async () => {
    const limited: Fault = (ctx) =>
      ctx.endpoint === "ssl"
        ? {
            ...failure(429, [{ code: 971, message: "rate limited" }]),
            headers: { "retry-after": "30", "content-type": "application/json" },
          }
        : undefined;
    const { error, stopMs } = await interrupt(limited, 300);
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as InterruptedError).signal).toBe("SIGINT");
    expect(stopMs).toBeLessThan(500);
    // The 429 was answered once; no retry was sent after the interruption.
    expect(api.requestsTo("ssl")).toHaveLength(1);
  });

  it("between retries of 5xx answers with long backoffs", async () => {
    const failing: Fault = (ctx) =>
      ctx.endpoint === "ips" ? failure(503, [{ code: 1, message: "down" }]) : undefined;
    const { error, stopMs } = await interrupt(failing, 300, new InterruptedError("SIGTERM"), {
      backoffMs: 10_000,
      maxRetries: 5,
    });
    expect(error).toBeInstanceOf(InterruptedError);
    expect(stopMs).toBeLessThan(500);
    expect(api.requestsTo("ips")).toHaveLength(1);
  });

  it("with a signal already aborted, before any request", async () => {
    api.reset();
    const error = await readLiveState(
      { zones: [{ name: ZONE_NAME }] },
      { token: TOKEN, baseURL: api.url, signal: AbortSignal.abort(new InterruptedError("SIGTERM")) },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as InterruptedError).signal).toBe("SIGTERM");
    expect(api.requests).toHaveLength(0);
  });

  it("the deadline, not the signal, ends a read nobody interrupts (VerifyError, not InterruptedError)", async () => {
    api.reset(trickle);
    const started = performance.now();
    const error = await readLiveState(
      { zones: [{ name: ZONE_NAME }] },
      {
        token: TOKEN,
        baseURL: api.url,
        pageSize: PAGE_SIZE,
        deadlineMs: 700,
        signal: new AbortController().signal,
      },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VerifyError);
    expect((error as VerifyError).message).toMatch(/time allowed for reading live state \(0\.7 s\) ran out/);
    expect(performance.now() - started).toBeLessThan(1_500);
  });
});
