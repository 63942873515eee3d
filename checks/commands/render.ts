import type { Io } from "../cli/io.js";
import type { Format, OutputTarget } from "../cli/options.js";
import { writeOutputs } from "../cli/write-outputs.js";
import { UsageError } from "../errors.js";
import { renderJson } from "../report/render-json.js";
import { renderPretty } from "../report/render-pretty.js";
import type { Report } from "../report/report.js";
import { wantsColor } from "../report/style.js";

type Renderer = (report: Report, target: OutputTarget, io: Io) => string;

const RENDERERS: Partial<Record<Format, Renderer>> = {
  json: (report) => renderJson(report),
  pretty: (report, target, io) =>
    renderPretty(report, { color: target.file === undefined && wantsColor(io.env, io.stdoutIsTty) }),
};

/** Render the report in every requested format and write them all (or nothing). */
export function emitReport(report: Report, outputs: readonly OutputTarget[], io: Io): void {
  const rendered = outputs.map((target) => {
    const render = RENDERERS[target.format];
    if (!render) throw new UsageError(`--format ${target.format} is not available yet in this version`);
    return { target, text: render(report, target, io) };
  });
  writeOutputs(rendered, io);
}
