import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedZoneFromDesired } from "../../checks/demo/seed.js";
import { readDesired } from "../../checks/desired/read.js";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import { createScrubber, MIN_SECRET_FRAGMENT, REDACTED_TOKEN, redactUserinfo } from "../../checks/scrub.js";
import { synthExample } from "../helpers/synth.js";
import { writeTfJson } from "../helpers/tf-json.js";
import { filesUnder, requireBuild, runCliProcess, tempDir } from "./process.js";

/** A token shaped like Cloudflare's (40 characters), with characters that URL-encoding changes. */
const TOKEN = "kX9vQ2mR7tL4wZ8p/N3bH6cJ1fD5+gS0aEyUiO2q";
const PASSWORD = "hunter2-Pa55word-xyz";

/** Every secret piece that must never be written: the token, each of its 8-character windows, its encoded form, the password. */
function leaks(text: string): string[] {
  const found: string[] = [];
  for (const secret of [TOKEN, encodeURIComponent(TOKEN)]) {
    for (let i = 0; i + MIN_SECRET_FRAGMENT <= secret.length; i++) {
      const piece = secret.slice(i, i + MIN_SECRET_FRAGMENT);
      if (text.includes(piece)) found.push(piece);
    }
  }
  if (text.includes(PASSWORD)) found.push(PASSWORD);
  return found;
}

describe("the one scrubber", () => {
  const scrub = createScrubber([TOKEN]);

  it("removes the token, its URL-encoded and JSON-escaped forms", () => {
    for (const form of [TOKEN, encodeURIComponent(TOKEN), JSON.stringify(TOKEN).slice(1, -1)]) {
      const out = scrub(`before ${form} after`);
      expect(out).toBe(`before ${REDACTED_TOKEN} after`);
    }
  });

  it("removes every fragment of 8 characters or more, wherever it starts", () => {
    for (let length = MIN_SECRET_FRAGMENT; length <= TOKEN.length; length += 3) {
      for (let start = 0; start + length <= TOKEN.length; start += 5) {
        const piece = TOKEN.slice(start, start + length);
        const out = scrub(`x"${piece}"y`);
        expect(out, piece).toBe(`x"${REDACTED_TOKEN}"y`);
      }
    }
  });

  it("keeps shorter pieces and unrelated text untouched (no false alarms)", () => {
    const seven = TOKEN.slice(3, 10);
    expect(scrub(`a ${seven} b`)).toBe(`a ${seven} b`);
    const report = '{"rule":"origin-tcp","message":"www.example.com -> 192.0.2.10:443 refused"}';
    expect(scrub(report)).toBe(report);
  });

  it("removes fragments that touch or overlap, and several in one text", () => {
    const text = `${TOKEN.slice(0, 12)}${TOKEN.slice(20, 30)} and ${TOKEN.slice(5, 25)}`;
    expect(leaks(scrub(text))).toEqual([]);
  });

  it("replaces URL userinfo and keeps the rest of the URL", () => {
    expect(redactUserinfo(`GET https://admin:${PASSWORD}@api.example.net/client/v4 failed`)).toBe(
      "GET https://[redacted]@api.example.net/client/v4 failed",
    );
    expect(redactUserinfo("see https://example.com/a@b and mailto:x@y")).toBe(
      "see https://example.com/a@b and mailto:x@y",
    );
    expect(scrub(`"url":"http://u:${PASSWORD}@127.0.0.1:9/x"`)).toBe(
      '"url":"http://[redacted]@127.0.0.1:9/x"',
    );
  });

  it("is the same whether a text is scrubbed once or twice", () => {
    const text = `${TOKEN} https://a:b@c/ ${TOKEN.slice(9, 19)}`;
    expect(scrub(scrub(text))).toBe(scrub(text));
  });
});

/**
 * An API stand-in that misbehaves with secrets: it echoes parts of the token in its errors, or
 * answers a server error whose HTML page quotes the token whole and URL-encoded.
 */
