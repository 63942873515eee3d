import type { ChildProcess } from "node:child_process";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { byFamily } from "../../checks/diff/cidr-set.js";
import { admittedOn, type EnforcedFirewall, uncertainOn } from "../../checks/diff/enforced-firewall.js";
import { enforcedDrift } from "../../checks/diff/firewall.js";
import { parseFirewallExport } from "../../checks/diff/firewall-export.js";
import { connectTcp } from "../../checks/probe/tcp.js";
import type { Report } from "../../checks/report/report.js";
import { runCli } from "../helpers/run-cli.js";
import { writeTfJson } from "../helpers/tf-json.js";
import { createLab, LAB_REQUIRED, type Lab, labCapability, labHttpOrigin, stopChild } from "../lab/netns.js";
import { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6, origin, RANGES } from "./helpers.js";

/**
 * Issue 12: a host whose firewall is written with iptables on the nf_tables backend (iptables-nft).
 * The rules are loaded with the real `iptables-nft-restore` into a network namespace this test
 * creates: Cloudflare's ranges may reach 80 and 443 through `-m multiport`, and 8443 is open to
 * everyone. Then both exports are taken from the namespace. `iptables-save` shows every option, so
 * its reading is exact (8443 exposed, nothing unknown); `nft -j list ruleset` shows the multiport
 * and conntrack matches only as opaque `xt` expressions, so its reading must say "unknown" for 80
 * and 443, never "OK". A connection from the test's own (non-Cloudflare) address checks the rules
 * really do what the exact reading says. Packets go only to the namespace. Needs root, iproute2,
 * nftables and iptables (`apt-get install -y iptables`); under CI=true a missing part fails.
 */

const LAB_INDEX = 221;
const PORTS = [80, 443, 8443] as const;
const capability = labCapability();
const iptablesMissing = spawnSync("sh", ["-c", "command -v iptables-nft-restore"]).status !== 0;
const skipReason = !capability.ok
  ? capability.reason
  : iptablesMissing
    ? "iptables-nft is not installed (apt-get install -y iptables)"
    : undefined;

let lab: Lab | undefined;
let dir: string | undefined;
let iptablesSave = "";
let nftJson = "";
const origins: ChildProcess[] = [];

function rules(family: 4 | 6): string {
  const cloudflare = family === 4 ? CLOUDFLARE_IPV4 : CLOUDFLARE_IPV6;
  return [
    "*filter",
    ":INPUT DROP [0:0]",
    ":FORWARD DROP [0:0]",
    ":OUTPUT ACCEPT [0:0]",
    "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
    "-A INPUT -i lo -j ACCEPT",
    ...(family === 6 ? ["-A INPUT -p ipv6-icmp -j ACCEPT"] : []),
    `-A INPUT -s ${cloudflare.join(",")} -p tcp -m multiport --dports 80,443 -j ACCEPT`,
    "-A INPUT -p tcp -m tcp --dport 8443 -j ACCEPT",
    "COMMIT",
    "",
  ].join("\n");
}

