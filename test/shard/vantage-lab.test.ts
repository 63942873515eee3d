import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../checks/model/finding.js";
import type { Report } from "../../checks/report/report.js";
import { LAB_REQUIRED, labCapability } from "../lab/netns.js";
import { CLI, requireBuild } from "../reliability/process.js";
import { createVantageLab, type VantageLab } from "./vantage-lab.js";

const capability = labCapability();

/** Documentation addresses in the code; --connect-to sends each to its lab origin. */
const HOSTS = {
  ok: { address: "203.0.113.10", type: "A" },
  fw: { address: "203.0.113.11", type: "A" },
  route: { address: "203.0.113.12", type: "A" },
  down: { address: "203.0.113.13", type: "A" },
  v6: { address: "2001:db8::10", type: "AAAA" },
} as const;

let lab: VantageLab | undefined;
let dir: string;

function stack(): string {
  const records = Object.fromEntries(
    Object.entries(HOSTS).map(([name, { address, type }]) => [
      name,
      {
        zone_id: "${data.cloudflare_zone.main.zone_id}",
        name: `${name}.example.com`,
        type,
        content: address,
        proxied: true,
        ttl: 1,
      },
    ]),
  );
  const file = join(dir, "main.tf.json");
  writeFileSync(
    file,
    JSON.stringify({
      data: { cloudflare_zone: { main: { filter: { name: "example.com" } } } },
      resource: {
        cloudflare_dns_record: records,
        cloudflare_zone_setting: {
          ssl: { zone_id: "${data.cloudflare_zone.main.zone_id}", setting_id: "ssl", value: "flexible" },
        },
      },
    }),
  );
  return file;
}

function connectTo(l: VantageLab): string[] {
  const o = l.origins;
  return [
    `${HOSTS.ok.address}:80:${o.healthy}:80`,
    `${HOSTS.fw.address}:80:${o.dropsFra}:80`,
    `${HOSTS.route.address}:80:${o.noRouteFromSin}:80`,
    `${HOSTS.down.address}:80:${o.refuses}:80`,
    `[${HOSTS.v6.address}]:80:[${o.healthyV6}]:80`,
  ].flatMap((spec) => ["--connect-to", spec]);
}

function about(report: Report, host: string): Finding[] {
  return report.findings.filter(
    (f) => f.subject.hostname === `${host}.example.com` && f.rule.startsWith("origin-"),
  );
}

describe.skipIf(!capability.ok && !LAB_REQUIRED)(
  `two vantages in the network lab, merged${capability.ok ? "" : ` (skipped: ${capability.reason})`}`,
  () => {
    const reports: string[] = [];
    let merged: Report;
    let mergeRun: ReturnType<typeof spawnSync>;

    beforeAll(async () => {
      if (!capability.ok) throw new Error(`CI=true requires the network lab: ${capability.reason}`);
      requireBuild();
      dir = mkdtempSync(join(tmpdir(), "cfpl-vantage-lab-"));
      lab = await createVantageLab();
      const file = stack();
      // Each vantage runs the real CLI in its own namespace, in two shards.
      for (const vantage of ["fra", "sin"] as const)
        for (const shard of [1, 2]) {
          const out = join(dir, `${vantage}-${shard}.json`);
          const run = lab.run(vantage, [
            process.execPath,
            CLI,
            "check",
            ...["--synth", file, "--no-live", ...connectTo(lab)],
            ...["--connect-timeout", "2", "--read-timeout", "5"],
            ...["--shard", `${shard}/2`, "--vantage-name", vantage, "--format", "json", "--output", out],
          ]);
          expect([0, 1], `${vantage} ${shard}/2: ${run.stderr}`).toContain(run.status);
          reports.push(out);
        }
      const out = join(dir, "merged.json");
      mergeRun = spawnSync(
        process.execPath,
        [CLI, "merge", ...reports, "--format", "json", "--output", out],
        {
          encoding: "utf8",
          env: { PATH: process.env.PATH },
        },
      );
      merged = JSON.parse(readFileSync(out, "utf8")) as Report;
    }, 120_000);

    afterAll(async () => {
      await lab?.destroy();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("each report names its vantage and the families usable there", () => {
      const fra = JSON.parse(readFileSync(reports[0]!, "utf8")) as Report;
      const sin = JSON.parse(readFileSync(reports[2]!, "utf8")) as Report;
      expect(fra.vantage).toMatchObject({
        name: "fra",
        families: ["ipv4", "ipv6"],
        shard: { index: 1, count: 2 },
      });
      expect(sin.vantage).toMatchObject({ name: "sin", families: ["ipv4"], shard: { index: 1, count: 2 } });
      expect(fra.vantage!.shard.totalTargets).toBe(5);
      expect(fra.vantage!.shard.targetsDigest).toBe(sin.vantage!.shard.targetsDigest);
    });

    it("holds the firewall's partial failure as one blocking finding with both vantages' evidence", () => {
      expect(mergeRun.status, String(mergeRun.stderr)).toBe(1);
      const [fw] = about(merged, "fw");
      expect(about(merged, "fw")).toHaveLength(1);
      expect(fw).toMatchObject({ rule: "origin-tcp", status: "fail", blocking: true, predicts: "522" });
      expect(fw!.message).toMatch(
        /^522 from 1 of 2 vantages \(fra\); passed from 1 of 2 vantages \(sin\)\. fra: /,
      );
      const vantages = fw!.evidence.byVantage as Record<
        string,
        { status: string; evidence: Record<string, unknown> }
      >;
      expect(vantages.fra).toMatchObject({ status: "fail", evidence: { phase: "tcp", code: "ETIMEDOUT" } });
      expect(vantages.sin).toMatchObject({ status: "pass", evidence: { phase: "http", httpStatus: 200 } });
    });

    it("holds the broken route's partial failure (523 from sin only)", () => {
      const [route] = about(merged, "route");
      expect(route).toMatchObject({ rule: "origin-tcp", status: "fail", blocking: true, predicts: "523" });
      expect(route!.message).toMatch(
        /^523 from 1 of 2 vantages \(sin\); passed from 1 of 2 vantages \(fra\)\./,
      );
    });

    it("keeps an error seen from every vantage, and passes what passes everywhere", () => {
      const [down] = about(merged, "down");
      expect(down).toMatchObject({ rule: "origin-tcp", status: "fail", predicts: "521" });
      expect(down!.message).toContain("(the same from all 2 vantages)");
      const [ok] = about(merged, "ok");
      expect(ok).toMatchObject({ rule: "origin-http", status: "pass" });
    });

    it("judges the IPv6 origin from the vantage that has IPv6 only", () => {
      const [v6] = about(merged, "v6");
      expect(v6).toMatchObject({ rule: "origin-http", status: "pass", blocking: false });
      expect(v6!.message).toContain("not judged from sin (no IPv6 route there)");
      // sin itself could not reach it: its own evidence says so.
      const sin = (v6!.evidence.byVantage as Record<string, { status: string; predicts: string }>).sin;
      expect(sin).toMatchObject({ status: "fail", predicts: "523" });
    });

    it("lists both vantages and their shards in the merged report", () => {
      expect(merged.merge).toMatchObject({
        reports: 4,
        shardCount: 2,
        totalTargets: 5,
        vantages: [
          { name: "fra", families: ["ipv4", "ipv6"], shards: [1, 2], targets: 5 },
          { name: "sin", families: ["ipv4"], shards: [1, 2], targets: 5 },
        ],
      });
      expect(merged.summary).toMatchObject({ blocking: 3 });
    });
  },
);
