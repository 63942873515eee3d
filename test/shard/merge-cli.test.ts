import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../checks/model/finding.js";
import type { Report } from "../../checks/report/report.js";
import { runCli } from "../helpers/run-cli.js";
import {
  afterRequest,
  closedPort,
  httpOrigin,
  type TestOrigin,
  tcpOrigin,
} from "../probe/helpers/origins.js";
import { CLI, requireBuild } from "../reliability/process.js";
import { ORIGIN_ADDRESSES, writeStack } from "./fixture.js";

const TARGETS = 1_000;
const SHARDS = 8;

let healthy: TestOrigin;
let emptyReply: TestOrigin;
let refused: number;
let stack: ReturnType<typeof writeStack>;
let connectTo: string[];

function check(extra: readonly string[], stackFiles = stack): Promise<{ code: number; stderr: string }> {
  return runCli([
    "check",
    "--synth",
    stackFiles.stack,
    "--config",
    stackFiles.config,
    "--no-live",
    ...connectTo,
    ...["--read-timeout", "10"],
    "--format",
    "json",
    ...extra,
  ]);
}

function read(file: string): Report {
  return JSON.parse(readFileSync(file, "utf8")) as Report;
}

/** A finding as two runs of the same probes agree on it: timings aside. */
function comparable(f: Finding): string {
  const { timingsMs: _timings, ...evidence } = f.evidence as Record<string, unknown>;
  return JSON.stringify({ ...f, message: f.message.replace(/\d+ ms/g, "N ms"), evidence });
}

const shardFile = (k: number, vantage = "loop") => join(stack.dir, `${vantage}-${k}.json`);
const shardFiles = (vantage = "loop") => Array.from({ length: SHARDS }, (_, i) => shardFile(i + 1, vantage));

beforeAll(async () => {
  healthy = await httpOrigin();
  // An origin that closes the connection once the request arrives: Cloudflare answers 520.
  emptyReply = await tcpOrigin((socket) => afterRequest(socket, () => socket.end()));
  refused = await closedPort();
  stack = writeStack(TARGETS);
  const [ok, down, empty, ok2] = ORIGIN_ADDRESSES;
  connectTo = [
    ["--connect-to", `${ok}:80:127.0.0.1:${healthy.port}`],
    ["--connect-to", `${down}:80:127.0.0.1:${refused}`],
    ["--connect-to", `${empty}:80:127.0.0.1:${emptyReply.port}`],
    ["--connect-to", `${ok2}:80:127.0.0.1:${healthy.port}`],
  ].flat();
  const whole = await check(["--vantage-name", "loop", "--output", join(stack.dir, "whole.json")]);
  expect(whole.code).toBe(1);
  for (let k = 1; k <= SHARDS; k++) {
    const run = await check([
      "--shard",
      `${k}/${SHARDS}`,
      "--vantage-name",
      "loop",
      "--output",
      shardFile(k),
    ]);
    expect(run.code, run.stderr).toBe(1);
  }
}, 300_000);

afterAll(async () => {
  await healthy?.close();
  await emptyReply?.close();
});

