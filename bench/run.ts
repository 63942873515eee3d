/**
 * `npm run bench`: every benchmark, one after the other (benchmarks, not tests: they measure, and
 * exit non-zero only when a result is wrong or a target is missed).
 */
import { formatDriftTable, runDriftBench } from "./drift-bench.js";
import { formatMergeTable, mergeBenchCorrect, mergeBenchMet, runMergeBench } from "./merge-bench.js";
import { formatMigrationTable, OLD_ORIGINS, runMigrationBench } from "./migration-bench.js";
import { runProbeBench } from "./probe-bench.js";

console.log("drift, end to end (cf-preflight drift against the local API emulator)\n");
const drift = await runDriftBench();
console.log(formatDriftTable(drift));
const big = drift.find((r) => r.records === 100_000);
const driftOk =
  drift.every((r) => r.exitCode === 4 && r.changes === r.records / 100) &&
  (drift.find((r) => r.records === 10_000)?.wallMs ?? 0) < 1_000 &&
  big !== undefined &&
  big.wallMs < 5_000 &&
  big.peakRssMb < 350;
console.log(
  `\ntargets: 10,000 records under 1 s; 100,000 under 5 s and 350 MB: ${driftOk ? "met" : "MISSED"}\n`,
);

console.log("host-migration detection (in-process, 1% of the records moved)\n");
const migration = runMigrationBench();
console.log(formatMigrationTable(migration));
const migrationOk =
  migration.every((r) => r.moved === Math.ceil(r.records / 100) && r.migrations === OLD_ORIGINS) &&
  (migration.find((r) => r.records === 100_000)?.ms ?? Infinity) < 1_000;
console.log(`\ntarget: 100,000 records under 1 s: ${migrationOk ? "met" : "MISSED"}\n`);

console.log("cf-preflight merge: 50 reports (5 vantages × 10 shards) of 10,000 findings each\n");
const merge = await runMergeBench();
console.log(formatMergeTable(merge));
const mergeOk = mergeBenchCorrect(merge) && mergeBenchMet(merge);
console.log(
  `\ntarget: the merge under 2 s: ${mergeBenchMet(merge) ? "met" : "MISSED"}${mergeBenchCorrect(merge) ? "" : " (WRONG RESULT)"}\n`,
);

console.log("origin probes\n");
const probeCode = await runProbeBench();
process.exitCode = driftOk && migrationOk && mergeOk && probeCode === 0 ? 0 : 1;
