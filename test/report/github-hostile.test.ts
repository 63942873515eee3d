import { describe, expect, it } from "vitest";
import { renderGithub } from "../../checks/report/render-github.js";
import { runCli } from "../helpers/run-cli.js";
import { codeAndLiveZone } from "./live-zone.js";
import { sampleReport } from "./sample-report.js";

/**
 * GitHub annotations are read from the job log: an escape sequence in a message drives the log
 * viewer and every terminal the log is replayed in, and a carriage return or line feed ends the
 * workflow command early (the rest becomes a command of its own). Names and messages quote the live
 * zone and the inputs, so they come out printable (the helper the pretty and Markdown reports use)
 * and with GitHub's escaping: %, CR and LF in messages, and also : and , in properties.
 */
const TOKEN = "tok-AUDIT2-github-41ad";
const HOSTILE = "e\u001b[1A\u001b[2K\r::warning::x,y%z.example.com";

describe("GitHub annotations quoting a hostile live record name", () => {
  const zone = codeAndLiveZone(TOKEN, [
    { name: HOSTILE, type: "A", content: "203.0.113.11", proxied: false, ttl: 300 },
  ]);

  it("makes it printable and escapes it as a workflow command, in the title and the message", async () => {
    const run = await runCli(["drift", "--synth", zone.dir, "--format", "github"], { env: zone.env() });
    expect(run.code).toBe(4);
    expect(run.stdout).not.toContain("\u001b");
    expect(run.stdout).not.toContain("\r");
    const lines = run.stdout.trimEnd().split("\n");
    // One command a line: nothing the record holds starts a command of its own.
    for (const line of lines) expect(line).toMatch(/^::(error|warning|notice) /);
    const drift = lines.find((l) => l.startsWith("::error title=dns-drift "))!;
    const [, title, message] = /^::error title=(.*?)::(.*)$/.exec(drift)!;
    expect(title).toBe(
      "dns-drift A e\\u{001b}[1a\\u{001b}[2k\\u{000d}%3A%3Awarning%3A%3Ax%2Cy%25z.example.com",
    );
    expect(message).toContain("A e\\u{001b}[1a\\u{001b}[2k\\u{000d}::warning::x,y%25z.example.com is live");
  });
});

describe("GitHub annotations of findings", () => {
  it("make control characters in messages, fixes and titles printable, keeping lines as %0A", () => {
    const report = sampleReport();
    const hostile = {
      ...report,
      findings: report.findings.map((f, i) =>
        i === 0
          ? {
              ...f,
              message: "refused \u001b]8;;http://x\u0007link\u001b]8;;\u0007\nsecond\u009b2J line",
              fix: "fix\u0000it",
              subject: { ...f.subject, hostname: "api\u001b[31m.example.com" },
            }
          : f,
      ),
    };
    const text = renderGithub(hostile);
    expect(text).not.toMatch(/[^\P{Cc}\n]/u);
    const first = text.split("\n")[0]!;
    expect(first).toContain(
      "title=521 origin-port-scheme api\\u{001b}[31m.example.com (198.51.100.20%3A8443)",
    );
    expect(first).toContain(
      "::refused \\u{001b}]8;;http://x\\u{0007}link\\u{001b}]8;;\\u{0007}%0Asecond\\u{009b}2J line%0Afix: fix\\u{0000}it",
    );
  });
});
