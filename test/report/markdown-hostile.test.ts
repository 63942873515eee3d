import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { codeAndLiveZone } from "./live-zone.js";

/**
 * Live records are data a third party may have written (an integration, a compromised dashboard
 * account). The Markdown report goes to `$GITHUB_STEP_SUMMARY` and pull request comments: a record's
 * content must not open an HTML comment that hides the rest of the report, add HTML elements, or
 * carry raw terminal escape sequences into a file someone will `cat`.
 */
const TOKEN = "tok-AUDIT2-markdown-5e1f";

describe("the Markdown report quoting hostile live records", () => {
  const zone = codeAndLiveZone(TOKEN, [
    { name: "a.example.com", type: "TXT", content: "<!-- everything after this is hidden", ttl: 300 },
    { name: "b.example.com", type: "TXT", content: "<details><summary>x</summary>", ttl: 300 },
    { name: "c.example.com", type: "TXT", content: "\u001b[2J\u001b[31mred", ttl: 300 },
    { name: "z.example.com", type: "TXT", content: "the last row", ttl: 300 },
  ]);

  it("escapes HTML and control characters in the drift table, keeping every row", async () => {
    const run = await runCli(["drift", "--synth", zone.dir, "--format", "markdown"], { env: zone.env() });
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
