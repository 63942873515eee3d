import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

/**
 * A careless user repeats an option that takes one value (`--plan prod.json --plan staging.json`).
 * Keeping only the last one silently drops an input: a plan that blocks must never pass because a
 * second `--plan` came after it.
 */
const ZONE_ID = "3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f80";

function plan(record: { type: string; content: string; proxied: boolean }): unknown {
  return {
    format_version: "1.2",
    terraform_version: "1.9.8",
    planned_values: { root_module: { resources: [] } },
    resource_changes: [
      {
        address: "cloudflare_zone.z",
        mode: "managed",
        type: "cloudflare_zone",
        name: "z",
        change: {
          actions: ["no-op"],
          before: { id: ZONE_ID, name: "example.com", account: { id: "a" } },
          after: { id: ZONE_ID, name: "example.com", account: { id: "a" } },
          after_unknown: {},
        },
      },
      {
        address: "cloudflare_dns_record.www",
        mode: "managed",
        type: "cloudflare_dns_record",
        name: "www",
        change: {
          actions: ["create"],
          before: null,
          after: { zone_id: ZONE_ID, name: "www.example.com", ttl: 1, ...record },
          after_unknown: { id: true },
        },
      },
    ],
  };
}

function plans(): { blocking: string; clean: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "cfpl-repeat-"));
  const blocking = join(dir, "blocking.json");
  const clean = join(dir, "clean.json");
  // A proxied TXT record: the API refuses it (9004), a blocking finding.
  writeFileSync(blocking, JSON.stringify(plan({ type: "TXT", content: "hello", proxied: true })));
  writeFileSync(clean, JSON.stringify(plan({ type: "A", content: "203.0.113.10", proxied: true })));
  return { blocking, clean, dir };
}

const OFFLINE = ["--no-live", "--no-probes"];

describe("an option that takes one value, given twice", () => {
  it("the blocking plan alone blocks (the control)", async () => {
    const { blocking } = plans();
    const run = await runCli(["check", "--plan", blocking, ...OFFLINE]);
    expect(run.code).toBe(1);
  });

  it("--plan twice is refused (exit 2), never checks only the last plan", async () => {
    const { blocking, clean } = plans();
    const run = await runCli(["check", "--plan", blocking, "--plan", clean, ...OFFLINE]);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("--plan: given more than once");
    expect(run.code).toBe(2);
  });

  it("--synth twice and a setting twice (--api-timeout) are refused too", async () => {
    const { dir, clean } = plans();
    const synth = await runCli(["check", "--synth", dir, "--synth", dir, ...OFFLINE]);
    expect(synth.stderr).toContain("--synth: given more than once");
    expect(synth.code).toBe(2);
    const timeout = await runCli([
      "check",
      "--plan",
      clean,
      "--api-timeout=5",
      "--api-timeout",
      "600",
      ...OFFLINE,
    ]);
    expect(timeout.stderr).toContain("--api-timeout: given more than once");
    expect(timeout.code).toBe(2);
  });

  it("options meant to repeat still repeat (--config, --format with --output)", async () => {
    const { clean, dir } = plans();
    const run = await runCli([
      "check",
      "--plan",
      clean,
      ...OFFLINE,
      "--format",
      "json",
      "--output",
      join(dir, "r.json"),
      "--format",
      "pretty",
    ]);
    expect(run.code).toBe(0);
  });

  it("two --firewall exports for one origin are refused, never the first dropped", async () => {
    const { clean, dir } = plans();
    const a = join(dir, "a.rules");
    const b = join(dir, "b.rules");
    writeFileSync(a, "*filter\n:INPUT DROP [0:0]\nCOMMIT\n");
    writeFileSync(b, "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n");
    const run = await runCli([
      "check",
      "--plan",
      clean,
      ...OFFLINE,
      "--firewall",
      `web=${a}`,
      "--firewall",
      `web=${b}`,
    ]);
    expect(run.stderr).toContain('--firewall: origin "web" given twice');
    expect(run.code).toBe(2);
  });
});

describe("arguments a command would otherwise drop", () => {
  it("merge refuses --partial given twice (exit 2) instead of keeping the last", async () => {
    const run = await runCli(["merge", "a.json", "--partial", "warn", "--partial", "block"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--partial: given more than once");
    expect(run.stdout).toBe("");
  });

  it.each([
    "check",
    "drift",
  ])("%s refuses arguments after -- (only deploy passes them on)", async (command) => {
    const run = await runCli([command, "--no-live", "--", "--stack", "prod"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unexpected arguments after --");
    expect(run.stdout).toBe("");
  });
});
