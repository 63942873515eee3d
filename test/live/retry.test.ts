import { describe, expect, it } from "vitest";
import { authFailureStatus, retryAfterMs } from "../../checks/live/retry.js";
import { scrubSecret } from "../../checks/live/scrub.js";
import { mapPool as mapBounded } from "../../checks/pool.js";

describe("retryAfterMs", () => {
  it("reads seconds and HTTP dates", () => {
    expect(retryAfterMs(new Headers({ "retry-after": "3" }))).toBe(3000);
    const now = Date.parse("2026-11-21T10:00:00Z");
    expect(retryAfterMs(new Headers({ "retry-after": "Sat, 21 Nov 2026 10:00:30 GMT" }), now)).toBe(30_000);
    expect(retryAfterMs(new Headers({ "retry-after": "soon" }))).toBeUndefined();
    expect(retryAfterMs(new Headers())).toBeUndefined();
  });
});

describe("scrubSecret", () => {
  it("removes the token in plain and URL-encoded form", () => {
    expect(scrubSecret("Bearer tok-SECRET-123 failed", "tok-SECRET-123")).toBe(
      "Bearer [redacted token] failed",
    );
    expect(scrubSecret("q=tok%2F1234", "tok/1234")).toBe("q=[redacted token]");
  });
});

describe("mapBounded", () => {
  it("keeps order and never runs more than the limit at once", async () => {
    let running = 0;
    let peak = 0;
    const out = await mapBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return n * 2;
    });
    expect(out).toEqual([2, 4, 6, 8, 10, 12, 14]);
    expect(peak).toBe(3);
  });

  it("rejects on the first failure and starts nothing after it", async () => {
    const started: number[] = [];
    await expect(
      mapBounded([1, 2, 3, 4], 1, async (n) => {
        started.push(n);
        if (n === 2) throw new Error("boom");
        return n;
      }),
    ).rejects.toThrow("boom");
    expect(started).toEqual([1, 2]);
  });
});

describe("authFailureStatus", () => {
  it("treats 401, 403 and a 400 with an authentication code as refused credentials", () => {
    expect(authFailureStatus(401, [])).toBe(401);
    expect(authFailureStatus(403, [{ code: 10000 }])).toBe(403);
    expect(authFailureStatus(400, [{ code: 9106 }])).toBe(401);
    expect(authFailureStatus(400, [{ code: 1004 }])).toBeUndefined();
    expect(authFailureStatus(404, [{ code: 10000 }])).toBeUndefined();
  });
});
