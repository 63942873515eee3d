import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataCloudflareZone } from "@cdktf/provider-cloudflare/lib/data-cloudflare-zone/index.js";
import { DnsRecord } from "@cdktf/provider-cloudflare/lib/dns-record/index.js";
import { CloudflareProvider } from "@cdktf/provider-cloudflare/lib/provider/index.js";
import { ZoneSetting } from "@cdktf/provider-cloudflare/lib/zone-setting/index.js";
import { parse } from "@cdktn/hcl2json";
import { App, Fn, TerraformIterator, TerraformOutput, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

/**
 * One stack, four ways (issue 10): built with cdktf from plain provider resources (no construct of
 * ours), written as a Terraform folder, converted to Terraform JSON in the array-of-blocks form
 * HashiCorp's hcl2json writes, and planned (`terraform show -json`, written to the documented
 * format). Every form must give the same findings and the same zones.
 */
const PARITY = join(import.meta.dirname, "..", "fixtures", "parity");

const DECLARATIONS = {
  schemaVersion: 2,
  zones: [
    {
      zone: "example.net",
      origins: [{ name: "web", ipv4: ["192.0.2.10"], ports: [{ port: 443, scheme: "https" }] }],
      hostnames: [{ fqdn: "www.example.net", origin: "web", proxied: true }],
    },
  ],
};

function synthCdktf(): string {
  const outdir = mkdtempSync(join(tmpdir(), "cfpl-parity-cdktf-"));
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "parity");
  new CloudflareProvider(stack, "cloudflare", {});
  const zone = new DataCloudflareZone(stack, "main", { filter: { name: "example.net" } });
  const web = TerraformIterator.fromMap({ www: "192.0.2.10", shop: "192.0.2.11" });
  new DnsRecord(stack, "web", {
    forEach: web,
    zoneId: zone.zoneId,
    name: `${web.key}.example.net`,
    type: "A",
    content: web.value,
    proxied: true,
    ttl: 1,
  });
  const record = (id: string, props: Omit<ConstructorParameters<typeof DnsRecord>[2], "zoneId">) =>
    new DnsRecord(stack, id, { zoneId: zone.zoneId, ...props });
  record("internal", { name: "intranet.example.net", type: "A", content: "10.0.0.5", proxied: true, ttl: 1 });
  for (const i of [0, 1])
    record(`verify${i}`, {
      name: `_verify${i}.example.net`,
      type: "TXT",
      content: `token-${i}`,
      proxied: i === 1,
      ttl: 1,
    });
  record("apex", { name: "example.net", type: "CNAME", content: "www.example.net", proxied: true, ttl: 1 });
  record("mx", { name: "example.net", type: "MX", content: "mx.example.org", priority: 10, ttl: 3600 });
  record("slow", {
    name: "legacy.example.net",
    type: "A",
    content: "192.0.2.12",
    proxied: true,
    ttl: Fn.tonumber("300"),
  });
  new ZoneSetting(stack, "ssl", { zoneId: zone.zoneId, settingId: "ssl", value: {} }).addOverride(
    "value",
    "flexible",
  );
  new TerraformOutput(stack, "cf_preflight", { value: DECLARATIONS });
  app.synth();
  return outdir;
}

async function arrayOfBlocksJson(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "cfpl-parity-json-"));
  const converted = await parse("main.tf", readFileSync(join(PARITY, "hcl", "main.tf"), "utf8"));
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify(converted, null, 2));
  return dir;
}

interface Reading {
  findings: string[];
  zones: { name: string | null; records: unknown; sslMode: string | null }[];
  unknown: number;
}

async function check(args: string[]): Promise<Reading> {
  const run = await runCli(["check", ...args, "--no-live", "--no-probes", "--format", "json"]);
  expect(run.stderr).not.toMatch(/expected|internal error/);
  const report = JSON.parse(run.stdout);
  return {
    findings: report.findings
      .map(
        (f: { rule: string; status: string; predicts: string | null; subject: { hostname?: string } }) =>
          `${f.rule} ${f.status} ${f.predicts ?? "-"} ${f.subject.hostname ?? ""}`,
      )
      .sort(),
    zones: report.inputs.zones.map((z: Reading["zones"][number]) => ({
      name: z.name,
      records: z.records,
      sslMode: z.sslMode,
    })),
    unknown: report.summary.unknown,
  };
}

describe("one stack as cdktf synth, HCL, Terraform JSON and a plan gives the same findings", () => {
  it("reads all four forms alike", async () => {
    const hcl = await check(["--synth", join(PARITY, "hcl")]);
    expect(hcl.findings).toEqual([
      "origin-port-scheme fail 521 www.example.net",
      "proxied-target-prohibited fail 9003 intranet.example.net",
      "proxied-ttl-not-auto warn - legacy.example.net",
      "proxied-type-not-proxiable fail 9004 _verify1.example.net",
    ]);
    expect(hcl.zones).toEqual([
      {
        name: "example.net",
        records: { total: 8, byType: { A: 4, TXT: 2, CNAME: 1, MX: 1 } },
        sslMode: "flexible",
      },
    ]);
    expect(hcl.unknown).toBe(0);
    const normalized = (r: Reading) => ({
      ...r,
      zones: r.zones.map((z) => ({
        ...z,
        records: JSON.stringify(Object.entries((z.records as { byType: object }).byType).sort()),
      })),
    });
    for (const form of [
      ["--synth", synthCdktf()],
      ["--synth", await arrayOfBlocksJson()],
      ["--plan", join(PARITY, "plan.json")],
    ])
      expect(normalized(await check(form))).toEqual(normalized(hcl));
  });
});
