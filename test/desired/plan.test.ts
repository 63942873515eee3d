import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDesiredSources } from "../../checks/desired/read.js";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import { known } from "../../checks/model/value.js";
import { runCli } from "../helpers/run-cli.js";

/**
 * A plan written to the documented format of `terraform show -json` (format_version 1.2): provider
 * 4.x, a module called with for_each, a create, an update, a delete, a record whose content is a
 * tunnel's name known only after apply, a sensitive value, data sources read at plan time, and a
 * key a later Terraform might add.
 */
const PLAN = join(import.meta.dirname, "..", "fixtures", "plans", "modules-4x.plan.json");
const ZONE_ID = "3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f80";
const SECRET = "google-site-verification=Qm9vbGVhbi1zZWNyZXQtdG9rZW4tOTk4";
const PROJECT_ROOT = join(import.meta.dirname, "..", "..");

describe("a Terraform plan as input", () => {
  it("reads modules with their instance keys, the zone from the data source, and the plan's deletes", async () => {
    const desired = await readDesiredSources({ plan: { file: PLAN } });
    expect(desired.zones).toHaveLength(1);
    const zone = desired.zones[0]!;
    expect(zone.name).toBe("example.com");
    expect(zone.id).toBe(ZONE_ID);
    expect(zone.sslMode).toBe("strict");
    expect(zone.records.map((r) => `${r.type} ${r.fqdn} ${r.source?.address}`).sort()).toEqual([
      'A api.example.com module.dns["example.com"].cloudflare_record.r["api"]',
      'A www.example.com module.dns["example.com"].cloudflare_record.r["www"]',
      "CNAME app.example.com cloudflare_record.tunnel",
      "MX example.com cloudflare_record.mx[0]",
      "MX example.com cloudflare_record.mx[1]",
      "TXT example.com cloudflare_record.verify",
    ]);
    expect(desired.deletesKnown).toBe(true);
    expect(desired.deletes?.map((d) => `${d.zone} ${d.record.type} ${d.record.fqdn}`)).toEqual([
      "example.com CNAME old.example.com",
    ]);
    expect(desired.inputs!.zones[0]).toMatchObject({ tunnels: 1, records: { total: 6 } });
  });

  it("keeps what is known only after apply unknown, naming the resource and what it refers to", async () => {
    const desired = await readDesiredSources({ plan: { file: PLAN } });
    const tunnel = desired.zones[0]!.records.find((r) => r.fqdn === "app.example.com")!;
    expect(known(tunnel.content)).toBeUndefined();
    expect(tunnel.content).toEqual({
      unresolved: "${cloudflare_tunnel.edge.cname}",
      references: ["cloudflare_tunnel.edge"],
    });
    expect(desired.inputs!.unresolved).toEqual([
      { address: "cloudflare_record.tunnel", attribute: "value", why: "known after apply" },
      { address: "cloudflare_record.verify", attribute: "content", why: "marked sensitive in the plan" },
    ]);
    expect(desired.sensitive).toContain(SECRET);
  });

  it("reads a plan from standard input with --plan -", () => {
    const run = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        join(PROJECT_ROOT, "checks", "cli.ts"),
        "check",
        "--plan",
        "-",
        "--no-live",
        "--no-probes",
        "--format",
        "json",
      ],
      {
        input: readFileSync(PLAN),
        cwd: PROJECT_ROOT,
        encoding: "utf8",
        env: { ...process.env, CF_PREFLIGHT_ARGS: "" },
      },
    );
    expect(run.stderr).not.toContain("expected");
    const report = JSON.parse(run.stdout);
    expect(report.inputs.sources).toEqual([{ path: "(stdin)", kind: "plan" }]);
    expect(report.inputs.zones[0]).toMatchObject({ name: "example.com", id: ZONE_ID });
    // The tunnel's content and the sensitive TXT are unknown, and so is the new tunnel's connector.
    expect(report.summary.unknown).toBe(3);
    expect(report.findings.map((f: { rule: string }) => f.rule)).toContain("tunnel-route");
  });

  describe("against the live zone", () => {
    const TOKEN = "tok-plan-d41c7e";
    let emulator: Emulator;
    beforeAll(async () => {
      const unmanaged = Array.from({ length: 5 }, (_, i) => ({
        name: `hand${i}.example.com`,
        type: "TXT" as const,
        content: `made by hand ${i}`,
      }));
      emulator = await startEmulator({
        token: TOKEN,
        seed: {
          zones: [
            {
              id: ZONE_ID,
              name: "example.com",
              ssl: "full",
              records: [
                { name: "api.example.com", type: "A", content: "203.0.113.20", proxied: true },
                { name: "old.example.com", type: "CNAME", content: "legacy.example.net", ttl: 3600 },
                { name: "example.com", type: "MX", content: "mx0.example.net", priority: 10, ttl: 3600 },
                { name: "example.com", type: "MX", content: "mx1.example.net", priority: 20, ttl: 3600 },
                // The sensitive value is live too: drift must not show it from that side either.
                { name: "example.com", type: "TXT", content: SECRET },
                ...unmanaged,
              ],
            },
          ],
        },
      });
    });
    afterAll(() => emulator.close());

    it("counts only the plan's deletes against the change threshold, not records the code does not manage", async () => {
      const run = await runCli(["check", "--plan", PLAN, "--no-probes", "--format", "json"], {
        env: { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_BASE_URL: emulator.url },
      });
      expect(run.stderr).not.toContain("could not verify");
      const report = JSON.parse(run.stdout);
      const threshold = report.findings.find((f: { rule: string }) => f.rule === "change-threshold");
      // 10 live records; the plan updates api and deletes old: 2 of 10 is within 50%. Counting the
      // five hand-made records as deletes would make it 7 of 10.
      expect(threshold).toMatchObject({ status: "pass", evidence: { updates: 1, deletes: 1, records: 10 } });
    });

    it("never shows a value the plan marks sensitive, in any format", async () => {
      const dir = mkdtempSync(join(tmpdir(), "cfpl-plan-sensitive-"));
      const formats = ["json", "markdown", "sarif", "junit", "github"] as const;
      const run = await runCli(
        [
          "check",
          "--plan",
          PLAN,
          "--no-probes",
          ...formats.flatMap((f) => ["--format", f, "--output", join(dir, `report.${f}`)]),
          "--format",
          "pretty",
        ],
        { env: { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_BASE_URL: emulator.url } },
      );
      const texts = [
        run.stdout,
        run.stderr,
        ...formats.map((f) => readFileSync(join(dir, `report.${f}`), "utf8")),
      ];
      // The live TXT record holds the secret: drift compares it (the code's side is unknown).
      expect(JSON.parse(texts[2]!).drift.dns.length).toBeGreaterThan(0);
      for (const text of texts) {
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain("c2VjcmV0LXR1bm5lbC1zZWNyZXQtdmFsdWUtMzItYnl0ZXM=");
      }
      expect(texts.join("\n")).toContain("[sensitive]");
    });
  });
});

