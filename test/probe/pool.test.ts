import { describe, expect, it } from "vitest";
import { KeyedSemaphore, mapPool, Semaphore } from "../../checks/probe/pool.js";
import { connectionsPerOrigin, openConnectionsFor } from "../../checks/probe/run.js";

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Semaphore", () => {
  it("never runs more than its size at once, and runs everything", async () => {
    const gate = new Semaphore(3);
    let running = 0;
    let peak = 0;
    const done = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        gate.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await tick(2);
          running--;
          return i;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(done).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("releases its permit when the work throws", async () => {
    const gate = new Semaphore(1);
    await expect(gate.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await gate.run(async () => "next")).toBe("next");
  });
});

describe("mapPool and the connections opened ahead", () => {
  it("keeps the items' order with a bounded number in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapPool([5, 1, 3, 1, 2], 2, async (ms) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await tick(ms);
      inFlight--;
      return ms * 10;
    });
    expect(out).toEqual([50, 10, 30, 10, 20]);
    expect(peak).toBe(2);
  });

  it("opens up to 16 connections per probe slot, at most 1,024, and 2 per slot to one origin", () => {
    expect(openConnectionsFor(1)).toBe(16);
    expect(openConnectionsFor(64)).toBe(1024);
    expect(openConnectionsFor(500)).toBe(1024);
    expect(openConnectionsFor(2000)).toBe(2000);
    expect(connectionsPerOrigin(64)).toBe(128);
  });
});

describe("KeyedSemaphore", () => {
  it("bounds each key on its own and forgets a key once idle", async () => {
    const gates = new KeyedSemaphore(2);
    const running = new Map<string, number>();
    const peak = new Map<string, number>();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => {
        const key = i % 3 === 0 ? "a" : "b";
        return gates.run(key, async () => {
          running.set(key, (running.get(key) ?? 0) + 1);
          peak.set(key, Math.max(peak.get(key) ?? 0, running.get(key) as number));
          await tick(2);
          running.set(key, (running.get(key) as number) - 1);
        });
      }),
    );
    expect(Object.fromEntries(peak)).toEqual({ a: 2, b: 2 });
    expect((gates as unknown as { gates: Map<string, unknown> }).gates.size).toBe(0);
  });
});
