import type { Io } from "../cli/io.js";
import { NOT_FOR_DRIFT, parseCommonOptions } from "../cli/options.js";
import { planOutputs } from "../cli/outputs.js";
import { type ExitCode, UsageError } from "../errors.js";
import { runPreflight, SNAPSHOT_RANGES } from "../preflight.js";
import { exitCode } from "../report/exit-code.js";
import type { Report } from "../report/report.js";
import { emitReport } from "./render.js";

/**
 * DNS, settings and firewall drift between the code and the live zone: exit 4 when there is any.
 * With `--no-live` it runs offline: firewall drift against the bundled snapshot of Cloudflare's
 * ranges, DNS and settings reported as not compared.
 */
export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  const options = parseCommonOptions(argv, "drift", NOT_FOR_DRIFT);
  if (options.positionals.length > 0)
    throw new UsageError(`drift: unexpected argument "${options.positionals[0]}"`);
  if (options.passthrough.length > 0)
    throw new UsageError(`drift: unexpected arguments after --: "${options.passthrough.join(" ")}"`);
  if (!options.live) {
    io.stderr(
      `drift: no live state (--no-live): DNS and settings not compared; firewalls compared with Cloudflare's ranges from the bundled snapshot of ${SNAPSHOT_RANGES.capturedAt}\n`,
    );
  }
  const outputs = planOutputs(options.outputs, io.cwd);
  const { report, desired } = await runPreflight(
    { ...options, probes: false },
    {
      cwd: io.cwd,
      env: io.env,
      log: (line) => io.stderr(`${line}\n`),
      now: new Date(),
      drift: true,
      driftOnly: true,
      signal: io.signal,
    },
  );
  // The run gates on drift: every format states each difference as failing, as the exit code does.
  const gated: Report = { ...report, gate: "drift" };
  emitReport(gated, outputs, io, desired.sensitive);
  return exitCode(gated, { drift: true });
}
