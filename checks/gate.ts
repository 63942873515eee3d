import { type CommonOptions, parseCommonOptions } from "./cli/options.js";
import { UsageError } from "./errors.js";

export { checkAndReport } from "./commands/check.js";
export { INTERNAL_SYNTH_ENV } from "./synth.js";

/** Options for the in-app gate (the same as `cf-preflight check`), e.g. "--no-probes --strict". */
export const GATE_ARGS_ENV = "CF_PREFLIGHT_ARGS";

/** Options of a gate run: `--synth` is the folder just synthesized; the caller's `--synth` is refused. */
export function gateOptions(argv: readonly string[], synthDir: string, command: string): CommonOptions {
  const options = parseCommonOptions(argv, command);
  if (options.synth !== undefined)
    throw new UsageError(
      `${command}: --synth is not accepted: the gate always checks a fresh synth of the app`,
    );
  return { ...options, synth: synthDir };
}

/** Split a `CF_PREFLIGHT_ARGS` value into arguments (whitespace-separated; quotes group). */
export function splitArgs(value: string | undefined): string[] {
  if (!value) return [];
  return [...value.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? "");
}
