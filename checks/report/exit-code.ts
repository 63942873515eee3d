import { EXIT, type ExitCode } from "../errors.js";
import { hasDrift } from "../model/change.js";
import type { Report } from "./report.js";

export interface ExitOptions {
  /** Unknowns block too. */
  readonly strict?: boolean;
  /** The `drift` command: exit 4 when there is drift. */
  readonly drift?: boolean;
}

/** The exit code a report earns (pure). "Could not verify" (3) never gets this far: it has no report. */
export function exitCode(report: Report, options: ExitOptions = {}): ExitCode {
  if (options.drift) return hasDrift(report.drift) ? EXIT.drift : EXIT.ok;
  if (report.summary.blocking > 0) return EXIT.blocked;
  if (options.strict && report.summary.unknown > 0) return EXIT.blocked;
  return EXIT.ok;
}