describe(`check --shard: ${SHARDS} shards of ${TARGETS} loopback targets`, () => {
  it("splits the targets: each shard says which it is, the run's total and the same digest", () => {
    const whole = read(join(stack.dir, "whole.json"));
    expect(whole.vantage).toMatchObject({ name: "loop", shard: { index: 1, count: 1, targets: TARGETS } });
    const shards = shardFiles().map(read);
    shards.forEach((r, i) => {
      expect(r.vantage!.shard).toMatchObject({ index: i + 1, count: SHARDS, totalTargets: TARGETS });
      expect(r.vantage!.shard.targetsDigest).toBe(whole.vantage!.shard.targetsDigest);
      expect(r.inputsDigest).toBe(whole.inputsDigest);
      // The static findings are in every shard; the probe findings only in one.
      expect(r.findings.filter((f) => f.rule.startsWith("origin-")).length).toBe(r.vantage!.shard.targets);
    });
    expect(shards.reduce((n, r) => n + r.vantage!.shard.targets, 0)).toBe(TARGETS);
  });

  it("merged, equal the unsharded run's findings, summary and exit code", async () => {
    const out = join(stack.dir, "merged.json");
    const merged = await runCli(["merge", ...shardFiles(), "--format", "json", "--output", out]);
    const whole = read(join(stack.dir, "whole.json"));
    expect(merged.code, merged.stderr).toBe(1);
    const report = read(out);
    expect(report.findings.length).toBe(whole.findings.length);
    expect(report.findings.map(comparable).sort()).toEqual(whole.findings.map(comparable).sort());
    expect(report.summary).toEqual(whole.summary);
    // The acknowledged host is acknowledged, and no shard's "unused" acknowledgement survives.
    expect(report.findings.filter((f) => f.acknowledged).map((f) => f.subject.hostname)).toEqual([
      "h1.example.com",
    ]);
    expect(report.findings.some((f) => f.rule === "acknowledgement-unused")).toBe(false);
    expect(report.merge).toMatchObject({
      reports: SHARDS,
      shardCount: SHARDS,
      totalTargets: TARGETS,
      vantages: [{ name: "loop", shards: [1, 2, 3, 4, 5, 6, 7, 8], targets: TARGETS }],
    });
    expect(report.coverage.probes).toBe(true);
    expect(report.vantage).toBeUndefined();
  });

  it("writes every format at once, all or none", async () => {
    const formats = ["json", "markdown", "sarif", "junit", "github"] as const;
    const args = formats.flatMap((f) => ["--format", f, "--output", join(stack.dir, `all.${f}`)]);
    const run = await runCli(["merge", ...shardFiles(), ...args, "--format", "pretty"]);
    expect(run.code).toBe(1);
    for (const f of formats) expect(existsSync(join(stack.dir, `all.${f}`)), f).toBe(true);
    expect(run.stdout).toContain(`Vantage: merged ${SHARDS} report(s): 1 vantage(s) × ${SHARDS} shard(s)`);
    expect(readFileSync(join(stack.dir, "all.markdown"), "utf8")).toContain("Vantage: merged");
  });
});

