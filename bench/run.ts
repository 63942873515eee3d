/**
 * `npm run bench`: every benchmark, one after the other (benchmarks, not tests: they measure, and
 * exit non-zero only when a result is wrong or a target is missed). Each figure is printed beside
 * its floor, measured in the same run.
 */
import { DRIFT_TARGETS, driftTargetsMet, formatDriftTable, runDriftBench } from "./drift-bench.js";
import { formatMergeTable, mergeBenchCorrect, mergeBenchMet, runMergeBench } from "./merge-bench.js";
import { formatMigrationTable, OLD_ORIGINS, runMigrationBench } from "./migration-bench.js";
import { runProbeBench } from "./probe-bench.js";
import { formatStartup, runStartupBench, STARTUP_TARGETS, startupTargetsMet } from "./startup-bench.js";

console.log(
  "drift, end to end (the bundled cf-preflight drift and its floor, against the local API emulator)\n",
);
const drift = await runDriftBench();
console.log(formatDriftTable(drift));
const driftOk = driftTargetsMet(drift);
console.log(
  `\ntargets: within ${DRIFT_TARGETS.wall}x the floor's time and ${DRIFT_TARGETS.rss}x its peak RSS, at most ${DRIFT_TARGETS.requestsPerZone} requests per zone + ${DRIFT_TARGETS.fixedRequests}: ${driftOk ? "met" : "MISSED"}\n`,
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

console.log("start-up: the bundled command and the demo\n");
const startup = runStartupBench();
console.log(formatStartup(startup));
const startupOk = startupTargetsMet(startup);
console.log(
  `\ntargets: --help under ${STARTUP_TARGETS.helpMs / 1000} s, npm run demo under ${STARTUP_TARGETS.demoMs / 1000} s: ${startupOk ? "met" : "MISSED"}\n`,
);

console.log("origin probes\n");
const probeCode = await runProbeBench();
process.exitCode = driftOk && migrationOk && mergeOk && startupOk && probeCode === 0 ? 0 : 1;
