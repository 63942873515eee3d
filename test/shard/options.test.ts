import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { writeTfJson, zoneWithRecords } from "../helpers/tf-json.js";

const stack = writeTfJson(
  zoneWithRecords({ www: { name: "www.example.com", type: "A", content: "192.0.2.1", proxied: true } }),
);

describe("--shard and --vantage-name", () => {
  for (const [args, message] of [
    [["--shard", "0/4"], '--shard: expected K/N, shard K of N with 1 ≤ K ≤ N ≤ 256 (e.g. 2/8), got "0/4"'],
    [["--shard", "5/4"], 'got "5/4"'],
    [["--shard", "1/257"], 'got "1/257"'],
    [["--shard", "two"], 'got "two"'],
    [
      ["--shard", "1/4", "--no-probes"],
      "--shard splits the origin probes between runs: it cannot run with --no-probes",
    ],
    [
      ["--vantage-name", "eu west"],
      '--vantage-name: expected 1 to 63 letters, digits, ".", "_", "-" or ":", starting with a letter or digit, got "eu west"',
    ],
    [["--vantage-name", ""], "--vantage-name: expected"],
  ] as const)
    it(`refuses ${args.join(" ")} (exit 2)`, async () => {
      const run = await runCli(["check", "--synth", stack, "--no-live", ...args]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(message);
      expect(run.stdout).toBe("");
    });

  it("refuses --shard outside check: a gate that deploys must probe every target", async () => {
    const run = await runCli(["drift", "--synth", stack, "--no-live", "--shard", "1/2"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--shard: only check splits the probes (drift must judge every target)");
  });

  it("reports the vantage of an unsharded run as shard 1/1 under the host name, and its inputs digest", async () => {
    const run = await runCli(["check", "--synth", stack, "--no-live", "--no-probes", "--format", "json"]);
    const report = JSON.parse(run.stdout);
    expect(report.vantage.shard).toEqual({
      index: 1,
      count: 1,
      targets: 0,
      totalTargets: null,
      targetsDigest: null,
    });
    expect(report.vantage.name).toMatch(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/);
    expect(report.inputsDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const again = await runCli(["check", "--synth", stack, "--no-live", "--no-probes", "--format", "json"]);
    expect(JSON.parse(again.stdout).inputsDigest).toBe(report.inputsDigest);
    // The same stack checked out elsewhere (another runner's folder) has the same digest.
    const elsewhere = writeTfJson(readFileSync(stack, "utf8"));
    const moved = await runCli([
      "check",
      "--synth",
      elsewhere,
      "--no-live",
      "--no-probes",
      "--format",
      "json",
    ]);
    expect(JSON.parse(moved.stdout).inputsDigest).toBe(report.inputsDigest);
    // An option the rules read changes it.
    const other = await runCli([
      ...["check", "--synth", stack, "--no-live", "--no-probes", "--latency-factor", "3", "--format", "json"],
    ]);
    expect(JSON.parse(other.stdout).inputsDigest).not.toBe(report.inputsDigest);
  });

  it("documents the options and the merge command", async () => {
    const check = await runCli(["check", "--help"]);
    expect(check.stdout).toContain("--shard K/N");
    expect(check.stdout).toContain("--vantage-name NAME");
    const merge = await runCli(["merge", "--help"]);
    expect(merge.code).toBe(0);
    expect(merge.stdout).toContain("Usage: cf-preflight merge [options] REPORT...");
    expect(merge.stdout).toContain("--partial block|warn");
    const main = await runCli(["--help"]);
    expect(main.stdout).toMatch(/merge {6}merge the JSON reports/);
  });
});
