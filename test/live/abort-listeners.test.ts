import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import { readLiveState } from "../../checks/live/index.js";
import { TOKEN } from "../emulator/fixtures.js";

/**
 * Every request in flight (and every one queued at the pacer) adds an `abort` listener to the
 * read's one signal. Past 10 of them Node would print "MaxListenersExceededWarning: Possible
 * EventTarget memory leak detected" on stderr, in the middle of a user's report.
 */
const ZONES = Array.from({ length: 8 }, (_, i) => `z${i}.test`);
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({
    token: TOKEN,
    seed: {
      zones: ZONES.map((name) => ({
        name,
        records: [{ name, type: "A", content: "198.18.0.1", proxied: true }],
      })),
    },
  });
});
afterAll(async () => {
  await emu.close();
});

describe("the live read's abort listeners", () => {
  it("stay within Node's listener limit on the read's signal (no warning on stderr)", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on("warning", onWarning);
    try {
      const state = await readLiveState(
        { zones: ZONES.map((name) => ({ name })) },
        { token: TOKEN, baseURL: emu.url },
      );
      expect(state.zones).toHaveLength(ZONES.length);
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.filter((w) => w.startsWith("MaxListenersExceededWarning"))).toEqual([]);
  });
});
