import { describe, expect, it } from "vitest";
import { tfFolder } from "../desired/tf-folder.js";
import { runCli } from "../helpers/run-cli.js";

/**
 * A configuration whose Cloudflare resources are all of types no rule reads (or only looks a zone
 * up) leaves nothing to check: the verdict must not read "OK"/"PASSED", which would claim a check
 * that did not happen (a --synth pointed at the wrong folder looks exactly like this).
 */
describe("a run that found no zone to check", () => {
  const dir = tfFolder({
    "main.tf": [
      'resource "cloudflare_workers_script" "w" {\n  account_id = "0123456789abcdef0123456789abcdef"\n  name       = "x"\n  content    = "x"\n}',
      'data "cloudflare_zone" "z" {\n  name = "example.com"\n}',
      "",
    ].join("\n\n"),
  });

  it.each([
    ["pretty", "NOTHING CHECKED"],
    ["markdown", "NOTHING CHECKED"],
    ["github", "NOTHING CHECKED"],
  ])("says so in the %s verdict", async (format, word) => {
    const run = await runCli(["check", "--synth", dir, "--no-live", "--no-probes", "--format", format]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(word);
    expect(run.stdout).not.toMatch(/\bOK\b|PASSED/);
  });
});
