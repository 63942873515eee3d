import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/synth.js";

/**
 * The in-app gate picks its mode from the cdktf command that runs the app, read from the process
 * tree. CDK Terrain's drop-in CLI is `cdktn`: `cdktn deploy` must get the full check, as
 * `cdktf deploy` does, never the offline static rules.
 */
const GATE = join(PROJECT_ROOT, "stacks", "gate.ts");

/** What `cdktfCommand()` answers in a grandchild of a process whose command line is `words`. */
function commandUnder(words: readonly string[]): string {
  const child = [
    "--import",
    "tsx",
    "--input-type=module",
    "-e",
    `import { cdktfCommand, gateMode } from ${JSON.stringify(GATE)}; const c = cdktfCommand(); console.log(JSON.stringify({ c: c ?? null, mode: gateMode(undefined, c) }));`,
  ];
  // The parent's argv holds the words (as cdktf's own process would); it runs the child and relays.
  const parent = `const { execFileSync } = require("node:child_process"); process.stdout.write(execFileSync(process.execPath, ${JSON.stringify(child)}, { cwd: ${JSON.stringify(PROJECT_ROOT)}, encoding: "utf8" }));`;
  return execFileSync(process.execPath, ["-e", parent, ...words], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
  }).trim();
}

describe("the cdktf command that runs the app", () => {
  it.each([
    [["/usr/lib/node_modules/cdktn-cli/bin/cdktn", "deploy", "--auto-approve"], "deploy", "full"],
    [["/project/node_modules/.bin/cdktf", "--log-level", "debug", "diff"], "diff", "full"],
    [["/project/node_modules/.bin/cdktn", "synth"], "synth", "static"],
  ] as const)("%j is %s (%s gate)", (words, command, mode) => {
    expect(JSON.parse(commandUnder(words))).toEqual({ c: command, mode });
  });
});