function hostileApi(mode: "echo-403" | "html-500" | "success-false"): Promise<Server> {
  const server = createServer((req, res) => {
    if (mode === "echo-403") {
      res.writeHead(403, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          success: false,
          errors: [
            { code: 9109, message: `Invalid access token ${TOKEN.slice(4, 20)} for ${req.url}` },
            { code: 10000, message: `Authentication error (${TOKEN.slice(22, 33)})` },
          ],
          messages: [],
          result: null,
        }),
      );
    } else if (mode === "success-false") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          success: false,
          errors: [{ code: 1000, message: `bad token ${TOKEN.slice(12, 28)}` }],
          result: null,
        }),
      );
    } else {
      res.writeHead(500, { "content-type": "text/html" });
      res.end(`<html><body>Internal error for Bearer ${TOKEN} (${encodeURIComponent(TOKEN)})</body></html>`);
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const FORMATS = ["json", "markdown", "sarif", "junit", "github", "pretty"] as const;
const EXTENSION = {
  json: "json",
  markdown: "md",
  sarif: "sarif",
  junit: "xml",
  github: "txt",
  pretty: "txt",
};

/** All six formats: one on stdout (`toStdout`), the others into files under `dir`. */
function allFormats(dir: string, toStdout: (typeof FORMATS)[number]): string[] {
  const filed = FORMATS.filter((f) => f !== toStdout);
  return [
    ...filed.flatMap((f) => ["--format", f]),
    "--format",
    toStdout,
    ...filed.flatMap((f) => ["--output", join(dir, `report-${f}.${EXTENSION[f]}`)]),
  ];
}

describe("no secret in any output of the installed command, on every path", () => {
  const out = synthExample();
  let emulator: Emulator;
  const hostile: Partial<Record<"echo-403" | "html-500" | "success-false", string>> = {};
  const servers: Server[] = [];
  let scanned = 0;
  let found = 0;
  /** Count what was scanned and found, and fail on any leak. */
  const scan = (text: string, label: string) => {
    scanned++;
    const leaked = leaks(text);
    found += leaked.length;
    expect(leaked, label).toEqual([]);
  };

  beforeAll(async () => {
    requireBuild();
    emulator = await startEmulator({
      token: TOKEN,
      seed: { zones: [seedZoneFromDesired((await readDesired(out)).zones[0]!, "full")] },
    });
    for (const mode of ["echo-403", "html-500", "success-false"] as const) {
      const server = await hostileApi(mode);
      servers.push(server);
      hostile[mode] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`;
    }
  });
  afterAll(async () => {
    await emulator.close();
    for (const server of servers) await new Promise((r) => server.close(r));
    console.log(
      `secret scan: ${scanned} texts (stdout, stderr, report files) scanned, token fragments found ${found}`,
    );
  });

  const userinfo = (url: string) => url.replace("http://", `http://admin:${PASSWORD}@`);

  const paths = (): { name: string; env: NodeJS.ProcessEnv; exits: number[] }[] => [
    { name: "success", env: { CLOUDFLARE_API_BASE_URL: emulator.url }, exits: [0, 1] },
    {
      name: "success with CLOUDFLARE_LOG=debug",
      env: { CLOUDFLARE_API_BASE_URL: emulator.url, CLOUDFLARE_LOG: "debug" },
      exits: [0, 1],
    },
    {
      name: "API echoes token fragments (403)",
      env: { CLOUDFLARE_API_BASE_URL: hostile["echo-403"] },
      exits: [0, 1],
    },
    {
      name: "API quotes the token in an HTML 500",
      env: { CLOUDFLARE_API_BASE_URL: hostile["html-500"] },
      exits: [0, 1],
    },
    {
      name: "API answers 200 with success:false echoing the token",
      env: { CLOUDFLARE_API_BASE_URL: hostile["success-false"] },
      exits: [0, 1],
    },
    // A base URL with a user name or password is refused as bad configuration (exit 2) before any
    // request; the message must still not carry the password.
    {
      name: "a password in CLOUDFLARE_API_BASE_URL",
      env: { CLOUDFLARE_API_BASE_URL: userinfo(emulator.url) },
      exits: [2],
    },
    {
      name: "a password in an unreachable CLOUDFLARE_API_BASE_URL",
      env: { CLOUDFLARE_API_BASE_URL: "http://admin:hunter2-Pa55word-xyz@127.0.0.1:9/client/v4" },
      exits: [2],
    },
  ];

  // Every format is scanned on every path: five in files, one on stdout (the terminal report, and
  // JSON, which must still parse whatever the SDK logs).
  it.each([
    "pretty",
    "json",
  ] as const)("check --allow-unverified with %s on stdout and the other five formats in files", async (toStdout) => {
    for (const path of paths()) {
      const dir = tempDir("secrets");
      const run = await runCliProcess(
        ["check", "--synth", out, "--no-probes", "--allow-unverified", ...allFormats(dir, toStdout)],
        { env: { PATH: process.env.PATH, CLOUDFLARE_API_TOKEN: TOKEN, ...path.env } },
      );
      expect(path.exits, `${path.name}: exit ${run.code}\n${run.stderr}`).toContain(run.code);
      const files = filesUnder(dir);
      expect(files).toHaveLength(run.code === 2 ? 0 : 5);
      for (const text of [run.stdout, run.stderr, ...files.map((f) => f.text)])
        scan(text, `${path.name}, ${toStdout} on stdout`);
      if (toStdout === "json" && run.code !== 2)
        expect(() => JSON.parse(run.stdout), path.name).not.toThrow();
    }
  });

  it("check and drift that fail closed (exit 3) write no secret on stderr", async () => {
    // success:false with HTTP 200 is judged by the API boundary (issue 12, another part): here only
    // its messages matter.
    for (const path of paths().filter((p) => !p.name.startsWith("success"))) {
      for (const argv of [
        ["check", "--synth", out, "--no-probes", "--format", "json"],
        ["drift", "--synth", out, "--format", "markdown"],
      ]) {
        const dir = tempDir("secrets");
        const run = await runCliProcess([...argv, "--output", join(dir, "report")], {
          env: { PATH: process.env.PATH, CLOUDFLARE_API_TOKEN: TOKEN, ...path.env },
        });
        if (!path.name.includes("success:false")) {
          expect(run.code, `${path.name}: ${run.stderr}`).toBe(path.exits.includes(2) ? 2 : 3);
          expect(filesUnder(dir)).toEqual([]);
        }
        for (const text of [run.stdout, run.stderr]) scan(text, `${path.name} ${argv[0]}`);
      }
    }
  });

  it("the SDK's debug log goes to stderr, scrubbed, and stdout stays a clean report", async () => {
    const run = await runCliProcess(["check", "--synth", out, "--no-probes", "--format", "json"], {
      env: {
        PATH: process.env.PATH,
        CLOUDFLARE_API_TOKEN: TOKEN,
        CLOUDFLARE_API_BASE_URL: emulator.url,
        CLOUDFLARE_LOG: "debug",
      },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/sending request|response/);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
    scan(run.stdout, "CLOUDFLARE_LOG=debug stdout");
    scan(run.stderr, "CLOUDFLARE_LOG=debug stderr");
  });

  it("bad input quoting the token (a JSON syntax error next to it) is exit 2 with no secret", async () => {
    const bad = writeTfJson(`{"resource": {"cloudflare_dns_record": {"x": {"comment": "${TOKEN}" ,, }}}}`);
    const tokenOnly = writeTfJson(`{"resource": ${TOKEN}}`);
    for (const file of [bad, tokenOnly]) {
      for (const format of FORMATS) {
        const dir = tempDir("secrets");
        const run = await runCliProcess(
          [
            "check",
            "--synth",
            file,
            "--no-live",
            "--no-probes",
            "--format",
            format,
            "--output",
            join(dir, "r"),
          ],
          { env: { PATH: process.env.PATH, CLOUDFLARE_API_TOKEN: TOKEN } },
        );
        expect(run.code).toBe(2);
        expect(run.stderr).toContain(file);
        expect(filesUnder(dir)).toEqual([]);
        scan(run.stdout, `bad input, ${format}`);
        scan(run.stderr, `bad input, ${format}`);
      }
    }
  });
});
