import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { evaluateExpression, evaluateIn, tfFolder, whyUnknown } from "./tf-folder.js";

/**
 * Teams keep DNS records in data files and `for_each` over `yamldecode(file(...))` or
 * `csvdecode(file(...))`: the decoders must read them as Terraform does, or refuse what Terraform
 * refuses (an Unknown that names why), never read something else.
 */
describe("yamldecode()", () => {
  it("decodes YAML as go-cty-yaml resolves it: yes is a boolean, anchors are followed", async () => {
    const yaml = [
      "defaults: &d",
      "  proxied: true",
      "  ttl: 1",
      "records:",
      "  www:",
      "    settings: *d",
      "    type: A",
      "    content: 198.51.100.7",
      "  mail:",
      "    type: MX",
      "    priority: 10",
      "    proxied: no",
      "    content: mx.example.net",
      "empty: ~",
      "",
    ].join("\n");
    const value = await evaluateExpression('yamldecode(file("${path.module}/dns.yaml"))', {
      "dns.yaml": yaml,
    });
    expect(value).toEqual({
      defaults: { proxied: true, ttl: 1 },
      records: {
        www: { settings: { proxied: true, ttl: 1 }, type: "A", content: "198.51.100.7" },
        mail: { type: "MX", priority: 10, proxied: false, content: "mx.example.net" },
      },
      empty: null,
    });
  });

  it("gives null for an empty text and refuses several documents or broken YAML without quoting it", async () => {
    expect(await evaluateExpression('yamldecode("")')).toBeNull();
    expect(whyUnknown(await evaluateExpression('yamldecode("a: 1\\n---\\nb: 2\\n")'))).toContain(
      "2 YAML documents",
    );
    const broken = whyUnknown(await evaluateExpression('yamldecode("secret: [1, 2\\n")'));
    expect(broken).toContain("not valid YAML");
    expect(broken).not.toContain("secret");
  });

  it("stops an alias bomb instead of expanding it", async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 8; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      bomb.push(`${next}: &${next} [${Array(10).fill(`*${prev}`).join(",")}]`);
    }
    const value = await evaluateExpression('yamldecode(file("${path.module}/bomb.yaml"))', {
      "bomb.yaml": `${bomb.join("\n")}\n`,
    });
    expect(whyUnknown(value)).toContain("yamldecode()");
  });
});

describe("csvdecode()", () => {
  it("reads quoted fields as Go's encoding/csv does: commas, doubled quotes and line breaks inside quotes", async () => {
    const csv = [
      "name,type,content",
      "www,A,198.51.100.7",
      '@,TXT,"v=spf1 include:_spf.example.net ~all"',
      '_dmarc,TXT,"v=DMARC1; p=reject; rua=mailto:a@example.net,mailto:b@example.net"',
      'quote,TXT,"say ""hi"""',
      "",
      'multi,TXT,"line one',
      'line two"',
      "",
    ].join("\r\n");
    const value = await evaluateExpression('csvdecode(file("${path.module}/records.csv"))', {
      "records.csv": csv,
    });
    expect(value).toEqual([
      { name: "www", type: "A", content: "198.51.100.7" },
      { name: "@", type: "TXT", content: "v=spf1 include:_spf.example.net ~all" },
      {
        name: "_dmarc",
        type: "TXT",
        content: "v=DMARC1; p=reject; rua=mailto:a@example.net,mailto:b@example.net",
      },
      { name: "quote", type: "TXT", content: 'say "hi"' },
      { name: "multi", type: "TXT", content: "line one\nline two" },
    ]);
  });

  it("refuses what Go's reader refuses: a row of another width, a bare quote, an open quote", async () => {
    expect(whyUnknown(await evaluateExpression('csvdecode("a,b\\n1,2,3\\n")'))).toContain(
      "record 2 has 3 fields",
    );
    expect(whyUnknown(await evaluateExpression('csvdecode("a,b\\n1,x\\"y\\n")'))).toContain("bare quote");
    expect(whyUnknown(await evaluateExpression('csvdecode("a,b\\n1,\\"open\\n")'))).toContain("never closes");
    expect(await evaluateExpression('csvdecode("a,b\\n\\"\\",\\"\\"\\n")')).toEqual([{ a: "", b: "" }]);
  });
});

