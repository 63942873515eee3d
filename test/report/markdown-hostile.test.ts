import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import { tfFolder } from "../desired/tf-folder.js";
import { runCli } from "../helpers/run-cli.js";

/**
 * Live records are data a third party may have written (an integration, a compromised dashboard
 * account). The Markdown report goes to `$GITHUB_STEP_SUMMARY` and pull request comments: a record's
 * content must not open an HTML comment that hides the rest of the report, add HTML elements, or
 * carry raw terminal escape sequences into a file someone will `cat`.
 */
const TOKEN = "tok-AUDIT2-markdown-5e1f";
const ZONE_ID = "3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f80";

describe("the Markdown report quoting hostile live records", () => {
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
              {
                name: "a.example.com",
                type: "TXT",
                content: "<!-- everything after this is hidden",
                ttl: 300,
              },
              { name: "b.example.com", type: "TXT", content: "<details><summary>x</summary>", ttl: 300 },
              { name: "c.example.com", type: "TXT", content: "\u001b[2J\u001b[31mred", ttl: 300 },
              { name: "z.example.com", type: "TXT", content: "the last row", ttl: 300 },
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

  it("escapes HTML and control characters in the drift table, keeping every row", async () => {
    const run = await runCli(["drift", "--synth", dir, "--format", "markdown"], { env });
    expect(run.code).toBe(4);
    const md = run.stdout;
    expect(md).toContain("| delete | TXT | z.example.com | the last row |");
    expect(md).not.toContain("<!--");
    expect(md).not.toContain("<details>");
    expect(md).toContain("&lt;!-- everything after this is hidden");
    expect(md).not.toContain("\u001b");
    expect(md).toContain("\\u{001b}[2J");
  });
});
