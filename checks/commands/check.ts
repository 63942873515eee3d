import type { Io } from "../cli/io.js";
import { type CommonOptions, parseCommonOptions } from "../cli/options.js";
import { planOutputs } from "../cli/outputs.js";
import { probeProgress } from "../cli/progress.js";
import { type ExitCode, UsageError } from "../errors.js";
import { runPreflight } from "../preflight.js";
import { exitCode } from "../report/exit-code.js";
import { emitReport } from "./render.js";

export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  const options = parseCommonOptions(argv, "check");
  if (options.positionals.length > 0)
    throw new UsageError(
      `check: unexpected argument "${options.positionals[0]}" (use --stack NAME to pick a stack)`,
    );
  if (options.passthrough.length > 0)
    throw new UsageError(
      `check: unexpected arguments after --: "${options.passthrough.join(" ")}" (only deploy passes arguments on, to cdktf)`,
    );
  return checkAndReport(options, io);
}

/**
 * Run the preflight, write the report in every requested format, and return the exit code it earns:
 * `check` and both deploy gates share this. The outputs are checked before any work.
 */
export async function checkAndReport(options: CommonOptions, io: Io): Promise<ExitCode> {
  const outputs = planOutputs(options.outputs, io.cwd);
  const progress = probeProgress(io);
  try {
    const { report, desired } = await runPreflight(options, {
      cwd: io.cwd,
      env: io.env,
      log: (line) => io.stderr(`${line}\n`),
      onProbe: progress.onProbe,
      now: new Date(),
      signal: io.signal,
    });
    progress.end();
    emitReport(report, outputs, io, desired.sensitive);
    return exitCode(report, { strict: options.strict });
  } finally {
    progress.end();
  }
}
