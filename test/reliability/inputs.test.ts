import { isUtf8 } from "node:buffer";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestCertificates } from "../../checks/demo/certificates.js";
import { ipv4Problem, ipv6Problem } from "../../checks/desired/ip-address.js";
import { readJsonFile } from "../../checks/desired/json-file.js";
import { InputError } from "../../checks/errors.js";
import { MAX_INPUT_BYTES, readTextFile } from "../../checks/input/read-text.js";
import { firstInvalidUtf8 } from "../../checks/input/utf8.js";
import { printable, quote, terminalSafe } from "../../checks/printable.js";
import { renderMarkdown } from "../../checks/report/render-markdown.js";
import { renderPretty } from "../../checks/report/render-pretty.js";
import { writeTfJson, zoneWithRecords } from "../helpers/tf-json.js";
import { sampleReport } from "../report/sample-report.js";
import { requireBuild, runCliProcess, tempDir } from "./process.js";

const ZONE = "${data.cloudflare_zone.main.zone_id}";
/** C0 (but line feed and tab), DEL, C1, and the replacement character left by undecodable bytes. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for raw control characters.
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffd]/;
const GOOD = writeTfJson(
  zoneWithRecords({ www: { name: "www.example.com", type: "A", content: "192.0.2.10", proxied: true } }),
);

/** One bad input: the command line, and what stderr must say besides naming the file. */
interface Case {
  readonly name: string;
  /** Returns the arguments after `check` (an `--output` is added) and the file the message must name. */
  readonly make: () => { args: string[]; file: string };
  readonly says: RegExp;
}

let rootPem = "";

const caCase = (name: string, text: string | Buffer, says: RegExp, extra: string[] = []): Case => ({
  name,
  make: () => {
    const file = join(tempDir("ca"), "ca.pem");
    writeFileSync(file, typeof text === "string" ? text.replace("ROOT", rootPem) : text);
    return { args: ["--synth", GOOD, "--no-live", ...extra, "--origin-ca", file], file };
  },
  says,
});

const synthCase = (name: string, document: unknown, says: RegExp): Case => ({
  name,
  make: () => {
    const file = writeTfJson(document);
    return { args: ["--synth", file, "--no-live", "--no-probes"], file };
  },
  says,
});

const origin = (fields: Record<string, unknown>) => ({
  ...zoneWithRecords({ www: { name: "www.example.com", type: "A", content: "192.0.2.10", proxied: true } }),
  "//": {
    cf_preflight: {
      schemaVersion: 2,
      zones: [
        {
          zone: "example.com",
          zoneId: ZONE,
          origins: [{ name: "web", ports: [{ port: 443, scheme: "https" }], ...fields }],
        },
      ],
    },
  },
});

