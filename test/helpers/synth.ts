import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");

let cached: string | undefined;

/** Synthesize the example app once per test file with the real cdktf CLI; returns the cdktf.out folder. */
export function synthExample(): string {
  if (cached) return cached;
  const out = mkdtempSync(join(tmpdir(), "cfpl-test-synth-"));
  execFileSync(join(ROOT, "node_modules", ".bin", "cdktf"), ["synth", "--output", out], {
    cwd: ROOT,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", CI: "1" },
    stdio: "pipe",
  });
  cached = out;
  return out;
}

export const PROJECT_ROOT = ROOT;
