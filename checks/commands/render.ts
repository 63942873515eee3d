import { relative } from "node:path";
import { throwIfInterrupted } from "../abort.js";
import type { Io } from "../cli/io.js";
import type { Format, OutputTarget } from "../cli/options.js";
import { type PlannedOutput, writeOutputs } from "../cli/outputs.js";
import { renderGithub } from "../report/render-github.js";
import { renderJson } from "../report/render-json.js";
import { renderJunit } from "../report/render-junit.js";
import { renderMarkdown } from "../report/render-markdown.js";
import { renderPretty } from "../report/render-pretty.js";
import { renderSarif } from "../report/render-sarif.js";
import type { Report } from "../report/report.js";
import { wantsColor } from "../report/style.js";
import { catalogue } from "../rules/registry.js";
import { createValueRedactor } from "../scrub.js";

type Renderer = (report: Report, target: OutputTarget, io: Io) => string;

const RENDERERS: Record<Format, Renderer> = {
  json: (report) => renderJson(report),
  markdown: (report) => renderMarkdown(report),
  sarif: (report, _target, io) => renderSarif(report, { baseDir: io.cwd, rules: catalogue() }),
  junit: (report) => renderJunit(report),
  github: (report, _target, io) => renderGithub(report, { relativeFile: (file) => relative(io.cwd, file) }),
  pretty: (report, target, io) =>
    renderPretty(report, { color: target.file === undefined && wantsColor(io.env, io.stdoutIsTty) }),
};

/**
 * Render the report in every requested format, then write them all (or nothing). An interrupted
 * run writes none: its report would claim a verdict it did not reach.
 */
export function emitReport(
  report: Report,
  outputs: readonly PlannedOutput[],
  io: Io,
  sensitive: readonly string[] = [],
): void {
  const redact = createValueRedactor(sensitive);
  const texts = outputs.map(({ target }) => redact(RENDERERS[target.format](report, target, io)));
  throwIfInterrupted(io.signal);
  writeOutputs(outputs, texts, io);
}