const CASES: Case[] = [
  caCase("--origin-ca with no PEM block", "just some text\n", /the file holds no PEM block/),
  caCase(
    "--origin-ca whose block is base64 but no certificate",
    "-----BEGIN CERTIFICATE-----\nMIIBAAAAAAAA\n-----END CERTIFICATE-----\n",
    /PEM block 1 \(line 1\): expected a PEM certificate \(it does not parse as an X\.509 certificate/,
  ),
  caCase(
    "--origin-ca whose second block is corrupt",
    "ROOT\n# next\n-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n",
    /PEM block 2 \(line \d+\): expected a PEM certificate \(its content is not base64\)/,
  ),
  caCase(
    "--origin-ca holding a private key",
    "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n",
    /PEM block 1 .*expected a CERTIFICATE block \(it is a "PRIVATE KEY" block\)/,
  ),
  caCase("--origin-ca cut off", "-----BEGIN CERTIFICATE-----\nMIIB\n", /the block is cut off/),
  caCase(
    "--origin-ca that is not UTF-8 (DER)",
    Buffer.from([0x30, 0x82, 0x01, 0xff, 0xfe, 0x00]),
    /at byte offset 1 \(line 1\): expected UTF-8 text/,
  ),
  caCase("--origin-ca checked under --no-probes too", "nothing\n", /no PEM block/, ["--no-probes"]),
  {
    name: "--after with --no-live",
    make: () => ({ args: ["--synth", GOOD, "--no-live", "--no-probes", "--after"], file: "--after" }),
    says: /cannot run with --no-live/,
  },
  {
    name: "--connect-to checked under --no-probes",
    make: () => ({
      args: ["--synth", GOOD, "--no-live", "--no-probes", "--connect-to", "www.example.com:443"],
      file: "--connect-to",
    }),
    says: /expected HOST:PORT:ADDR:PORT/,
  },
  {
    name: "--synth /dev/zero (the size ceiling while reading)",
    make: () => ({ args: ["--synth", "/dev/zero", "--no-live", "--no-probes"], file: "/dev/zero" }),
    says: /expected a Terraform JSON file of at most 256 MiB \(it holds more than that\)/,
  },
  {
    name: "a sparse 300 MiB Terraform JSON file (the size ceiling from fstat)",
    make: () => {
      const file = join(tempDir("big"), "main.tf.json");
      execFileSync("truncate", ["-s", "300M", file]);
      return { args: ["--synth", file, "--no-live", "--no-probes"], file };
    },
    says: /at most 256 MiB \(it holds 314572800 bytes\)/,
  },
  {
    name: "Terraform JSON that is not UTF-8",
    make: () => {
      const file = writeTfJson("");
      writeFileSync(
        file,
        Buffer.concat([Buffer.from('{\n  "resource": "caf'), Buffer.from([0xe9, 0x1b]), Buffer.from('"}')]),
      );
      return { args: ["--synth", file, "--no-live", "--no-probes"], file };
    },
    says: /at byte offset 20 \(line 2\): expected UTF-8 text/,
  },
  {
    name: "binary garbage as --synth",
    make: () => {
      const file = writeTfJson("");
      writeFileSync(
        file,
        Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(64)]),
      );
      return { args: ["--synth", file, "--no-live", "--no-probes"], file };
    },
    says: /at byte offset 0 \(line 1\): expected UTF-8 text/,
  },
  {
    name: "--synth that is a symlink loop",
    make: () => {
      const dir = tempDir("loop");
      symlinkSync(join(dir, "b"), join(dir, "a"));
      symlinkSync(join(dir, "a"), join(dir, "b"));
      return { args: ["--synth", join(dir, "a"), "--no-live", "--no-probes"], file: join(dir, "a") };
    },
    says: /symlink loop \(ELOOP\)/,
  },
  {
    name: "a cdktf.out whose manifest.json is a symlink loop",
    make: () => {
      const dir = tempDir("loop");
      symlinkSync(join(dir, "manifest.json"), join(dir, "manifest.json"));
      return { args: ["--synth", dir, "--no-live", "--no-probes"], file: join(dir, "manifest.json") };
    },
    says: /symlink loop \(ELOOP\)/,
  },
  {
    name: "a --firewall export that is not UTF-8",
    make: () => {
      const file = join(tempDir("fw"), "web.nft");
      writeFileSync(file, Buffer.from([0x74, 0x61, 0x62, 0x6c, 0x65, 0x0a, 0xc0, 0xaf]));
      return {
        args: [
          "--synth",
          writeTfJson(origin({ ipv4: ["192.0.2.10"] })),
          "--no-live",
          "--no-probes",
          "--firewall",
          `web=${file}`,
        ],
        file,
      };
    },
    says: /at byte offset 6 \(line 2\): expected UTF-8 text \(an nft -j or iptables-save export\)/,
  },
  synthCase(
    "an AAAA record that is not an IPv6 address",
    zoneWithRecords({ v6: { name: "v6.example.com", type: "AAAA", content: "2001:db8::g" } }),
    /at cloudflare_dns_record\.v6\.content: expected an IPv6 address, got "2001:db8::g" \("g" is not a hex digit\)/,
  ),
  synthCase(
    "an A record out of range",
    zoneWithRecords({ v4: { name: "v4.example.com", type: "A", content: "192.0.2.300" } }),
    /expected an IPv4 address, got "192\.0\.2\.300" \(300 is more than 255\)/,
  ),
  synthCase(
    "an origin's IPv6 address with too few groups",
    origin({ ipv6: ["2001:db8:1:2:3:4:5"] }),
    /origins\[0\]\.ipv6\[0\]: expected an IPv6 address, got "2001:db8:1:2:3:4:5" \(it has 7 groups and no "::"; an IPv6 address has 8\)/,
  ),
  synthCase(
    "an origin's IPv4 address given in IPv6 form",
    origin({ ipv4: ["::1"] }),
    /origins\[0\]\.ipv4\[0\]: expected an IPv4 address, got "::1" \(it looks like an IPv6 address\)/,
  ),
  synthCase(
    "an allowlist CIDR with a prefix too long",
    origin({ ipv4: ["192.0.2.10"], allowlist: { cidrs: ["173.245.48.0/40"] } }),
    /allowlist\.cidrs\[0\]: expected a CIDR .*got "173\.245\.48\.0\/40" \(a prefix length of 40 is more than 32\)/,
  ),
  synthCase(
    "terminal escapes in a record's content",
    zoneWithRecords({ x: { name: "x.example.com", type: "A", content: "\u001b[2J\u001b]0;owned\u0007" } }),
    /got "\\u\{001b\}\[2J\\u\{001b\}\]0;owned\\u\{0007\}"/,
  ),
  {
    name: "JSON with raw control characters where V8 would quote them",
    make: () => {
      const file = writeTfJson("\u0000\u001b[31m\u0007 not json");
      return { args: ["--synth", file, "--no-live", "--no-probes"], file };
    },
    says: /expected valid JSON \(Terraform JSON\) \(Unexpected token '\\u\{0000\}'\)/,
  },
];

