import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedZoneFromDesired } from "../../checks/demo/seed.js";
import { readDesired } from "../../checks/desired/read.js";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import { runCli } from "../helpers/run-cli.js";
import { synthExample } from "../helpers/synth.js";
import { writeTfJson, zoneWithRecords } from "../helpers/tf-json.js";

const TOKEN = "tok-SECRET-hygiene-5b1d0e42";
const FORMATS = ["pretty", "json", "markdown", "sarif", "junit", "github"];

/**
 * The token must appear in no output on any path. The CLI's io is not scrubbed here, so this proves
 * the inner layers never write it (the real command also scrubs its output as a last defence).
 */
describe("token hygiene", () => {
  const out = synthExample();
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({
      token: TOKEN,
      seed: { zones: [seedZoneFromDesired((await readDesired(out)).zones[0]!, "full")] },
    });
  });
  afterAll(async () => {
    await emulator.close();
  });

  const paths = (): [string, NodeJS.ProcessEnv][] => [
    ["success", { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_BASE_URL: emulator.url }],
    ["refused token", { CLOUDFLARE_API_TOKEN: `${TOKEN}-wrong`, CLOUDFLARE_API_BASE_URL: emulator.url }],
    [
      "unreachable API",
      { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_BASE_URL: "http://127.0.0.1:9/client/v4" },
    ],
    [
      "bad base URL",
      { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_BASE_URL: `http://${TOKEN}@127.0.0.1:9/client/v4` },
    ],
  ];

  it.each(FORMATS)("check and drift in %s format, on success and failure paths", async (format) => {
    for (const [, env] of paths()) {
      for (const argv of [
        ["check", "--synth", out, "--no-probes", "--format", format],
        ["check", "--synth", out, "--no-probes", "--allow-unverified", "--format", format],
        ["drift", "--synth", out, "--format", format],
      ]) {
        const run = await runCli(argv, { env, scrub: false });
        expect(run.stdout + run.stderr, `${argv.join(" ")}`).not.toContain("tok-SECRET-hygiene");
      }
    }
  });

  it("the other commands and bad input", async () => {
    const env = { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_BASE_URL: emulator.url };
    const bad = writeTfJson(zoneWithRecords({ x: { name: "x.example.com", type: "A", content: "nope" } }));
    for (const argv of [
      ["rules"],
      ["rules", "--format", "json"],
      ["check", "--synth", bad],
      ["deploy", "--help"],
      ["emulator", "--port", "x"],
      ["--help"],
    ]) {
      const run = await runCli(argv, { env, scrub: false });
      expect(run.stdout + run.stderr, argv.join(" ")).not.toContain("tok-SECRET-hygiene");
    }
  });
});
