import type { Io } from "../../checks/cli/io.js";
import { scrubber } from "../../checks/cli/scrub.js";
import { main } from "../../checks/cli.js";

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run the CLI in-process with captured output (the same `main` the installed command runs). */
export async function runCli(
  argv: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; scrub?: boolean; signal?: AbortSignal } = {},
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const env = { ...options.env };
  const scrub = options.scrub === false ? (t: string) => t : scrubber(env.CLOUDFLARE_API_TOKEN);
  const io: Io = {
    stdout: (t) => {
      stdout += scrub(t);
    },
    stderr: (t) => {
      stderr += scrub(t);
    },
    env,
    cwd: options.cwd ?? process.cwd(),
    stdoutIsTty: false,
    stderrIsTty: false,
    signal: options.signal ?? new AbortController().signal,
    scrub,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
