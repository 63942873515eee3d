import type { Io } from "../cli/io.js";
import { parseFormatOnly } from "../cli/options.js";
import { EXIT, type ExitCode } from "../errors.js";
import { renderRuleCatalogue } from "../report/render-rules.js";
import { catalogue } from "../rules/registry.js";

export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  const format = parseFormatOnly(argv, "rules", ["pretty", "json", "markdown"] as const);
  io.stdout(renderRuleCatalogue(catalogue(), format));
  return EXIT.ok;
}
