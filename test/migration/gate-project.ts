import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gateProject } from "../gate/project.js";
import { PROJECT_ROOT } from "../helpers/synth.js";

/** Evidence that cdktf got as far as `terraform init` (the same test as test/gate/gate.e2e.test.ts). */
export const REACHED_INIT =
  /terraform init|Initializing the backend|Initializing provider plugins|terraform[^\n]*(not found|ENOENT)/;

/**
 * The gate test's throwaway offline cdktf project (test/gate/project.ts), with the migration
 * fixture app in place of the gate fixture.
 */
export function migrationGateProject(): { dir: string; env: NodeJS.ProcessEnv } {
  const project = gateProject();
  const file = join(project.dir, "cdktf.json");
  const config = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  config.app = `node --import tsx ${join(PROJECT_ROOT, "test", "migration", "fixture-app.ts")}`;
  writeFileSync(file, JSON.stringify(config));
  return project;
}

export interface DeployRun {
  readonly status: number | null;
  readonly output: string;
}

/**
 * `cdktf deploy --auto-approve` in the project, asynchronously: the API emulator answering the
 * gate lives in this process, so the event loop must keep running while cdktf does.
 */
export function cdktfDeploy(dir: string, env: NodeJS.ProcessEnv, timeoutMs = 240_000): Promise<DeployRun> {
  const cdktf = join(PROJECT_ROOT, "node_modules", ".bin", "cdktf");
  return new Promise((resolve, reject) => {
    const child = spawn(cdktf, ["deploy", "--auto-approve"], {
      cwd: dir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: timeoutMs,
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, output }));
  });
}