describe("a plan Terraform did not finish", () => {
  const variant = (edit: (plan: Record<string, unknown>) => void): string => {
    const plan = JSON.parse(readFileSync(PLAN, "utf8")) as Record<string, unknown>;
    edit(plan);
    const file = join(mkdtempSync(join(tmpdir(), "cf-preflight-plan-")), "plan.json");
    writeFileSync(file, JSON.stringify(plan));
    return file;
  };

  it("lists a change Terraform deferred (deferred_changes) as unresolved, never drops it", async () => {
    const file = variant((plan) => {
      const changes = plan.resource_changes as { address: string }[];
      const at = changes.findIndex((c) => c.address === "cloudflare_record.verify");
      const [deferred] = changes.splice(at, 1);
      plan.deferred_changes = [{ reason: "provider_config_unknown", resource_change: deferred }];
      plan.complete = false;
    });
    const run = await runCli(["check", "--plan", file, "--no-live", "--no-probes", "--format", "json"]);
    const report = JSON.parse(run.stdout);
    expect(report.inputs.unresolved).toContainEqual({
      address: "cloudflare_record.verify",
      attribute: "(resource)",
      why: expect.stringContaining("provider_config_unknown"),
    });
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        rule: "input-unresolved",
        subject: expect.objectContaining({ terraformAddress: "cloudflare_record.verify" }),
      }),
    );
  });

  it("lists a resource whose action it does not know as unresolved, never as planned or unchanged", async () => {
    const file = variant((plan) => {
      const changes = plan.resource_changes as { address: string; change: { actions: string[] } }[];
      changes.find((c) => c.address === "cloudflare_record.verify")!.change.actions = ["transmogrify"];
      changes.find((c) => c.address === "cloudflare_record.mx[1]")!.change.actions = [];
    });
    const desired = await readDesiredSources({ plan: { file } });
    const records = desired.zones[0]!.records.map((r) => r.source?.address);
    expect(records).not.toContain("cloudflare_record.verify");
    expect(records).not.toContain("cloudflare_record.mx[1]");
    const run = await runCli(["check", "--plan", file, "--no-live", "--no-probes", "--format", "json"]);
    const report = JSON.parse(run.stdout);
    expect(report.inputs.unresolved).toContainEqual({
      address: "cloudflare_record.verify",
      attribute: "(resource)",
      why: expect.stringContaining('"transmogrify"'),
    });
    expect(report.inputs.unresolved).toContainEqual({
      address: "cloudflare_record.mx[1]",
      attribute: "(resource)",
      why: expect.stringContaining("no action"),
    });
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        rule: "input-unresolved",
        status: "unknown",
        subject: expect.objectContaining({ terraformAddress: "cloudflare_record.verify" }),
      }),
    );
  });

  it("refuses a plan that errored (exit 2, naming the file and the field)", async () => {
    const file = variant((plan) => {
      plan.errored = true;
    });
    const run = await runCli(["check", "--plan", file, "--no-live", "--no-probes", "--format", "json"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(file);
    expect(run.stderr).toContain("errored");
  });
});
