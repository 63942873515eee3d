import { describe, expect, it } from "vitest";
import {
  type DriftBenchRow,
  type DriftSide,
  driftTargetsMet,
  formatDriftTable,
  pairedRatio,
} from "../../bench/drift-bench.js";
import { expectedChanges } from "../../bench/drift-scenario.js";

const scenario = { label: "1 zone x 10 records", zones: 1, recordsPerZone: 10 };

function side(wallsMs: number[]): DriftSide {
  return {
    wallMs: Math.min(...wallsMs),
    wallsMs,
    peakRssMb: 100,
    requests: 3,
    changes: expectedChanges(scenario),
    exitCode: 4,
  };
}

function row(drift: number[], floor: number[]): DriftBenchRow {
  return { scenario, drift: side(drift), floor: side(floor) };
}

describe("the drift benchmark's pairs' median ratio", () => {
  it("is the median of run i of drift over run i of the floor", () => {
    // Pairs: 2.0, 1.5, 3.0 -> median 2.0 (the fastest runs give 150 / 100 = 1.5).
    expect(pairedRatio(row([200, 150, 300], [100, 100, 100]))).toBeCloseTo(2.0, 10);
    // An even count takes the mean of the middle two: 1.2, 1.6, 1.8, 3.0 -> 1.7.
    expect(pairedRatio(row([120, 160, 180, 300], [100, 100, 100, 100]))).toBeCloseTo(1.7, 10);
  });

  it("pairs runs by their order, not by their speed", () => {
    // Sorted separately these would pair 100/50 and 400/200 (2.0 each); in turn they are 8.0 and 0.5.
    expect(pairedRatio(row([400, 100], [50, 200]))).toBeCloseTo(4.25, 10);
  });

  it("is reported beside the fastest runs' ratio, which alone decides the verdict", () => {
    // Fastest runs 210 / 100 = 2.1 (missed) although the pairs' median is 1.9.
    const missed = row([210, 228, 380], [100, 120, 200]);
    expect(pairedRatio(missed)).toBeCloseTo(1.9, 10);
    expect(driftTargetsMet([missed])).toBe(false);
    const table = formatDriftTable([missed]);
    expect(table).toContain("| 2.10x | 1.90x |");
    expect(driftTargetsMet([row([190, 228, 380], [100, 120, 200])])).toBe(true);
  });
});