describe("records kept in a YAML file", () => {
  it("are every one read and checked through for_each (a CNAME beside another record is caught)", async () => {
    const dir = tfFolder({
      "main.tf": [
        'terraform {\n  required_providers {\n    cloudflare = {\n      source  = "cloudflare/cloudflare"\n      version = "~> 5.0"\n    }\n  }\n}',
        'resource "cloudflare_zone" "z" {\n  account = { id = "0123456789abcdef0123456789abcdef" }\n  name    = "example.com"\n}',
        'locals {\n  records = yamldecode(file("${path.module}/records.yaml"))\n}',
        'resource "cloudflare_dns_record" "r" {\n  for_each = local.records\n  zone_id  = cloudflare_zone.z.id\n  name     = each.value.name\n  type     = each.value.type\n  content  = each.value.content\n  proxied  = try(each.value.proxied, false)\n  ttl      = 1\n}',
        "",
      ].join("\n\n"),
      "records.yaml": [
        "www: { name: www.example.com, type: CNAME, content: example.net, proxied: true }",
        "www-txt: { name: www.example.com, type: TXT, content: hello }",
        "api: { name: api.example.com, type: A, content: 198.51.100.9, proxied: true }",
        "",
      ].join("\n"),
    });
    const run = await runCli(["check", "--synth", dir, "--no-live", "--no-probes", "--format", "json"]);
    const report = JSON.parse(run.stdout);
    expect(report.inputs.zones[0].records.total).toBe(3);
    expect(report.inputs.unresolved).toEqual([]);
    expect(report.findings.map((f: { rule: string }) => f.rule)).toContain("cname-coexists");
    expect(run.code).toBe(1);
  });
});

describe("file() reads as every input is read", () => {
  it("refuses a file that is not UTF-8 (exit 2, naming it, echoing no bytes), as Terraform does", async () => {
    const dir = tfFolder({
      "main.tf": [
        'locals {\n  records = yamldecode(file("${path.module}/records.yaml"))\n}',
        'resource "cloudflare_dns_record" "r" {\n  for_each = local.records\n  zone_id  = "0123456789abcdef0123456789abcdef"\n  name     = each.key\n  type     = "A"\n  content  = each.value\n  ttl      = 1\n}',
        "",
      ].join("\n\n"),
    });
    const { writeFileSync } = await import("node:fs");
    writeFileSync(`${dir}/records.yaml`, Buffer.from([0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a]));
    const run = await runCli(["check", "--synth", dir, "--no-live", "--no-probes"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("records.yaml");
    expect(run.stderr).toContain("UTF-8");
    expect(run.stdout).toBe("");
  });
});

describe("templatefile()", () => {
  /** Evaluate `local.out` of a folder whose main.tf defines it as `expression`. */
  const localOf = async (expression: string, files: Record<string, string>) => {
    const dir = tfFolder({ "main.tf": `locals {\n  out = ${expression}\n}\n`, ...files });
    const [value] = await evaluateIn(dir, "${local.out}");
    return value;
  };

  it("renders a template file the configuration names, with the variables given, directives included", async () => {
    const value = await localOf(
      'templatefile("${path.module}/spf.tftpl", { ips = ["198.51.100.1", "198.51.100.2"], domain = "_spf.example.net" })',
      { "spf.tftpl": "v=spf1 %{ for ip in ips ~}ip4:${ip} %{ endfor ~}include:${domain} ~all\n" },
    );
    expect(value).toBe("v=spf1 ip4:198.51.100.1 ip4:198.51.100.2 include:_spf.example.net ~all\n");
    expect(
      await localOf('templatefile("templates/q.tpl", { name = "www" })', {
        "templates/q.tpl": 'say "${name}" \\ done',
      }),
    ).toBe('say "www" \\ done');
  });

  it("is unknown when the file is missing, its path is computed, or a variable given is unknown", async () => {
    expect(whyUnknown(await localOf('templatefile("${path.module}/none.tpl", {})', {}))).toContain(
      "could not be read",
    );
    expect(
      whyUnknown(
        await localOf('templatefile("${path.module}/${"t"}.tpl", { ip = "x" })', { "t.tpl": "${ip}" }),
      ),
    ).toContain("path is computed");
    expect(
      whyUnknown(await localOf('templatefile("t.tpl", { ip = timestamp() })', { "t.tpl": "${ip}" })),
    ).toContain("timestamp");
  });
});