describe.skipIf(skipReason !== undefined && !LAB_REQUIRED)(
  `iptables-nft exports from a network namespace${skipReason ? ` (skipped: ${skipReason})` : ""}`,
  () => {
    beforeAll(async () => {
      if (skipReason !== undefined) throw new Error(`CI=true requires the iptables lab: ${skipReason}`);
      dir = mkdtempSync(join(tmpdir(), "cfpl-fw-xt-"));
      lab = createLab("fw-xt", LAB_INDEX);
      for (const family of [4, 6] as const) {
        const file = join(dir, `rules.v${family}`);
        writeFileSync(file, rules(family));
        const restore = family === 4 ? "iptables-nft-restore" : "ip6tables-nft-restore";
        execFileSync("ip", ["netns", "exec", lab.namespace, restore, file], { stdio: "pipe" });
      }
      iptablesSave = lab.exec(["iptables-nft-save"]) + lab.exec(["ip6tables-nft-save"]);
      nftJson = lab.exec(["nft", "-j", "list", "ruleset"]);
      writeFileSync(join(dir, "origin.rules"), iptablesSave);
      writeFileSync(join(dir, "origin.nft.json"), nftJson);
      origins.push(await labHttpOrigin(lab, 443), await labHttpOrigin(lab, 8443));
    });

    afterAll(async () => {
      for (const child of origins) await stopChild(child);
      lab?.destroy();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const web = origin("web", {
      ipv4: ["192.0.2.10"],
      ipv6: ["2001:db8::10"],
      ports: PORTS.map((port) => ({ port, scheme: port === 80 ? ("http" as const) : ("https" as const) })),
    });
    const read = (text: string, file: string): EnforcedFirewall =>
      parseFirewallExport(text, { file, ports: [...PORTS] });

    it("the exports really are iptables-nft's: the JSON holds xt expressions, the text every option", () => {
      expect(iptablesSave).toMatch(/-m multiport --dports 80,443/);
      expect(nftJson).toMatch(/"xt":\s*\{\s*"type":\s*"match",\s*"name":\s*"multiport"/);
    });

    it("the rules do what the exact reading says: 8443 answers anyone, 443 drops a non-Cloudflare source", async () => {
      const open = await connectTcp(lab!.v4.lab, 8443, 2000);
      expect(open.ok).toBe(true);
      if (open.ok) open.socket.destroy();
      const dropped = await connectTcp(lab!.v4.lab, 443, 500);
      expect(dropped).toMatchObject({ ok: false, code: "ETIMEDOUT" });
    });

    it("reads the iptables-save export exactly: Cloudflare on 80 and 443, everyone on 8443, nothing unknown", () => {
      const fw = read(iptablesSave, "origin.rules");
      const cloudflare = byFamily([...CLOUDFLARE_IPV4, ...CLOUDFLARE_IPV6]);
      for (const port of [80, 443]) {
        expect(admittedOn(fw, port)).toEqual([...cloudflare[4], ...cloudflare[6]]);
        expect(uncertainOn(fw, port)).toEqual({ cidrs: [], causes: [] });
      }
      expect(admittedOn(fw, 8443)).toEqual(["0.0.0.0/0", "::/0"]);
      expect(fw.unknowns).toEqual([]);
      expect(enforcedDrift({ origin: web }, fw, RANGES)).toEqual([
        expect.objectContaining({ kind: "enforced-extra", ports: [8443], cidrs: ["0.0.0.0/0", "::/0"] }),
      ]);
    });

    it("reads the nft export as unknown on 80 and 443 (the xt matches hide the ports), still exposed on 8443", () => {
      const fw = read(nftJson, "origin.nft.json");
      for (const port of [80, 443]) {
        const doubt = uncertainOn(fw, port);
        expect(doubt.cidrs.length).toBeGreaterThan(0);
        expect(doubt.causes.join("\n")).toMatch(/iptables match multiport \(an xt expression/);
        expect(doubt.causes.join("\n")).toMatch(/iptables match conntrack \(an xt expression/);
      }
      // `tcp dport 8443 accept` is native nft: certain, whatever the xt rules before it do.
      expect(admittedOn(fw, 8443)).toEqual(["0.0.0.0/0", "::/0"]);
      const drifts = enforcedDrift({ origin: web }, fw, RANGES);
      expect(drifts.map((d) => `${d.kind} ${d.ports?.join(",")}`).sort()).toEqual([
        "enforced-extra 8443",
        "enforced-unknown 80,443",
      ]);
      const unknown = drifts.find((d) => d.kind === "enforced-unknown")!;
      expect(unknown.predicts).toBe("522");
      expect(
        unknown.rules?.every((rule) => /^nftables\[\d+\] \(ip6? filter INPUT handle \d+\): /.test(rule)),
      ).toBe(true);
      expect(unknown.message).toMatch(/export it with `iptables-save`/);
    });

    it("through the CLI, offline: the nft export's unknown is counted and names the ports; iptables-save's is not", async () => {
      const stack = writeTfJson({
        "//": {
          cf_preflight: {
            schemaVersion: 1,
            zones: [
              {
                zone: "example.com",
                zoneId: "${data.cloudflare_zone.main.zone_id}",
                origins: [
                  {
                    name: "web",
                    ipv4: ["192.0.2.10"],
                    ipv6: ["2001:db8::10"],
                    ports: web.ports,
                  },
                ],
                hostnames: [{ fqdn: "www.example.com", origin: "web", proxied: true }],
              },
            ],
          },
        },
        data: { cloudflare_zone: { main: { filter: { name: "example.com" } } } },
        resource: {
          cloudflare_zone_setting: {
            ssl: { zone_id: "${data.cloudflare_zone.main.zone_id}", setting_id: "ssl", value: "strict" },
          },
          cloudflare_dns_record: {
            www: {
              zone_id: "${data.cloudflare_zone.main.zone_id}",
              name: "www.example.com",
              type: "A",
              content: "192.0.2.10",
              proxied: true,
              ttl: 1,
            },
          },
        },
      });
      const drift = async (file: string) => {
        const run = await runCli([
          "drift",
          "--no-live",
          "--synth",
          stack,
          "--firewall",
          `web=${join(dir!, file)}`,
          "--format",
          "json",
        ]);
        return { ...run, report: JSON.parse(run.stdout) as Report };
      };
      const enforcement = (report: Report) =>
        report.findings.filter((f) => f.rule === "firewall-enforcement");

      const nft = await drift("origin.nft.json");
      expect(nft.code).toBe(4);
      const [unknown, ...others] = enforcement(nft.report).filter((f) => f.status === "unknown");
      expect(others).toEqual([]);
      expect(unknown).toMatchObject({
        blocking: false,
        evidence: { kind: "enforced-unknown", ports: [80, 443] },
      });
      expect((unknown?.evidence.rules as string[]).some((r) => r.includes("multiport"))).toBe(true);
      expect(unknown?.message).toMatch(
        /iptables match multiport \(an xt expression, whose options nft -j does not print\) \(at nftables\[\d+\] \(ip filter INPUT handle \d+\), nftables\[\d+\] \(ip filter INPUT handle \d+\) and \d+ more\)/,
      );
      // The firewall's unknown and the DNS drift that was not compared.
      expect(nft.report.summary.unknown).toBe(2);

      const save = await drift("origin.rules");
      expect(save.code).toBe(4);
      expect(
        enforcement(save.report).map((f) => `${f.status} ${(f.evidence.ports as number[]).join(",")}`),
      ).toEqual(["warn 8443"]);
      expect(save.report.summary.unknown).toBe(1);
    });
  },
);
