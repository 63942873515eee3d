import { spawn } from "node:child_process";
import type { Io } from "../cli/io.js";
import { EXIT, type ExitCode, UsageError } from "../errors.js";
import { gateOptions } from "../gate.js";
import { cdktfBin, INTERNAL_SYNTH_ENV, synthesizeFresh } from "../synth.js";
import { checkAndReport } from "./check.js";

/**
 * Synthesize afresh, check, and run `cdktf deploy` only when nothing blocks. The deploy uses the
 * very synth that was checked (`--skip-synth --output` that folder), so what deploys is what passed.
 */
export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  const dashdash = argv.indexOf("--");
  const passthrough = dashdash >= 0 ? argv.slice(dashdash + 1) : [];
  if (passthrough.some((a) => a === "--skip-synth" || a.startsWith("--skip-synth=")))
    throw new UsageError("deploy: --skip-synth is refused: a stale synth must never pass the gate");
  if (passthrough.some((a) => a === "--output" || a === "-o" || a.startsWith("--output=")))
    throw new UsageError("deploy: --output is refused: the gate deploys the folder it checked");
  const own = dashdash >= 0 ? argv.slice(0, dashdash) : argv;
  const probe = gateOptions(own, "(fresh synth)", "deploy");
  if (probe.positionals.length > 1)
    throw new UsageError(`deploy: expected at most one stack name, got ${probe.positionals.join(" ")}`);
  const stack = probe.positionals[0] ?? probe.stack;
  if (probe.after)
    throw new UsageError(
      "deploy: --after is refused: run `cf-preflight check --after` once the deploy is done",
    );

  const synth = await synthesizeFresh(io.cwd, (line) => io.stderr(`${line}\n`));
  try {
    const options = { ...probe, synth: synth.dir, ...(stack !== undefined ? { stack } : {}) };
    const verdict = await checkAndReport(options, io);
    if (verdict !== EXIT.ok) {
      io.stderr(
        `cf-preflight deploy: the preflight blocks this deploy (exit ${verdict}); cdktf deploy was not run.\n`,
      );
      return verdict;
    }
    io.stderr("cf-preflight deploy: preflight passed; running cdktf deploy on the checked synth...\n");
    const args = [
      "deploy",
      ...(stack !== undefined ? [stack] : []),
      "--skip-synth",
      "--output",
      synth.dir,
      ...passthrough,
    ];
    return await new Promise<ExitCode>((resolve) => {
      const child = spawn(process.execPath, [cdktfBin(io.cwd), ...args], {
        cwd: io.cwd,
        env: { ...io.env, CHECKPOINT_DISABLE: "1", [INTERNAL_SYNTH_ENV]: "1" },
        stdio: ["inherit", "pipe", "pipe"],
      });
      child.stdout.on("data", (d: Buffer) => io.stdout(d.toString()));
      child.stderr.on("data", (d: Buffer) => io.stderr(d.toString()));
      child.on("error", (error) => {
        io.stderr(`cf-preflight deploy: could not run cdktf: ${error.message}\n`);
        resolve(EXIT.unverified);
      });
      // cdktf's own failure (terraform init, plan, apply) is reported as a blocked deploy.
      child.on("close", (code) => resolve(code === 0 ? EXIT.ok : EXIT.blocked));
    });
  } finally {
    synth.cleanup();
  }
}
