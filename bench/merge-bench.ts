/**
 * Benchmark (not a test): `cf-preflight merge` on a CI matrix's worth of reports. 50 JSON reports
 * of 10,000 findings each (5 vantages × 10 shards of a 99,500-target run, 50 static findings in
 * every report), as `check --format json` writes them: 1% of the targets fail from two vantages
 * only, 1% from every vantage. Timed twice: in-process (read, parse, check, merge, render JSON),
 * and the installed command end to end (start-up and writing the merged report included).
 * In-process, reading (read, JSON.parse, shape checks) and merging are timed apart: the target is
 * for the merge; reading 440 MB of pretty-printed JSON is JSON.parse's cost and is printed beside it.
 * Exits non-zero when the merged report is wrong or the merge misses the target.
 *
 *   npm run build && node dist/bench/merge-bench.js    (or `npm run bench` for every benchmark)
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { mergeReports } from "../checks/merge/merge.js";
import { type LoadedReport, loadReports } from "../checks/merge/read-reports.js";
import { NO_DRIFT } from "../checks/model/change.js";
import type { Finding } from "../checks/model/finding.js";
import { buildReport } from "../checks/report/build.js";
import { renderJson } from "../checks/report/render-json.js";
import type { Report } from "../checks/report/report.js";
import { originHttp, originTcp } from "../checks/rules/origin-probe-rules.js";
import { proxiedTtlNotAuto } from "../checks/rules/proxied-ttl-not-auto.js";
import { finding } from "../checks/rules/rule.js";

export const REPORTS = 50;
export const FINDINGS_PER_REPORT = 10_000;
const VANTAGES = ["ams", "fra", "iad", "nrt", "sin"] as const;
const SHARDS = REPORTS / VANTAGES.length;
const STATIC = 50;
const TARGETS_PER_SHARD = FINDINGS_PER_REPORT - STATIC;
export const TOTAL_TARGETS = TARGETS_PER_SHARD * SHARDS;
export const TARGET_MS = 2_000;
const DIGEST = (c: string) => `sha256:${c.repeat(64)}`;

function subject(target: number) {
  return {
    zone: "example.com",
    hostname: `h${target}.example.com`,
    type: "A",
    address: `198.18.${(target >> 8) & 255}.${target & 255}`,
    port: 443,
  };
}

/** What vantage `v` sees of `target`: 1% fail from fra and sin only, 1% from everywhere. */
function probeFinding(target: number, vantage: string): Finding {
  const s = subject(target);
  const url = `https://${s.hostname} via ${s.address}:443`;
  const failsHere = target % 100 === 0 || (target % 100 === 1 && (vantage === "fra" || vantage === "sin"));
  const evidence = {
    phase: failsHere ? "tcp" : "http",
    code: failsHere ? "ETIMEDOUT" : null,
    scheme: "https",
    sslMode: "strict",
    sni: s.hostname,
    connectedTo: `${s.address}:443`,
    timingsMs: failsHere ? { tcp: 19000 } : { tcp: 3, tls: 11, http: 25 },
    bytesRead: failsHere ? 0 : 412,
    ...(failsHere ? {} : { httpStatus: 200 }),
  };
  return failsHere
    ? finding(originTcp, "fail", s, `${url}: 522 (connection timed out): no answer in 19 s`, evidence)
    : finding(originHttp, "pass", s, `${url}: HTTP 200 in 39 ms`, evidence, { predicts: null });
}

function staticFindings(): Finding[] {
  return Array.from({ length: STATIC }, (_, i) =>
    finding(
      proxiedTtlNotAuto,
      "warn",
      {
        zone: "example.com",
        hostname: `legacy${i}.example.com`,
        type: "A",
        file: "/home/runner/work/site/main.tf.json",
      },
      `legacy${i}.example.com is proxied with TTL 300; Cloudflare stores 1 (automatic)`,
      { type: "A", content: "198.18.0.1", proxied: true, ttl: 300 },
    ),
  );
}

/** The shard's targets: an even split of the run (what --shard gives, near enough, for timing). */
function shardReport(vantage: string, shard: number): Report {
  const findings = [...staticFindings()];
  for (let t = (shard - 1) * TARGETS_PER_SHARD; t < shard * TARGETS_PER_SHARD; t++)
    findings.push(probeFinding(t, vantage));
  return buildReport({
    findings,
    drift: NO_DRIFT,
    coverage: { live: true, probes: true, files: ["main.tf.json"], zones: ["example.com"] },
    vantage: {
      name: vantage,
      families: ["ipv4"],
      shard: {
        index: shard,
        count: SHARDS,
        targets: TARGETS_PER_SHARD,
        totalTargets: TOTAL_TARGETS,
        targetsDigest: DIGEST("b"),
      },
    },
    inputsDigest: DIGEST("a"),
  });
}