describe("bad inputs: exit 2, located, never echoed raw, nothing written", () => {
  const outcomes: boolean[] = [];

  beforeAll(() => {
    requireBuild();
    const dir = tempDir("certs");
    mkdirSync(dir, { recursive: true });
    rootPem = makeTestCertificates(dir, "www.example.com").rootPem;
  });
  afterAll(() => {
    console.log(
      `bad inputs ${outcomes.filter(Boolean).length}/${CASES.length} exit 2 located and nothing written`,
    );
  });

  it.each(CASES)("$name", async (c) => {
    const { args, file } = c.make();
    const out = join(tempDir("out"), "report.json");
    const run = await runCliProcess(["check", ...args, "--format", "json", "--output", out], {
      env: { PATH: process.env.PATH },
    });
    const ok = run.code === 2 && run.stderr.includes(file) && c.says.test(run.stderr) && !existsSync(out);
    outcomes.push(ok);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(file);
    expect(run.stderr).toMatch(c.says);
    expect(run.stdout).toBe("");
    expect(existsSync(out)).toBe(false);
    // Raw binary and control characters never reach the terminal: one line, printable.
    expect(run.stderr.trimEnd().split("\n").length).toBeLessThanOrEqual(2);
    expect(run.stderr).not.toMatch(RAW_CONTROL);
  });

  it("covers every input item of the issue", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
  });
});

describe("reading input files", () => {
  it("stops at the ceiling while reading a stream (no fstat size)", () => {
    expect(() => readTextFile("/dev/zero", "a test file", { maxBytes: 4096 })).toThrow(
      /at most 4096 bytes \(it holds more than that\)/,
    );
  });

  it("reads a file of exactly the ceiling, and drops a byte order mark", () => {
    const file = join(tempDir("read"), "f.json");
    writeFileSync(file, `\ufeff${"x".repeat(1021)}`);
    expect(readTextFile(file, "a test file", { maxBytes: 1024 })).toBe("x".repeat(1021));
    expect(MAX_INPUT_BYTES).toBe(256 * 1024 * 1024);
  });

  it("names a folder, a missing file and a loop for what they are", () => {
    const dir = tempDir("read");
    symlinkSync(join(dir, "self"), join(dir, "self"));
    const message = (path: string) => {
      try {
        readTextFile(path, "a test file");
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return (error as Error).message;
      }
      return "read";
    };
    expect(message(dir)).toContain("not a folder");
    expect(message(join(dir, "missing"))).toContain("it does not exist (ENOENT)");
    expect(message(join(dir, "self"))).toContain("symlink loop (ELOOP)");
  });

  it("finds the first invalid UTF-8 byte exactly where Node's own check disagrees", () => {
    for (let i = 0; i < 2000; i++) {
      const bytes = randomBytes(1 + (i % 16));
      const at = firstInvalidUtf8(bytes);
      expect(at === -1, bytes.toString("hex")).toBe(isUtf8(bytes));
      if (at >= 0) expect(isUtf8(bytes.subarray(0, at)), bytes.toString("hex")).toBe(true);
    }
    for (const valid of ["é", "€", "𝄞", "\u{10ffff}"]) expect(firstInvalidUtf8(Buffer.from(valid))).toBe(-1);
    // Overlong "/", a UTF-16 surrogate, beyond U+10FFFF.
    for (const bad of [
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
    ]) {
      expect(firstInvalidUtf8(Buffer.from(bad))).toBe(0);
    }
  });
});

