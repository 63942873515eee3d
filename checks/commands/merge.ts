import { type ParseArgsConfig, parseArgs } from "node:util";
import type { Io } from "../cli/io.js";
import { parseOutputs, refuseRepeated } from "../cli/options.js";
import { planOutputs } from "../cli/outputs.js";
import { type ExitCode, UsageError } from "../errors.js";
import { mergeReports } from "../merge/merge.js";
import { loadReports, readProcessStdin } from "../merge/read-reports.js";
import { quote } from "../printable.js";
import { exitCode } from "../report/exit-code.js";
import { emitReport } from "./render.js";

interface MergeCommandOptions {
  readonly reports: readonly string[];
  readonly outputs: ReturnType<typeof parseOutputs>;
  readonly strict: boolean;
  readonly allowUnverified: boolean;
  readonly partial: "block" | "warn";
}

/** What `merge` accepts (its `--help` lists each; a test keeps the two in step). */
export const MERGE_OPTIONS = {
  format: { type: "string", multiple: true },
  output: { type: "string", multiple: true },
  strict: { type: "boolean" },
  "allow-unverified": { type: "boolean" },
  partial: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

function parseMergeOptions(argv: readonly string[]): MergeCommandOptions {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: MERGE_OPTIONS,
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
  } catch (error) {
    throw new UsageError(`merge: ${(error as Error).message.replace(/\. To specify a positional.*$/s, "")}`);
  }
  refuseRepeated(parsed.tokens ?? [], MERGE_OPTIONS);
  const v = parsed.values as Record<string, string | string[] | boolean | undefined>;
  const partial = (v.partial as string | undefined) ?? "block";
  if (partial !== "block" && partial !== "warn")
    throw new UsageError(`--partial: expected block or warn, got ${quote(partial)}`);
  return {
    reports: parsed.positionals,
    outputs: parseOutputs(v.format as string[] | undefined, v.output as string[] | undefined),
    strict: Boolean(v.strict),
    allowUnverified: Boolean(v["allow-unverified"]),
    partial,
  };
}

/**
 * `cf-preflight merge REPORT...`: the JSON reports of a sharded, many-vantage run (a CI matrix)
 * merged into one report, written in every requested format; exits with the gate's code.
 */
export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  const options = parseMergeOptions(argv);
  const outputs = planOutputs(options.outputs, io.cwd);
  const report = await mergeReports(
    loadReports(options.reports, io.cwd, () => readProcessStdin()),
    options,
  );
  const merge = report.merge!;
  io.stderr(
    `merged ${merge.reports} report(s) from ${merge.vantages.length} vantage(s), ${merge.shardCount} shard(s) each\n`,
  );
  emitReport(report, outputs, io);
  return exitCode(report, { strict: options.strict });
}
