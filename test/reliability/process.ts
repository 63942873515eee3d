import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../helpers/synth.js";

/** The compiled command, as installed (`npm run build` makes it; `npm ci` runs the build). */
export const CLI = join(PROJECT_ROOT, "dist", "checks", "cli.js");

export function requireBuild(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
}

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** When the process ended (performance.now()). */
  readonly endedAt: number;
}

export interface Running {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  readonly done: Promise<Finished>;
}

/** Start the compiled CLI as a real child process, collecting its output. */
export function startCli(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; detached?: boolean } = {},
): Running {
  return startProcess(process.execPath, [CLI, ...args], options);
}

export function startProcess(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; detached?: boolean } = {},
): Running {
  const child = spawn(command, [...args], {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: options.env ?? { PATH: process.env.PATH },
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.detached ?? false,
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const done = new Promise<Finished>((resolve) => {
    child.on("close", (code, signal) =>
      resolve({ code, signal, stdout: out, stderr: err, endedAt: performance.now() }),
    );
  });
  return { child, stdout: () => out, stderr: () => err, done };
}

/** Run the compiled CLI to the end. */
export function runCliProcess(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Finished> {
  return startCli(args, options).done;
}

/** Poll until `check` is true (or throw after `timeoutMs`). */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `cfpl-rel-${prefix}-`));
}

/** Every file under `dir` (recursively), with its text. */
export function filesUnder(dir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) out.push(...filesUnder(path));
    else if (stat.isFile()) out.push({ file: path, text: readFileSync(path, "utf8") });
  }
  return out;
}
