import { describe, expect, it } from "vitest";
import { errorLine } from "../../checks/errors.js";
import { runCli } from "../helpers/run-cli.js";

/**
 * A usage error names the command once: "cf-preflight check: unexpected argument", never
 * "cf-preflight check: check: unexpected argument" (the message's own prefix doubled the CLI's).
 */
describe("usage errors name the command once", () => {
  it.each([
    ["check", ["check", "extra"], 'unexpected argument "extra"'],
    ["drift", ["drift", "extra"], 'unexpected argument "extra"'],
    ["check", ["check", "--concurrency", "0"], "--concurrency"],
    ["merge", ["merge"], "expected one or more JSON reports"],
    ["deploy", ["deploy", "--", "--skip-synth"], "--skip-synth is refused"],
  ])("%s: %j", async (command, argv, text) => {
    const run = await runCli(argv);
    expect(run.code).toBe(2);
    const first = run.stderr.split("\n")[0]!;
    expect(first).toContain(text);
    expect(first).toMatch(new RegExp(`^cf-preflight ${command}: `));
    expect(first).not.toMatch(new RegExp(`^cf-preflight ${command}: ${command}: `));
  });

  it("keeps a prefix that is not the command's own", async () => {
    const run = await runCli(["check", "--connect-to", "nonsense"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^cf-preflight check: --connect-to/);
  });
});

describe("errorLine", () => {
  it("drops the message's own command prefix, and only that", () => {
    expect(errorLine("gate", "gate: --synth is not accepted")).toBe(
      "cf-preflight gate: --synth is not accepted",
    );
    expect(errorLine("check", "--connect-to: bad")).toBe("cf-preflight check: --connect-to: bad");
    expect(errorLine("check", "checker: x")).toBe("cf-preflight check: checker: x");
    expect(errorLine("drift", "check: x")).toBe("cf-preflight drift: check: x");
  });
});
