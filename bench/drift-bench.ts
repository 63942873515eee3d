/**
 * Benchmark (not a test): `readLiveState` over zones of 10,000 and 100,000 records against the
 * local emulator. The emulator runs in this process; each read runs in a child process so that its
 * peak memory is its own. Prints wall time, peak RSS and request count per size.
 *
 *   npx tsx bench/drift-bench.ts            # sizes 0 (baseline), 10000 and 100000
 *   npx tsx bench/drift-bench.ts 5000 50000 # other sizes
 */
import { fork } from "node:child_process";
import { performance } from "node:perf_hooks";
import { type Emulator, startEmulator } from "../checks/emulator/index.js";
import { readLiveState } from "../checks/live/index.js";

const TOKEN = "bench-token";
const CHILD_FLAG = "--drift-bench-child";

export interface BenchRow {
  readonly records: number;
  readonly wallMs: number;
  readonly peakRssMb: number;
  readonly requests: number;
  readonly read: number;
}

function records(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    name: `h${i}`,
    type: "A" as const,
    content: `198.${18 + ((i >> 16) & 1)}.${(i >> 8) & 255}.${i & 255}`,
    proxied: i % 3 === 0,
    ttl: 300,
  }));
}

/** In the child: read one zone and report. */
async function child(url: string, zone: string): Promise<void> {
  const started = performance.now();
  const state = await readLiveState({ zones: [{ name: zone }] }, { token: TOKEN, baseURL: url });
  const wallMs = performance.now() - started;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.send?.({
    wallMs,
    peakRssMb,
    requests: state.requestCount,
    read: state.zones[0]?.records.length ?? 0,
  });
}

function runChild(url: string, zone: string): Promise<Omit<BenchRow, "records">> {
  return new Promise((resolve, reject) => {
    const proc = fork(new URL(import.meta.url).pathname, [CHILD_FLAG, url, zone], {
      execArgv: process.execArgv,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let result: Omit<BenchRow, "records"> | undefined;
    proc.on("message", (message) => {
      result = message as Omit<BenchRow, "records">;
    });
    proc.on("error", reject);
    proc.on("exit", (code) =>
      result ? resolve(result) : reject(new Error(`bench child exited with ${code}`)),
    );
  });
}

/** Size 0 is the baseline: the child's start-up and loader, without records. */
export async function runDriftBench(sizes: readonly number[] = [0, 10_000, 100_000]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  let emulator: Emulator | undefined;
  try {
    emulator = await startEmulator({ token: TOKEN });
    for (const size of sizes) {
      const zone = `bench-${size}.test`;
      emulator.state.addZone({ name: zone, ssl: "full", records: records(size) });
      // Sort and serialise once, as a long-running API would have done already.
      const id = emulator.state.zoneByName(zone)!.id;
      for (const record of emulator.state.records(id)) emulator.state.recordJson(id, record);
      rows.push({ records: size, ...(await runChild(emulator.url, zone)) });
    }
  } finally {
    await emulator?.close();
  }
  return rows;
}

export function formatTable(rows: readonly BenchRow[]): string {
  const header = "| records | read | wall time | peak RSS | requests |\n| ---: | ---: | ---: | ---: | ---: |";
  const lines = rows.map(
    (r) =>
      `| ${r.records.toLocaleString("en")} | ${r.read.toLocaleString("en")} | ${Math.round(r.wallMs)} ms | ${Math.round(r.peakRssMb)} MB | ${r.requests} |`,
  );
  return [header, ...lines].join("\n");
}

const [, , flag, url, zone] = process.argv;
if (flag === CHILD_FLAG && url && zone) {
  await child(url, zone);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n >= 0);
  const rows = await runDriftBench(sizes.length > 0 ? sizes : undefined);
  console.log(formatTable(rows));
}