export interface MergeBenchResult {
  readonly bytes: number;
  /** In-process: reading, parsing and checking the 50 files (JSON.parse of the input, mostly). */
  readonly loadMs: number;
  /** In-process: folding the findings together, coverage, the merged report (reports already read). */
  readonly mergeMs: number;
  /** In-process: rendering the merged report as JSON. */
  readonly renderMs: number;
  readonly cliMs: number;
  readonly cliExit: number | null;
  readonly findings: number;
  readonly blocking: number;
  readonly partial: number;
  readonly peakRssMb: number;
}

/** The reports of `files`, each read when the merge asks for it, the time spent reading added to `spent`. */
async function* timed(
  files: readonly string[],
  dir: string,
  spent: { ms: number },
): AsyncGenerator<LoadedReport> {
  const source = loadReports(files, dir, async () => Buffer.alloc(0));
  for (;;) {
    const started = performance.now();
    const next = await source.next();
    spent.ms += performance.now() - started;
    if (next.done) return;
    yield next.value;
  }
}

export async function runMergeBench(): Promise<MergeBenchResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "cfpl-merge-bench-"));
  try {
    const files: string[] = [];
    for (const vantage of VANTAGES)
      for (let shard = 1; shard <= SHARDS; shard++) {
        const file = path.join(dir, `${vantage}-${shard}.json`);
        writeFileSync(file, renderJson(shardReport(vantage, shard)));
        files.push(file);
      }
    const bytes = files.reduce((n, f) => n + statSync(f).size, 0);

    globalThis.gc?.();
    const load = { ms: 0 };
    const started = performance.now();
    const merged = await mergeReports(timed(files, dir, load), { allowUnverified: false, partial: "block" });
    const mergeMs = performance.now() - started - load.ms;
    const renderStarted = performance.now();
    const text = renderJson(merged);
    const renderMs = performance.now() - renderStarted;
    if (text.length === 0) throw new Error("empty merged report");

    const cli = fileURLToPath(new URL("../checks/cli.js", import.meta.url));
    const out = path.join(dir, "merged.json");
    const cliStarted = performance.now();
    const run = spawnSync(
      "/usr/bin/time",
      ["-f", "%M", process.execPath, cli, "merge", ...files, "--format", "json", "--output", out],
      { encoding: "utf8", env: { PATH: process.env.PATH } },
    );
    const cliMs = performance.now() - cliStarted;
    const peakRssMb = Number(run.stderr.trim().split("\n").at(-1)) / 1024;
    const report = JSON.parse(readFileSync(out, "utf8")) as Report;
    return {
      bytes,
      loadMs: load.ms,
      mergeMs,
      renderMs,
      cliMs,
      cliExit: run.status,
      findings: report.findings.length,
      blocking: report.summary.blocking,
      partial: report.findings.filter((f) => /^522 from 2 of 5 vantages \(fra, sin\)/.test(f.message)).length,
      peakRssMb,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the merged report must hold: one finding per target plus the static ones; 2% blocking. */
export function mergeBenchCorrect(r: MergeBenchResult): boolean {
  return (
    r.cliExit === 1 &&
    r.findings === TOTAL_TARGETS + STATIC &&
    r.blocking === TOTAL_TARGETS / 50 &&
    r.partial === TOTAL_TARGETS / 100
  );
}

export function formatMergeTable(r: MergeBenchResult): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return [
    "| reports × findings | input | read and parse | merge | render JSON | `cf-preflight merge` end to end | peak RSS |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    `| ${REPORTS} × ${FINDINGS_PER_REPORT.toLocaleString("en")} | ${(r.bytes / 1024 / 1024).toFixed(0)} MB | ${s(r.loadMs)} | ${s(r.mergeMs)} | ${s(r.renderMs)} | ${s(r.cliMs)} | ${r.peakRssMb.toFixed(0)} MB |`,
  ].join("\n");
}

/** The target: the merge itself under 2 s; reading the input is JSON.parse's, and printed beside it. */
export function mergeBenchMet(r: MergeBenchResult): boolean {
  return r.mergeMs < TARGET_MS;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await runMergeBench();
  console.log(formatMergeTable(r));
  const correct = mergeBenchCorrect(r);
  if (!correct) console.error("wrong result:", JSON.stringify(r));
  const met = mergeBenchMet(r);
  console.log(
    `\ntarget: merging ${REPORTS} reports of ${FINDINGS_PER_REPORT.toLocaleString("en")} findings under 2 s: ${met ? "met" : "MISSED"} (end to end with reading: ${r.cliMs < TARGET_MS ? "met" : "missed"})`,
  );
  process.exitCode = correct && met ? 0 : 1;
}
