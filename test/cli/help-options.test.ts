import { describe, expect, it } from "vitest";
import { COMMAND_HELP, COMMANDS, type CommandName, MAIN_HELP } from "../../checks/cli/help.js";
import { COMMON, FORMAT_ONLY, NOT_FOR_DRIFT, parseCommonOptions } from "../../checks/cli/options.js";
import { EMULATOR_OPTIONS } from "../../checks/commands/emulator.js";
import { MERGE_OPTIONS } from "../../checks/commands/merge.js";
import { gateOptions } from "../../checks/gate.js";
import { runCli } from "../helpers/run-cli.js";

/**
 * `--help` and the options parsers agree: every option a command's parser accepts is in its help,
 * and every option its help lists is accepted by that command. `--help` itself is answered by the
 * CLI for every command and is left out of both sides.
 */

type Table = Readonly<Record<string, { readonly type: "string" | "boolean" }>>;

/** The options a help text defines: `  --name ...` option lines, and the `Usage:` line. */
function documented(help: string): Set<string> {
  const names = new Set<string>();
  for (const m of help.matchAll(/^ {2}--([a-z][a-z0-9-]*)/gm)) names.add(m[1]!);
  const usage = /^Usage: .*$/m.exec(help)?.[0] ?? "";
  for (const m of usage.matchAll(/--([a-z][a-z0-9-]*)/g)) names.add(m[1]!);
  names.delete("help");
  return names;
}

function keys(table: Table | undefined, without: readonly string[] = []): Set<string> {
  return new Set(Object.keys(table ?? {}).filter((k) => k !== "help" && !without.includes(k)));
}

function sorted(set: Iterable<string>): string[] {
  return [...set].sort();
}

/** The options deploy's help excepts from check's: "Takes the options of `check` except --a, --b and --c." */
function deployExceptions(): string[] {
  const sentence = /options of `check` except ([^.]*)\./.exec(COMMAND_HELP.deploy.replace(/\s+/g, " "));
  expect(sentence, "deploy --help names the options of check it refuses").not.toBeNull();
  return [...sentence![1]!.matchAll(/--([a-z][a-z0-9-]*)/g)].map((m) => m[1]!);
}

/** A value each common option accepts, so that parsing it throws only when the command refuses it. */
const SAMPLE: Readonly<Record<string, readonly string[]>> = {
  format: ["--format", "json"],
  vantage: ["--vantage", "allowed"],
  firewall: ["--firewall", "web=web.json"],
  shard: ["--shard", "1/2"],
  "parity-path": ["--parity-path", "/health"],
  "vantage-name": ["--vantage-name", "fra"],
  "client-cert": ["--client-cert", "c.pem", "--client-key", "k.pem"],
  "client-key": ["--client-cert", "c.pem", "--client-key", "k.pem"],
};

function argsFor(name: string): string[] {
  const sample = SAMPLE[name];
  if (sample) return [...sample];
  return COMMON![name]!.type === "boolean" ? [`--${name}`] : [`--${name}`, "1"];
}

/**
 * Options of the shared table that `drift` has no use for (it never probes and its exit code is the
 * drift alone): left out of its help, and refused (exit 2) rather than silently ignored.
 */
const DRIFT_ACCEPTED_UNUSED = NOT_FOR_DRIFT.options;

describe("--help lists exactly the options each command accepts", () => {
  it("names every command, and every command answers --help", async () => {
    for (const command of COMMANDS) {
      expect(MAIN_HELP).toMatch(new RegExp(`^ {2}${command} `, "m"));
      const run = await runCli([command, "--help"]);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(COMMAND_HELP[command]);
      expect(run.stdout).toContain(`Usage: cf-preflight ${command}`);
    }
  });

  it("check: every common option", () => {
    expect(sorted(documented(COMMAND_HELP.check))).toEqual(sorted(keys(COMMON as Table)));
  });

  it("drift: the common options but --shard (refused) and those drift does not use", () => {
    const help = documented(COMMAND_HELP.drift);
    for (const name of DRIFT_ACCEPTED_UNUSED) expect(help.has(name), `--${name} in drift --help`).toBe(false);
    expect(sorted(help)).toEqual(sorted(keys(COMMON as Table, ["shard", ...DRIFT_ACCEPTED_UNUSED])));
  });

  it("deploy: the options of check but those its help excepts", () => {
    const except = deployExceptions();
    const help = new Set([...documented(COMMAND_HELP.check)].filter((n) => !except.includes(n)));
    expect(sorted(help)).toEqual(sorted(keys(COMMON as Table, except)));
  });

  it.each([
    ["merge", MERGE_OPTIONS],
    ["emulator", EMULATOR_OPTIONS],
    ["demo", FORMAT_ONLY],
    ["rules", FORMAT_ONLY],
  ] as const)("%s: its parser's table", (command, table) => {
    expect(sorted(documented(COMMAND_HELP[command as CommandName]))).toEqual(sorted(keys(table as Table)));
  });
});

describe("what the parsers accept and refuse, as the help says", () => {
  it.each(["check", "drift"] as const)("%s accepts every option its help lists", (command) => {
    const notFor = command === "drift" ? NOT_FOR_DRIFT : undefined;
    for (const name of documented(COMMAND_HELP[command]))
      expect(() => parseCommonOptions(argsFor(name), command, notFor), `--${name}`).not.toThrow();
  });

  it("drift refuses the options left out of its help (exit 2, naming the option), never ignores them", async () => {
    for (const name of DRIFT_ACCEPTED_UNUSED) {
      const run = await runCli(["drift", ...argsFor(name)], { cwd: "/nonexistent-cf-preflight-cwd" });
      expect(run.code, `--${name}`).toBe(2);
      // A sample may give a companion option first (--client-key needs --client-cert).
      expect(run.stderr).toMatch(/--[a-z-]+: drift has no use for it/);
      expect(run.stdout).toBe("");
    }
  });

  it("deploy accepts the options of check but the excepted ones", () => {
    const except = deployExceptions();
    for (const name of documented(COMMAND_HELP.check)) {
      if (except.includes(name)) continue;
      expect(() => gateOptions(argsFor(name), "(fresh synth)", "deploy"), `--${name}`).not.toThrow();
    }
  });

  it.each([
    ["drift", "shard"],
    ...["synth", "after", "shard"].map((name) => ["deploy", name] as const),
  ] as const)("%s refuses --%s with exit 2, naming it", async (command, name) => {
    if (command === "deploy") expect(deployExceptions()).toContain(name);
    const run = await runCli([command, ...argsFor(name)], { cwd: "/nonexistent-cf-preflight-cwd" });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--${name}`);
    expect(run.stdout).toBe("");
  });

  it.each(
    COMMANDS.map((command) => [command] as const),
  )("%s refuses an option no help lists (exit 2)", async (command) => {
    const run = await runCli([command, "--no-such-option"], { cwd: "/nonexistent-cf-preflight-cwd" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no-such-option/);
  });
});