describe("merge: coverage and bad input", () => {
  it("a missing shard is could not verify (exit 3), nothing written", async () => {
    const out = join(stack.dir, "missing.json");
    const run = await runCli(["merge", ...shardFiles().slice(0, 7), "--format", "json", "--output", out]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      "could not verify: 1 shard(s) not probed: vantage loop shard 8/8 (no report)",
    );
    expect(existsSync(out)).toBe(false);
  });

  it("with --allow-unverified, the missing shard is an unknown finding and probes are not claimed", async () => {
    const run = await runCli(["merge", ...shardFiles().slice(1), "--allow-unverified", "--format", "json"]);
    const report = JSON.parse(run.stdout) as Report;
    const missing = report.findings.filter((f) => f.rule === "merge-coverage");
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ status: "unknown", evidence: { vantage: "loop", shard: 1 } });
    expect(report.coverage).toMatchObject({ probes: false, probesSkipped: "shards not probed: loop 1/8" });
    expect(report.summary.unknown).toBeGreaterThanOrEqual(1);
    const strict = await runCli([
      "merge",
      ...shardFiles().slice(1),
      "--allow-unverified",
      "--strict",
      "--format",
      "json",
    ]);
    expect(strict.code).toBe(1);
  });

  it("a vantage that probed only some shards is a missing shard too", async () => {
    const other = shardFile(1, "other");
    const run = await check(["--shard", `1/${SHARDS}`, "--vantage-name", "other", "--output", other]);
    expect(run.code).toBe(1);
    const merged = await runCli(["merge", ...shardFiles(), other]);
    expect(merged.code).toBe(3);
    expect(merged.stderr).toContain("7 shard(s) not probed: vantage other shard 2/8 (no report)");
    expect(merged.stderr).toContain("give all shards of one vantage the same --vantage-name");
  });

  it("reports of another tool version are bad input (exit 2), naming the file and the field", async () => {
    const report = read(shardFile(2));
    const file = join(stack.dir, "old-version.json");
    writeFileSync(file, JSON.stringify({ ...report, tool: { ...report.tool, version: "0.0.9" } }));
    const run = await runCli(["merge", shardFile(1), file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file} at tool.version: expected a report of cf-preflight 0.1.0`);
    expect(run.stderr).toContain('got "0.0.9"');
  });

  it("reports of other inputs are bad input (exit 2)", async () => {
    const other = writeStack(TARGETS, "h5.example.com");
    const file = join(stack.dir, "other-inputs.json");
    const run = await check(["--shard", `2/${SHARDS}`, "--vantage-name", "loop", "--output", file], other);
    expect(run.code).toBe(1);
    const merged = await runCli(["merge", ...shardFiles().filter((f) => f !== shardFile(2)), file]);
    expect(merged.code).toBe(2);
    expect(merged.stderr).toContain(`${file} at inputsDigest: expected the inputs of ${shardFile(1)}`);
  });

  it("reports of other probe targets are bad input (exit 2)", async () => {
    const file = join(stack.dir, "other-targets.json");
    const remapped = connectTo.map((a) => a.replace(`:127.0.0.1:${healthy.port}`, `:127.0.0.1:${refused}`));
    const run = await runCli([
      "check",
      ...["--synth", stack.stack, "--config", stack.config, "--no-live", ...remapped, "--format", "json"],
      ...["--shard", `2/${SHARDS}`, "--vantage-name", "loop", "--output", file],
    ]);
    expect(run.code).toBe(1);
    const merged = await runCli(["merge", shardFile(1), file]);
    expect(merged.code).toBe(2);
    expect(merged.stderr).toContain("at vantage.shard.targetsDigest: expected the probe targets of");
  });

  it("reports of another shard count are bad input (exit 2)", async () => {
    const file = join(stack.dir, "four.json");
    const run = await check(["--shard", "1/4", "--vantage-name", "loop", "--output", file]);
    expect(run.code).toBe(1);
    const merged = await runCli(["merge", ...shardFiles().slice(1), file]);
    expect(merged.code).toBe(2);
    expect(merged.stderr).toContain(`${file} at vantage.shard.count: expected the shard count of`);
    expect(merged.stderr).toContain("got 1/4");
  });

  it("the same vantage and shard twice, or a merged report, is bad input (exit 2)", async () => {
    const copy = join(stack.dir, "copy.json");
    writeFileSync(copy, readFileSync(shardFile(3)));
    const twice = await runCli(["merge", ...shardFiles(), copy]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain(`one report per vantage and shard: ${shardFile(3)} is also shard 3/8`);

    const merged = join(stack.dir, "merged-once.json");
    expect((await runCli(["merge", ...shardFiles(), "--format", "json", "--output", merged])).code).toBe(1);
    const again = await runCli(["merge", merged]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(
      `${merged} at merge: expected a JSON report of cf-preflight check; this one is already merged`,
    );
  });

  it("a report that is not JSON, or not a report, is bad input located in the file (exit 2)", async () => {
    const broken = join(stack.dir, "broken.json");
    writeFileSync(broken, '{\n  "schemaVersion": 1,\n  "findings": [ oops ]\n}\n');
    const run = await runCli(["merge", shardFile(1), broken]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(`${broken} at line 3, column \\d+: expected valid JSON \\(cf-preflight JSON report\\)`),
    );

    const report = read(shardFile(1));
    const bad = join(stack.dir, "bad-finding.json");
    const findings = report.findings.map((f, i) => (i === 3 ? { ...f, status: "maybe" } : f));
    writeFileSync(bad, JSON.stringify({ ...report, findings }));
    const shape = await runCli(["merge", bad]);
    expect(shape.code).toBe(2);
    expect(shape.stderr).toContain(
      `${bad} at findings[3].status: expected one of "fail", "warn", "unknown", "pass"`,
    );

    const noVantage = join(stack.dir, "no-vantage.json");
    const { vantage: _v, ...rest } = report;
    writeFileSync(noVantage, JSON.stringify(rest));
    const missing = await runCli(["merge", noVantage]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${noVantage} at vantage: expected an object`);

    const none = await runCli(["merge"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("merge: expected one or more JSON reports");
    const nowhere = await runCli(["merge", join(stack.dir, "nope.json")]);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toContain("nope.json: expected a cf-preflight JSON report");
  });

  it("reads one report from standard input with - (the installed command)", () => {
    requireBuild();
    const rest = shardFiles().slice(1);
    const run = spawnSync(process.execPath, [CLI, "merge", "-", ...rest, "--format", "json"], {
      input: readFileSync(shardFile(1)),
      encoding: "utf8",
      env: { PATH: process.env.PATH },
    });
    expect(run.status, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.merge?.vantages[0]?.shards).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

    const garbage = spawnSync(process.execPath, [CLI, "merge", "-"], { input: "not json", encoding: "utf8" });
    expect(garbage.status).toBe(2);
    expect(garbage.stderr).toContain("(stdin) at line 1, column 2: expected valid JSON");
    expect(readdirSync(stack.dir).some((f) => f.endsWith(".tmp"))).toBe(false);
  });
});
