import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import { tfFolder } from "../desired/tf-folder.js";
import { runCli } from "../helpers/run-cli.js";

/**
 * The terminal report is also written to files (`--output report.txt`) and to CI logs, which are
 * not terminals, so the TTY-only escaping of standard output does not reach them. A live record
 * named with terminal escape sequences (ESC [8m conceals every later line; ESC [1A ESC [2K erases
 * the verdict line above) must come out printable, never as the sequences themselves.
 */
const TOKEN = "tok-AUDIT2-pretty-8c2d";
const ZONE_ID = "3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f80";
const HOSTILE = "e\u001b[1A\u001b[2K\u001b[8mx.example.com";

describe("the pretty report quoting a hostile live record name", () => {
  let emulator: Emulator;
  let env: NodeJS.ProcessEnv;
  const dir = tfFolder({
    "main.tf": `resource "cloudflare_dns_record" "www" {
  zone_id = "${ZONE_ID}"
  name    = "www.example.com"
  type    = "A"
  content = "203.0.113.10"
  proxied = false
  ttl     = 300
}
`,
  });

  beforeAll(async () => {
    emulator = await startEmulator({
      token: TOKEN,
      seed: {
        zones: [
          {
            id: ZONE_ID,
            name: "example.com",
            ssl: "full",
            records: [
              { name: "www.example.com", type: "A", content: "203.0.113.10", proxied: false, ttl: 300 },
              { name: HOSTILE, type: "A", content: "203.0.113.11", proxied: false, ttl: 300 },
            ],
          },
        ],
      },
    });
    env = { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_BASE_URL: emulator.url };
  });
  afterAll(async () => {
    await emulator.close();
  });

  it("escapes it on standard output that is not a terminal and in an --output file", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "cfpl-pretty-")), "report.txt");
    const run = await runCli(
      ["drift", "--synth", dir, "--format", "pretty", "--format", "pretty", "--output", out],
      { env },
    );
    expect(run.code).toBe(4);
    for (const text of [run.stdout, readFileSync(out, "utf8")]) {
      expect(text).toContain("- A e\\u{001b}[1a\\u{001b}[2k\\u{001b}[8mx.example.com");
      expect(text).not.toContain("\u001b");
    }
  });
});
