import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { interruption } from "./abort.js";
import { forwardInterruption } from "./child-signal.js";
import { InputError } from "./errors.js";

/** Set while cf-preflight synthesizes the app itself, so the in-app gate does not run inside it. */
export const INTERNAL_SYNTH_ENV = "CF_PREFLIGHT_INTERNAL_SYNTH";

/** How long an interrupted synth may take to stop before it is killed (it holds no state). */
const SYNTH_STOP_GRACE_MS = 500;

export interface SynthResult {
  /** The fresh cdktf.out folder. */
  readonly dir: string;
  /** Remove the folder. */
  cleanup(): void;
}

/**
 * The cdktf CLI: the project's own, else one installed beside cf-preflight (`cdktf-cli` is only a
 * development dependency, so where users install cf-preflight it is usually the project's). None
 * is a configuration problem (exit 2), not a bug.
 */
export function cdktfBin(cwd: string): string {
  const local = join(cwd, "node_modules", ".bin", "cdktf");
  if (existsSync(local)) return local;
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve("cdktf-cli/package.json")), "bundle", "bin", "cdktf");
  } catch {
    throw new InputError(
      local,
      undefined,
      "the cdktf CLI to synthesize the app of cdktf.json (npm install --save-dev cdktf-cli), or --synth PATH to a cdktf.out folder, .tf files or Terraform JSON (or --plan FILE)",
      "not found",
    );
  }
}

/**
 * Synthesize the app of `cwd/cdktf.json` into a fresh temporary folder with the real cdktf CLI, so
 * a stale `cdktf.out` can never be what is checked. A failing synth is bad input (exit 2). On an
 * interruption the signal is passed on to cdktf, and once it has exited the folder is removed and
 * the interruption thrown; no synth starts after one.
 */
export async function synthesizeFresh(
  cwd: string,
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<SynthResult> {
  if (signal?.aborted) throw interruption(signal);
  const config = join(cwd, "cdktf.json");
  if (!existsSync(config))
    throw new InputError(
      config,
      undefined,
      "a cdktf.json (or pass --synth PATH to a cdktf.out folder or Terraform JSON file)",
      "not found",
    );
  const bin = cdktfBin(cwd);
  const dir = mkdtempSync(join(tmpdir(), "cf-preflight-synth-"));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  log(`synthesizing ${config} into a fresh folder...`);
  const output = await new Promise<{ code: number | null; text: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, "synth", "--output", dir], {
      cwd,
      env: {
        ...process.env,
        CHECKPOINT_DISABLE: "1",
        CI: process.env.CI ?? "1",
        FORCE_COLOR: "0",
        [INTERNAL_SYNTH_ENV]: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
      // A process group of its own: an interruption reaches cdktf and the app it runs exactly once.
      detached: true,
    });
    let text = "";
    child.stdout.on("data", (d: Buffer) => {
      text += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      text += d.toString();
    });
    const stopForwarding = forwardInterruption(child, signal, {
      group: true,
      killAfterMs: SYNTH_STOP_GRACE_MS,
    });
    child.on("error", (error) => resolve({ code: -1, text: error.message }));
    child.on("close", (code) => {
      stopForwarding();
      resolve({ code, text });
    });
  });
  if (signal?.aborted) {
    cleanup();
    throw interruption(signal);
  }
  if (output.code !== 0) {
    cleanup();
    throw new InputError(
      config,
      "app",
      "an app that synthesizes",
      `cdktf synth failed:\n${output.text.trim()}`,
    );
  }
  return { dir, cleanup };
}
