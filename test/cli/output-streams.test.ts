import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { writeTfJson, zoneWithRecords } from "../helpers/tf-json.js";

/**
 * Two formats on one stream interleave into a report no reader can parse (JSON followed by the
 * terminal text). Two formats without --output are refused; naming the stream (/dev/stdout,
 * /dev/fd/1) must be refused the same way, before any work, with nothing written.
 */
const STACK = writeTfJson(
  zoneWithRecords({ www: { name: "www.example.com", type: "A", content: "192.0.2.10", proxied: true } }),
);
const STATIC = ["check", "--synth", STACK, "--no-live", "--no-probes"];

describe("formats sharing one output stream", () => {
  it("a format on stdout and another --output /dev/stdout is refused (exit 2), nothing written", async () => {
    const run = await runCli([
      ...STATIC,
      "--format",
      "json",
      "--format",
      "pretty",
      "--output",
      "/dev/stdout",
    ]);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("only one format can go to stdout");
    expect(run.code).toBe(2);
  });

  it("two --output naming stdout (/dev/fd/1 and /dev/stdout) are refused too", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cfpl-streams-"));
    const run = await runCli(
      [
        ...STATIC,
        "--format",
        "json",
        "--output",
        "/dev/fd/1",
        "--format",
        "sarif",
        "--output",
        "/dev/stdout",
        "--format",
        "junit",
        "--output",
        join(dir, "r.xml"),
      ],
      {},
    );
    expect(run.stdout).toBe("");
    expect(run.code).toBe(2);
  });

  it("one format to stdout through /dev/stdout, another to stderr, is still fine", async () => {
    const run = await runCli([
      ...STATIC,
      "--format",
      "json",
      "--output",
      "/dev/stdout",
      "--format",
      "pretty",
      "--output",
      "/dev/stderr",
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).summary.blocking).toBe(0);
    expect(run.stderr).toContain("OK");
  });
});

describe("--output -", () => {
  it("means standard output, as --plan - means standard input: no file named '-' is made", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "cfpl-dash-"));
    const run = await runCli([...STATIC, "--format", "json", "--output", "-"], { cwd });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).summary.blocking).toBe(0);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("counts as stdout: beside another format on stdout it is refused", async () => {
    const run = await runCli([...STATIC, "--format", "pretty", "--format", "json", "--output", "-"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
  });
});
