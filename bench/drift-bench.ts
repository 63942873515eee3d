/**
 * Benchmark (not a test): `cf-preflight drift` end to end, start-up included, over zones of 10,000
 * and 100,000 records served by the local API emulator. The desired state is a hand-written
 * Terraform JSON file of the same records with 1% of them changed, so the diff has work to do.
 * Each run is the compiled CLI in a child process; the parent measures wall time from spawn to
 * exit, the child reports its own peak RSS, and the emulator counts the requests.
 *
 *   npm run build && node dist/bench/drift-bench.js            # 10000 and 100000
 *   node dist/bench/drift-bench.js 5000 50000                  # other sizes
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { type Emulator, startEmulator } from "../checks/emulator/index.js";

const TOKEN = "bench-token-drift";
const CHILD_FLAG = "--drift-bench-child";
const CLI = fileURLToPath(new URL("../checks/cli.js", import.meta.url));

export interface DriftBenchRow {
  readonly records: number;
  readonly wallMs: number;
  readonly peakRssMb: number;
  readonly requests: number;
  readonly changes: number;
  readonly exitCode: number;
}

function address(i: number): string {
  return `198.${18 + ((i >> 16) & 1)}.${(i >> 8) & 255}.${i & 255}`;
}

function liveRecords(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    name: `h${i}.bench.test`,
    type: "A" as const,
    content: address(i),
    proxied: i % 3 === 0,
    ttl: i % 3 === 0 ? 1 : 300,
  }));
}

/** The same zone as code, with every hundredth record pointing elsewhere. */
function desiredFile(dir: string, count: number): string {
  const resource: Record<string, unknown> = {};
  liveRecords(count).forEach((r, i) => {
    resource[`r${i}`] = {
      zone_id: "${data.cloudflare_zone.bench.zone_id}",
      name: r.name,
      type: r.type,
      content: i % 100 === 0 ? address(count + i) : r.content,
      proxied: r.proxied,
      ttl: r.ttl,
    };
  });
  const file = join(dir, `bench-${count}.tf.json`);
  writeFileSync(
    file,
    JSON.stringify({
      data: { cloudflare_zone: { bench: { filter: { name: "bench.test" } } } },
      resource: { cloudflare_dns_record: resource },
    }),
  );
  return file;
}

/** In the child: run the CLI's main with this process's own stdout, then report peak RSS. */
async function child(args: string[]): Promise<void> {
  const { main } = await import(CLI);
  let out = "";
  const code: number = await main(args, {
    stdout: (t: string) => {
      out += t;
    },
    stderr: () => {},
    env: process.env,
    cwd: process.cwd(),
    stdoutIsTty: false,
    stderrIsTty: false,
    signal: new AbortController().signal,
    scrub: (t: string) => t,
  });
  const report = JSON.parse(out) as { drift: { dns: unknown[] } };
  process.send?.({
    code,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    changes: report.drift.dns.length,
  });
}

function runChild(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; peakRssMb: number; changes: number; wallMs: number }>(
    (resolve, reject) => {
      const started = performance.now();
      const proc = fork(fileURLToPath(import.meta.url), [CHILD_FLAG, ...args], {
        env,
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      let result: { code: number; peakRssMb: number; changes: number } | undefined;
      proc.on("message", (m) => {
        result = m as typeof result;
      });
      proc.on("error", reject);
      proc.on("exit", (code) =>
        result
          ? resolve({ ...result, wallMs: performance.now() - started })
          : reject(new Error(`bench child exited with ${code}`)),
      );
    },
  );
}

export async function runDriftBench(sizes: readonly number[] = [10_000, 100_000]): Promise<DriftBenchRow[]> {
  const rows: DriftBenchRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), "cf-preflight-bench-"));
  let emulator: Emulator | undefined;
  try {
    for (const size of sizes) {
      emulator = await startEmulator({
        token: TOKEN,
        seed: { zones: [{ name: "bench.test", ssl: "full", records: liveRecords(size) }] },
      });
      const file = desiredFile(dir, size);
      const env = { ...process.env, CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_BASE_URL: emulator.url };
      const r = await runChild(["drift", "--synth", file, "--format", "json"], env);
      rows.push({
        records: size,
        wallMs: r.wallMs,
        peakRssMb: r.peakRssMb,
        requests: emulator.requests().length,
        changes: r.changes,
        exitCode: r.code,
      });
      await emulator.close();
      emulator = undefined;
    }
  } finally {
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

export function formatDriftTable(rows: readonly DriftBenchRow[]): string {
  const header =
    "| records | wall time (end to end) | peak RSS | API requests | DNS changes found | exit |\n| ---: | ---: | ---: | ---: | ---: | ---: |";
  const lines = rows.map(
    (r) =>
      `| ${r.records.toLocaleString("en")} | ${(r.wallMs / 1000).toFixed(2)} s | ${Math.round(r.peakRssMb)} MB | ${r.requests} | ${r.changes.toLocaleString("en")} | ${r.exitCode} |`,
  );
  return [header, ...lines].join("\n");
}

const [, , flag, ...rest] = process.argv;
if (flag === CHILD_FLAG) {
  await child(rest);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  console.log(formatDriftTable(await runDriftBench(sizes.length > 0 ? sizes : undefined)));
}
