import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { writeTfJson, zoneWithRecords } from "../helpers/tf-json.js";

const ZONE = "${data.cloudflare_zone.main.zone_id}";

function declarations(zones: unknown[], schemaVersion = 1) {
  return { "//": { cf_preflight: { schemaVersion, zones } } };
}

function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "cfpl-bad-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const MANIFEST = JSON.stringify({
  version: "0.21.0",
  stacks: { web: { synthesizedStackPath: "stacks/web/cdk.tf.json" } },
});

interface Case {
  name: string;
  /** Makes the input; returns [path, extra args]. */
  input: () => [string, string[]?];
  /** Pieces the message must hold: the file (true: the input path), the path inside it, the expectation. */
  file?: string | true;
  path?: string;
  expected: string | RegExp;
}

const cases: Case[] = [
  {
    name: "invalid JSON",
    input: () => [writeTfJson('{"resource": {,}}')],
    file: true,
    path: "line 1, column 15",
    expected: "valid JSON",
  },
  { name: "an empty file", input: () => [writeTfJson("  \n")], file: true, expected: "the file is empty" },
  {
    name: "a top level that is not an object",
    input: () => [writeTfJson("[1, 2]")],
    file: true,
    path: "(top level)",
    expected: "a Terraform configuration (an object of blocks)",
  },
  {
    name: "a TTL of the wrong type",
    input: () => [
      writeTfJson(
        zoneWithRecords({
          www: { name: "www.example.com", type: "A", content: "192.0.2.1", ttl: "three hundred" },
        }),
      ),
    ],
    file: true,
    path: "cloudflare_dns_record.www.ttl",
    expected: "a number",
  },
  {
    name: "an unknown record type",
    input: () => [writeTfJson(zoneWithRecords({ x: { name: "x.example.com", type: "AXFR", content: "a" } }))],
    file: true,
    path: "cloudflare_dns_record.x.type",
    expected: "a DNS record type the API accepts",
  },
  {
    name: "an invalid IPv4 address",
    input: () => [
      writeTfJson(zoneWithRecords({ www: { name: "www.example.com", type: "A", content: "192.0.2.300" } })),
    ],
    file: true,
    path: "cloudflare_dns_record.www.content",
    expected: 'an IPv4 address, got "192.0.2.300"',
  },
  {
    name: "an invalid IPv6 address",
    input: () => [
      writeTfJson(zoneWithRecords({ v6: { name: "v6.example.com", type: "AAAA", content: "2001:db8::zz" } })),
    ],
    file: true,
    path: "cloudflare_dns_record.v6.content",
    expected: "an IPv6 address",
  },
  {
    name: "an invalid CIDR in an allowlist",
    input: () => [
      writeTfJson({
        ...zoneWithRecords({ www: { name: "www.example.com", type: "A", content: "192.0.2.1" } }),
        ...declarations([
          {
            zone: "example.com",
            zoneId: ZONE,
            origins: [
              {
                name: "web",
                ipv4: ["192.0.2.1"],
                ports: [{ port: 443, scheme: "https" }],
                allowlist: { cidrs: ["173.245.48.0/40"] },
              },
            ],
          },
        ]),
      }),
    ],
    file: true,
    path: "//.cf_preflight.zones[0].origins[0].allowlist.cidrs[0]",
    expected: "a CIDR",
  },
  {
    name: "a record without a zone",
    input: () => [
      writeTfJson({
        resource: {
          cloudflare_dns_record: {
            www: { name: "www.example.com", type: "A", content: "192.0.2.1", ttl: 1 },
          },
        },
      }),
    ],
    file: true,
    path: "cloudflare_dns_record.www.zone_id",
    expected: "a zone_id",
  },
  {
    name: "a reference to a zone that is not declared",
    input: () => [
      writeTfJson({
        resource: {
          cloudflare_dns_record: {
            www: {
              zone_id: "${data.cloudflare_zone.other.zone_id}",
              name: "www",
              type: "A",
              content: "192.0.2.1",
              ttl: 1,
            },
          },
        },
      }),
    ],
    file: true,
    path: "cloudflare_dns_record.www.zone_id",
    expected: "a reference to something this module declares",
  },
  {
    name: "a declarations schema version from the future",
    input: () => [writeTfJson({ ...zoneWithRecords({}), ...declarations([], 99) })],
    file: true,
    path: "//.cf_preflight.schemaVersion",
    expected: "a schema version this cf-preflight understands",
  },
  {
    name: "a folder without a manifest",
    input: () => [folderWith({ "stacks/web/cdk.tf.json": "{}" })],
    file: true,
    expected: "a cdktf.out/cdktn.out folder (manifest.json) or a folder of .tf / .tf.json files",
  },
  {
    name: "a stack name that does not exist",
    input: () => [
      folderWith({ "manifest.json": MANIFEST, "stacks/web/cdk.tf.json": "{}" }),
      ["--stack", "api"],
    ],
    file: "manifest.json",
    path: "stacks",
    expected: "a stack named api (stacks: web)",
  },
  {
    name: "a manifest that is not valid JSON",
    input: () => [folderWith({ "manifest.json": "{ stacks: " })],
    file: "manifest.json",
    path: "line 1, column 3",
    expected: "valid JSON (cdktf manifest)",
  },
  {
    name: "an SSL mode that does not exist",
    input: () => [
      writeTfJson(
        zoneWithRecords(
          {},
          { cloudflare_zone_setting: { ssl: { zone_id: ZONE, setting_id: "ssl", value: "very-strict" } } },
        ),
      ),
    ],
    file: true,
    path: "cloudflare_zone_setting.ssl.value",
    expected: "an SSL mode (off, flexible, full, strict)",
  },
  {
    name: "a hostname routed to an origin that is not declared",
    input: () => [
      writeTfJson({
        ...zoneWithRecords({ www: { name: "www.example.com", type: "A", content: "192.0.2.1" } }),
        ...declarations([
          {
            zone: "example.com",
            zoneId: ZONE,
            hostnames: [{ fqdn: "www.example.com", origin: "ghost", proxied: true }],
          },
        ]),
      }),
    ],
    file: true,
    path: "//.cf_preflight.zones[0].hostnames[0].origin",
    expected: "an origin declared in this zone",
  },
  {
    name: "a zone_id that is neither a zone id nor an expression",
    input: () => [
      writeTfJson({
        resource: {
          cloudflare_record: { www: { zone_id: "abc", name: "www", type: "A", value: "192.0.2.1" } },
        },
      }),
    ],
    file: true,
    path: "cloudflare_record.www.zone_id",
    expected: "a zone id (32 hexadecimal characters) or a reference to a cloudflare_zone",
  },
  {
    name: "malformed HCL",
    input: () => [folderWith({ "main.tf": 'resource "cloudflare_record" "www" {\n  name = "www"\n' })],
    file: "main.tf",
    path: "line 1, column",
    expected: "valid HCL",
  },
  {
    name: "a module source that does not exist",
    input: () => [folderWith({ "main.tf": 'module "dns" {\n  source = "./modules/dns"\n}\n' })],
    file: "main.tf",
    path: "module.dns.source",
    expected: "a module folder that exists",
  },
  {
    name: "a cf_preflight output of the wrong shape",
    input: () => [
      folderWith({
        "main.tf":
          'resource "cloudflare_record" "www" {\n  zone_id = "0123456789abcdef0123456789abcdef"\n  name = "www"\n  type = "A"\n  value = "192.0.2.1"\n}\noutput "cf_preflight" {\n  value = { schemaVersion = 2, zones = [{ zone = "example.com", origins = "web" }] }\n}\n',
      }),
    ],
    file: "main.tf",
    path: "output.cf_preflight.zones[0].origins",
    expected: "an array",
  },
  {
    name: "a plan of another format version",
    input: () => [writeTfJson({ format_version: "2.0", resource_changes: [] }, "plan.json"), ["--plan"]],
    file: true,
    path: "format_version",
    expected: "format_version 1.x",
  },
  {
    name: "a state file given as a plan",
    input: () => [
      writeTfJson({ format_version: "1.0", values: { root_module: {} } }, "state.json"),
      ["--plan"],
    ],
    file: true,
    expected: "this is a state file",
  },
  {
    name: "a --config file of the wrong shape",
    input: () => [
      writeTfJson(zoneWithRecords({ www: { name: "www.example.com", type: "A", content: "192.0.2.1" } })),
      [
        "--config",
        writeTfJson({ schemaVersion: 2, zones: [{ zone: "example.com", hostnames: {} }] }, "preflight.json"),
      ],
    ],
    file: "preflight.json",
    path: "zones[0].hostnames",
    expected: "an array",
  },
  {
    name: "a file that declares nothing to check",
    input: () => [writeTfJson({ resource: { aws_instance: { web: { ami: "x" } } } })],
    file: true,
    expected: "at least one Cloudflare zone",
  },
  {
    name: "a path that does not exist",
    input: () => [join(tmpdir(), "cfpl-does-not-exist", "cdktf.out")],
    file: true,
    expected: "it does not exist",
  },
  {
    name: "a zone setting without a zone",
    input: () => [
      writeTfJson(
        zoneWithRecords({}, { cloudflare_zone_setting: { ssl: { setting_id: "ssl", value: "full" } } }),
      ),
    ],
    file: true,
    path: "cloudflare_zone_setting.ssl.zone_id",
    expected: "a zone_id",
  },
];

