import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { codeAndLiveZone } from "./live-zone.js";

/**
 * The terminal report is also written to files (`--output report.txt`) and to CI logs, which are
 * not terminals, so the TTY-only escaping of standard output does not reach them. A live record
 * named with terminal escape sequences (ESC [8m conceals every later line; ESC [1A ESC [2K erases
 * the verdict line above) must come out printable, never as the sequences themselves.
 */
const TOKEN = "tok-AUDIT2-pretty-8c2d";
const HOSTILE = "e\u001b[1A\u001b[2K\u001b[8mx.example.com";

describe("the pretty report quoting a hostile live record name", () => {
  const zone = codeAndLiveZone(TOKEN, [
    { name: HOSTILE, type: "A", content: "203.0.113.11", proxied: false, ttl: 300 },
  ]);

  it("escapes it on standard output that is not a terminal and in an --output file", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "cfpl-pretty-")), "report.txt");
    const run = await runCli(
      ["drift", "--synth", zone.dir, "--format", "pretty", "--format", "pretty", "--output", out],
      { env: zone.env() },
    );
    expect(run.code).toBe(4);
    for (const text of [run.stdout, readFileSync(out, "utf8")]) {
      expect(text).toContain("- A e\\u{001b}[1a\\u{001b}[2k\\u{001b}[8mx.example.com");
      expect(text).not.toContain("\u001b");
    }
  });
});