describe("JSON parse errors never quote the file", () => {
  it.each([
    '{"resource": confidential-value-1234567890}',
    `${"x".repeat(40)}confidential-value-1234567890`,
    '{"a": 1} confidential-value-1234567890',
  ])("%s", (text) => {
    const file = writeTfJson(text);
    let message = "";
    try {
      readJsonFile(file, "Terraform JSON");
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("expected valid JSON (Terraform JSON)");
    expect(message).not.toContain("confidential");
    expect(message).not.toContain("is not valid JSON");
  });
});

describe("address messages say what was wrong", () => {
  it.each([
    ["2001:db8::g", '"g" is not a hex digit'],
    ["2001:db8::1::2", '"::" appears more than once'],
    ["[2001:db8::1]", "write it without brackets"],
    ["2001:db8::/32", "it is a CIDR, not a single address"],
    ["12345::1", 'the group "12345" has more than 4 hex digits'],
    ["1:2:3:4:5:6:7:8:9", "it has 9 groups; an IPv6 address has at most 8"],
    ["::ffff:192.0.2.999", 'its embedded IPv4 part "192.0.2.999" is not valid: 999 is more than 255'],
    ["192.0.2.1", "it is an IPv4 address"],
  ])("IPv6 %s: %s", (value, reason) => {
    expect(ipv6Problem(value)).toBe(reason);
  });

  it.each([
    ["192.0.2", "it has 3 part(s) separated by dots; an IPv4 address has 4"],
    ["192.0.2.01", '"01" has a leading zero'],
    ["192.0.2.x", '"x" is not a decimal digit'],
    ["192.0..2", "a part between the dots is empty"],
  ])("IPv4 %s: %s", (value, reason) => {
    expect(ipv4Problem(value)).toBe(reason);
  });

  it("accepts what zod accepts", () => {
    expect(ipv6Problem("2001:db8::1")).toBeUndefined();
    expect(ipv6Problem("::ffff:192.0.2.1")).toBeUndefined();
    expect(ipv4Problem("192.0.2.1")).toBeUndefined();
  });
});

describe("values are quoted printable", () => {
  it("escapes control, bidi and zero-width characters, and cuts long values", () => {
    expect(quote('a"b\\c\u0000\u001b\u202e\u200b')).toBe('"a\\"b\\\\c\\u{0000}\\u{001b}\\u{202e}\\u{200b}"');
    expect(quote("x".repeat(500))).toMatch(/^"x{120}… \(500 characters\)"$/);
    expect(printable("line\nnext")).toBe("line\\u{000a}next");
  });

  it("keeps the CLI's own colours and line erasing on a terminal, and escapes the rest", () => {
    expect(terminalSafe("\u001b[31mred\u001b[0m\r\u001b[2Kline\n")).toBe(
      "\u001b[31mred\u001b[0m\r\u001b[2Kline\n",
    );
    expect(terminalSafe("evil \u001b]0;title\u0007 \u009b")).toBe(
      "evil \\u{001b}]0;title\\u{0007} \\u{009b}",
    );
  });
});

describe("a run whose probes could not run never says --no-probes", () => {
  it("the footer gives the reason instead", () => {
    const report = sampleReport();
    const failed = {
      ...report,
      coverage: {
        ...report.coverage,
        probes: false,
        probesSkipped: "probes could not run: no route to the resolver",
      },
    };
    for (const text of [renderPretty(failed, { color: false }), renderMarkdown(failed)]) {
      expect(text).toContain("not run (probes could not run: no route to the resolver)");
      expect(text).not.toContain("--no-probes");
    }
  });
});
