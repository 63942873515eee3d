import type { Io } from "../cli/io.js";
import { parseCommonOptions } from "../cli/options.js";
import { planOutputs } from "../cli/outputs.js";
import { type ExitCode, UsageError } from "../errors.js";
import { runPreflight } from "../preflight.js";
import { exitCode } from "../report/exit-code.js";
import { emitReport } from "./render.js";

/** DNS, settings and firewall drift between the code and the live zone: exit 4 when there is any. */
export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  const options = parseCommonOptions(argv, "drift");
  if (options.positionals.length > 0)
    throw new UsageError(`drift: unexpected argument "${options.positionals[0]}"`);
  if (!options.live)
    throw new UsageError("drift: --no-live is not accepted: drift compares the code with the live zone");
  const outputs = planOutputs(options.outputs, io.cwd);
  const { report } = await runPreflight(
    { ...options, probes: false, allowUnverified: false },
    {
      cwd: io.cwd,
      env: io.env,
      log: (line) => io.stderr(`${line}\n`),
      now: new Date(),
      signal: io.signal,
    },
  );
  emitReport(report, outputs, io);
  return exitCode(report, { drift: true });
}
