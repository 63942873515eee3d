/**
 * Run a Node program as a child process and measure it from the outside: wall time from spawn to
 * exit, and its peak RSS (written at exit by `peak-rss.js`, loaded with `--import`). The CLI and the
 * floors are measured the same way, so their figures compare.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const PEAK_RSS_HOOK = fileURLToPath(new URL("./peak-rss.js", import.meta.url));

/**
 * The environment benchmarked processes run in: the caller's, without `NODE_EXTRA_CA_CERTS`. Node
 * reads that file at every start (about 50 ms for a system bundle of 150 certificates on the
 * project's machine): a constant added to the command and to its floor alike, which would make every
 * ratio look better than it is. Nothing benchmarked needs a CA (the API and the origins are local).
 */
export function benchEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _ignored, ...rest } = env;
  return rest;
}

/** The bundled command, as `bin` runs it. */
export const BUNDLED_CLI = fileURLToPath(new URL("../bundle/cli.js", import.meta.url));

export interface Measured {
  readonly wallMs: number;
  readonly peakRssMb: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `node --import peak-rss.js script ...args`, stdout and stderr kept. */
export function measureNode(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  nodeArgs: readonly string[] = [],
): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), "cf-preflight-measure-"));
  const rssFile = join(dir, "rss");
  return new Promise<Measured>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, "--import", PEAK_RSS_HOOK, script, ...args], {
      env: { ...benchEnv(env), CF_BENCH_RSS_FILE: rssFile },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      try {
        const peakRssMb = Number(readFileSync(rssFile, "utf8")) / 1024;
        resolve({
          wallMs,
          peakRssMb,
          code,
          stdout: Buffer.concat(out).toString("utf8"),
          stderr: Buffer.concat(err).toString("utf8"),
        });
      } catch (error) {
        reject(error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

/** The fastest of the runs (noise from other work only ever adds time) and the median peak RSS. */
export function best(runs: readonly Measured[]): { wallMs: number; peakRssMb: number } {
  const rss = runs.map((r) => r.peakRssMb).sort((a, b) => a - b);
  return {
    wallMs: Math.min(...runs.map((r) => r.wallMs)),
    peakRssMb: rss[Math.floor(rss.length / 2)] ?? 0,
  };
}
