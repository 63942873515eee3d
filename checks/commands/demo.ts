import { abortable } from "../abort.js";
import type { Io } from "../cli/io.js";
import { parseFormatOnly } from "../cli/options.js";
import { EXIT, type ExitCode } from "../errors.js";
import { renderJson } from "../report/render-json.js";
import { renderPretty } from "../report/render-pretty.js";
import { wantsColor } from "../report/style.js";

/** The whole thing on the embedded example. Exits 0 when the demo ran (its findings are the point). */
export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  const format = parseFormatOnly(argv, "demo", ["pretty", "json"] as const);
  const { explainFindings, runDemo } = await import("../demo/run-demo.js");
  const started = Date.now();
  // The demo's servers stop with the process: an interruption ends the command at once.
  const result = await abortable(
    runDemo((line) => io.stderr(`${line}\n`)),
    io.signal,
  );
  if (format === "json") {
    io.stdout(renderJson(result.report));
    return EXIT.ok;
  }
  io.stdout(renderPretty(result.report, { color: wantsColor(io.env, io.stdoutIsTty) }));
  io.stdout(`\n${explainFindings(result.report)}`);
  io.stdout(
    `\ncf-preflight check would exit ${result.checkExit} (it blocks the deploy); cf-preflight drift would exit ${result.driftExit}.\n` +
      `The emulator saw only ${result.methods.join(", ")} requests: the checker never writes. Done in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`,
  );
  return EXIT.ok;
}
