import { parseArgs } from "node:util";
import type { Io } from "../cli/io.js";
import { EXIT, type ExitCode, UsageError } from "../errors.js";
import { renderRuleCatalogue } from "../report/render-rules.js";
import { catalogue } from "../rules/registry.js";

export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  let format = "pretty";
  try {
    const { values } = parseArgs({ args: [...argv], options: { format: { type: "string" } }, strict: true });
    format = values.format ?? "pretty";
  } catch (error) {
    throw new UsageError(`rules: ${(error as Error).message}`);
  }
  if (format !== "pretty" && format !== "json" && format !== "markdown")
    throw new UsageError(`--format: expected pretty, json or markdown, got "${format}"`);
  io.stdout(renderRuleCatalogue(catalogue(), format));
  return EXIT.ok;
}
