/**
 * The build's training run for a compiled program's code cache (`cli/compiled.ts`, `makeCodeCache`):
 * `drift` in the build's own process against the API emulator on loopback, over a small account
 * that holds what real configurations hold (a zone found by name and one managed in code, records of
 * the common types with count and for_each, an SSL setting, Origin Rules, a Page Rule), once as
 * Terraform JSON and once as a folder of `.tf` files, with every report format. Whatever V8 compiles
 * on the way is in the cache the build writes, so a user's first run does not compile it again.
 *
 * Nothing leaves the machine: the emulator listens on 127.0.0.1 and the files are in a temporary
 * folder removed at the end.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Io } from "../cli/io.js";
import { type Emulator, startEmulator } from "../emulator/index.js";
import type { ZoneSeed } from "../emulator/seed.js";

const TOKEN = "training-token-0123456789abcdef";
const FORMATS = ["json", "pretty", "markdown", "junit", "sarif", "github"] as const;
/** `drift` exits 4 when it finds differences (the training account has some) and 0 when none. */
const EXPECTED_EXITS: readonly number[] = [0, 4];

interface TrainableProgram {
  run(argv: readonly string[], io: Io): Promise<number>;
}

const LIVE: ZoneSeed[] = [
  {
    name: "train-a.test",
    ssl: "full",
    originRules: [{ expression: 'http.host eq "api.train-a.test"', port: 8443, description: "api port" }],
    pageRules: [{ target: "old.train-a.test/*", ssl: "flexible" }],
    records: [
      { name: "train-a.test", type: "A", content: "198.18.0.1", proxied: true },
      { name: "www", type: "CNAME", content: "train-a.test", proxied: true },
      { name: "api", type: "A", content: "198.18.0.2", proxied: true },
      { name: "v6", type: "AAAA", content: "2001:2::1", proxied: true },
      { name: "train-a.test", type: "MX", content: "mx1.train-a.test", priority: 10 },
      { name: "train-a.test", type: "TXT", content: '"v=spf1 -all"' },
      { name: "old", type: "A", content: "198.18.0.9", proxied: false, ttl: 300 },
      { name: "h0", type: "A", content: "198.18.1.0", proxied: true },
      { name: "h1", type: "A", content: "198.18.1.1", proxied: true },
    ],
  },
  {
    name: "train-b.test",
    ssl: "strict",
    records: [
      { name: "train-b.test", type: "A", content: "198.18.2.1", proxied: true },
      { name: "mail", type: "CNAME", content: "mail.provider.test", proxied: false, ttl: 3600 },
    ],
  },
];

/** The same account as code (Terraform JSON, provider 5.x names), with a few changes. */
function terraformJson(): unknown {
  const zoneA = "${data.cloudflare_zone.a.zone_id}";
  const zoneB = "${cloudflare_zone.b.id}";
  return {
    variable: { origin: { type: "string", default: "198.18.0.3" } },
    locals: { hosts: { web: "198.18.1.0", app: "198.18.1.1" } },
    data: { cloudflare_zone: { a: { filter: { name: "train-a.test" } } } },
    resource: {
      cloudflare_zone: { b: { account: { id: "0123456789abcdef0123456789abcdef" }, name: "train-b.test" } },
      cloudflare_dns_record: {
        apex: {
          zone_id: zoneA,
          name: "train-a.test",
          type: "A",
          content: "198.18.0.1",
          proxied: true,
          ttl: 1,
        },
        www: { zone_id: zoneA, name: "www", type: "CNAME", content: "train-a.test", proxied: true, ttl: 1 },
        api: { zone_id: zoneA, name: "api", type: "A", content: "${var.origin}", proxied: true, ttl: 1 },
        v6: { zone_id: zoneA, name: "v6", type: "AAAA", content: "2001:2::1", proxied: true, ttl: 1 },
        mx: { zone_id: zoneA, name: "@", type: "MX", content: "mx1.train-a.test", priority: 10, ttl: 1 },
        spf: { zone_id: zoneA, name: "@", type: "TXT", content: '"v=spf1 -all"', ttl: 1 },
        hosts: {
          for_each: "${local.hosts}",
          zone_id: zoneA,
          name: "${each.key}",
          type: "A",
          content: "${each.value}",
          proxied: true,
          ttl: 1,
        },
        counted: {
          count: 2,
          zone_id: zoneB,
          name: "n${count.index}",
          type: "A",
          content: "198.18.2.${count.index + 10}",
          proxied: false,
          ttl: 300,
        },
      },
      cloudflare_zone_setting: { ssl_a: { zone_id: zoneA, setting_id: "ssl", value: "strict" } },
      cloudflare_ruleset: {
        origin_a: {
          zone_id: zoneA,
          name: "origin",
          kind: "zone",
          phase: "http_request_origin",
          rules: [
            {
              expression: '(http.host eq "api.train-a.test")',
              action: "route",
              action_parameters: { origin: { port: 8443 } },
              enabled: true,
            },
          ],
        },
      },
    },
  };
}

/** The first zone again as HCL, read through the HCL parser and the evaluator's HCL paths. */
const MAIN_TF = `
terraform {
  required_providers {
    cloudflare = { source = "cloudflare/cloudflare", version = "~> 4.40" }
  }
}
variable "origins" {
  type    = map(object({ address = string, proxied = optional(bool, true) }))
  default = { web = { address = "198.18.1.0" }, app = { address = "198.18.1.1", proxied = false } }
}
locals {
  names = [for name, origin in var.origins : upper(name) if origin.proxied]
}
data "cloudflare_zone" "a" {
  name = "train-a.test"
}
resource "cloudflare_record" "origins" {
  for_each = var.origins
  zone_id  = data.cloudflare_zone.a.id
  name     = each.key
  type     = "A"
  value    = each.value.address
  proxied  = each.value.proxied
}
resource "cloudflare_record" "www" {
  zone_id = data.cloudflare_zone.a.id
  name    = "www"
  type    = "CNAME"
  value   = "train-a.test"
  proxied = length(local.names) > 0
}
`;

/**
 * Run `program` (a compiled `drift`) on the training account until every format and both input
 * kinds have run once. Throws when a run does not end as a drift does (exit 0 or 4).
 */
export async function trainDrift(program: unknown): Promise<void> {
  const runnable = program as Partial<TrainableProgram>;
  if (typeof runnable.run !== "function") throw new Error("the compiled program exports no run()");
  const dir = mkdtempSync(join(tmpdir(), "cfpl-train-"));
  let emulator: Emulator | undefined;
  try {
    emulator = await startEmulator({ token: TOKEN, seed: { zones: LIVE } });
    const json = join(dir, "main.tf.json");
    writeFileSync(json, JSON.stringify(terraformJson()));
    const folder = join(dir, "hcl");
    mkdirSync(folder);
    writeFileSync(join(folder, "main.tf"), MAIN_TF);
    const env = { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_BASE_URL: emulator.url };
    const inputs = [json, folder];
    for (const [i, format] of FORMATS.entries()) {
      const input = inputs[i % inputs.length] as string;
      const out: string[] = [];
      const io: Io = {
        stdout: (text) => out.push(text),
        stderr: (text) => out.push(text),
        env,
        cwd: dir,
        stdoutIsTty: false,
        stderrIsTty: false,
        signal: new AbortController().signal,
        scrub: (text) => text,
      };
      const code = await runnable.run(["drift", "--synth", input, "--format", format], io);
      if (!EXPECTED_EXITS.includes(code))
        throw new Error(
          `drift --format ${format} on ${input} exited ${code}: ${out.join("").slice(0, 2000)}`,
        );
    }
  } finally {
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
