import { rmSync } from "node:fs";
import { startEmulator } from "../../checks/emulator/index.js";
import type { Finding } from "../../checks/model/finding.js";
import { runCli } from "../helpers/run-cli.js";
import type { EdgeLab } from "./edge-lab.js";
import { accountSeed, type LabZone, type TunnelSeeds, writeDesired, zoneSeed } from "./edge-zones.js";

/** One `cf-preflight check` of the edge lab: the code, the live account, and what came out. */
export interface EdgeRun {
  readonly code: number;
  readonly stderr: string;
  readonly findings: readonly Finding[];
  /** Findings about one hostname, as `[rule, status, predicts]`, sorted. */
  about(hostname: string): [string, string, string | null][];
  /** The findings of one rule about one hostname. */
  find(rule: string, hostname: string): Finding[];
}

export interface EdgeRunInput {
  /** What the code declares, and in which provider major's shape. */
  readonly code: { readonly shape: "hcl4" | "json5"; readonly zones: readonly LabZone[] };
  /** The live zones (default: the code's, as after a clean deploy). */
  readonly live?: readonly LabZone[];
  readonly tunnels?: TunnelSeeds;
  /** Options besides the lab's (`--origin-ca`, short timeouts, JSON). */
  readonly args?: readonly string[];
}

const TOKEN = "tok-edge-lab-5c1f0a";

/**
 * Run the real CLI (in-process `main`) against a fresh emulator seeded with the live account and
 * a folder holding the code, probing the lab's origins with short timeouts.
 */
export async function runEdgeCheck(lab: EdgeLab, input: EdgeRunInput): Promise<EdgeRun> {
  const live = input.live ?? input.code.zones;
  const emulator = await startEmulator({
    token: TOKEN,
    seed: { accounts: [accountSeed(input.tunnels)], zones: live.map(zoneSeed) },
  });
  const dir = writeDesired(input.code.shape, input.code.zones);
  try {
    const run = await runCli(
      [
        "check",
        "--synth",
        dir,
        "--format",
        "json",
        "--origin-ca",
        lab.originCaFile,
        "--connect-timeout",
        "2",
        "--read-timeout",
        "3",
        ...(input.args ?? []),
      ],
      { env: { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_BASE_URL: emulator.url } },
    );
    if (run.stdout === "") throw new Error(`check wrote no report (exit ${run.code}): ${run.stderr}`);
    const methods = new Set(emulator.requests().map((r) => r.method));
    if (methods.size !== 1 || !methods.has("GET"))
      throw new Error(`the check sent ${[...methods].join(", ")} to the API: it must only read`);
    const findings = (JSON.parse(run.stdout) as { findings: Finding[] }).findings;
    return {
      code: run.code,
      stderr: run.stderr,
      findings,
      about: (hostname) =>
        findings
          .filter((f) => f.subject.hostname === hostname)
          .map((f): [string, string, string | null] => [f.rule, f.status, f.predicts])
          .sort((a, b) => (a.join() < b.join() ? -1 : 1)),
      find: (rule, hostname) => findings.filter((f) => f.rule === rule && f.subject.hostname === hostname),
    };
  } finally {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
