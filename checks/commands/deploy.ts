import { spawn } from "node:child_process";
import { interruption, throwIfInterrupted } from "../abort.js";
import { forwardInterruption } from "../child-signal.js";
import type { Io } from "../cli/io.js";
import { lineBuffered } from "../cli/line-buffer.js";
import { planOutputs } from "../cli/outputs.js";
import { EXIT, type ExitCode, UsageError } from "../errors.js";
import { gateOptions } from "../gate.js";
import { readRunInputs } from "../preflight.js";
import { quote } from "../printable.js";
import { cdktfBin, INTERNAL_SYNTH_ENV, synthesizeFresh } from "../synth.js";
import { cdktfDeployStacks } from "./cdktf-deploy-args.js";
import { checkAndReport } from "./check.js";

/**
 * Synthesize afresh, check, and run `cdktf deploy` only when nothing blocks. The deploy uses the
 * very synth that was checked (`--skip-synth --output` that folder), so what deploys is what passed.
 * An interruption is passed on to cdktf (deploy waits for it to stop: terraform may be writing
 * state), and after one cdktf deploy is never started.
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
  const named = probe.positionals[0];
  if (named !== undefined && probe.stack !== undefined && named !== probe.stack)
    throw new UsageError(
      `deploy: two different stacks named: ${quote(named)} (the argument) and ${quote(probe.stack)} (--stack); name one`,
    );
  const stack = named ?? probe.stack;
  // cdktf deploy takes stack names too: one past the checked stack would deploy unchecked.
  const unchecked = cdktfDeployStacks(passthrough).filter((s) => s !== stack);
  if (stack !== undefined && unchecked.length > 0)
    throw new UsageError(
      `deploy: ${unchecked.map(quote).join(", ")} after -- would be deployed by cdktf but not checked (only ${quote(stack)} is); name one stack before --, or none to check them all`,
    );
  if (probe.after)
    throw new UsageError(
      "deploy: --after is refused: run `cf-preflight check --after` once the deploy is done",
    );

  // Outputs and inputs are checked before the synth, the slowest part.
  planOutputs(probe.outputs, io.cwd);
  readRunInputs(probe, io.cwd);

  const synth = await synthesizeFresh(io.cwd, (line) => io.stderr(`${line}\n`), io.signal);
  try {
    const options = { ...probe, synth: synth.dir, ...(stack !== undefined ? { stack } : {}) };
    const verdict = await checkAndReport(options, io);
    if (verdict !== EXIT.ok) {
      io.stderr(
        `cf-preflight deploy: the preflight blocks this deploy (exit ${verdict}); cdktf deploy was not run.\n`,
      );
      return verdict;
    }
    throwIfInterrupted(io.signal);
    io.stderr("cf-preflight deploy: preflight passed; running cdktf deploy on the checked synth...\n");
    const args = [
      "deploy",
      ...(stack !== undefined ? [stack] : []),
      "--skip-synth",
      "--output",
      synth.dir,
      ...passthrough,
    ];
    const code = await new Promise<ExitCode>((resolve) => {
      const child = spawn(process.execPath, [cdktfBin(io.cwd), ...args], {
        cwd: io.cwd,
        env: { ...io.env, CHECKPOINT_DISABLE: "1", [INTERNAL_SYNTH_ENV]: "1" },
        stdio: ["inherit", "pipe", "pipe"],
      });
      const stopForwarding = forwardInterruption(child, io.signal);
      // Whole lines through the scrubber: a token split across two chunks is still found.
      const out = lineBuffered(io.stdout);
      const err = lineBuffered(io.stderr);
      child.stdout.on("data", (d: Buffer) => out.push(d));
      child.stderr.on("data", (d: Buffer) => err.push(d));
      child.on("error", (error) => {
        stopForwarding();
        io.stderr(`cf-preflight deploy: could not run cdktf: ${error.message}\n`);
        resolve(EXIT.unverified);
      });
      // cdktf's own failure (terraform init, plan, apply) is reported as a blocked deploy.
      child.on("close", (status) => {
        stopForwarding();
        out.flush();
        err.flush();
        resolve(status === 0 ? EXIT.ok : EXIT.blocked);
      });
    });
    if (io.signal.aborted) throw interruption(io.signal);
    return code;
  } finally {
    synth.cleanup();
  }
}
