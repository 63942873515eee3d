import type { Io } from "../cli/io.js";
import { parseCommonOptions } from "../cli/options.js";
import { type ExitCode, VerifyError } from "../errors.js";

/** Argument parsing and exit codes follow the contract; the capability itself lands with its issue. */
export async function run(argv: readonly string[], _io: Io): Promise<ExitCode> {
  parseCommonOptions(argv, "deploy");
  throw new VerifyError(
    "`cf-preflight deploy` is not available in this build yet",
    "It lands with its issue; see README.md.",
  );
}