describe("bad input ends in exit 2 with the file, the path and the expectation, and writes nothing", () => {
  it.each(cases)("$name", async (c) => {
    const [path, extra = []] = c.input();
    const out = join(mkdtempSync(join(tmpdir(), "cfpl-out-")), "report.json");
    const asPlan = extra[0] === "--plan";
    const run = await runCli([
      "check",
      asPlan ? "--plan" : "--synth",
      path,
      ...(asPlan ? extra.slice(1) : extra),
      "--no-live",
      "--no-probes",
      "--format",
      "json",
      "--output",
      out,
    ]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    const file = c.file === true ? path : c.file;
    if (file) expect(run.stderr).toContain(file);
    if (c.path) expect(run.stderr).toContain(`at ${c.path}`);
    expect(run.stderr).toMatch(
      c.expected instanceof RegExp
        ? c.expected
        : new RegExp(`expected .*${escapeRegExp(c.expected)}|${escapeRegExp(c.expected)}`),
    );
    expect(existsSync(out)).toBe(false);
  });

  it("covers at least 15 malformed inputs", () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });
});

describe("bad usage ends in exit 2 and names the option", () => {
  it.each([
    [["check", "--format", "xml"], "--format: expected one of pretty, json"],
    [["check", "--connect-timeout", "soon"], "--connect-timeout: expected a number of seconds"],
    [["check", "--vantage", "inside"], "--vantage: expected allowed or outside"],
    [["check", "--bogus"], "Unknown option '--bogus'"],
    [["check", "--format", "json", "--format", "pretty"], "only one format can go to stdout"],
    [["frobnicate"], 'unknown command "frobnicate"'],
  ])("%j", async (argv, message) => {
    const run = await runCli(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
