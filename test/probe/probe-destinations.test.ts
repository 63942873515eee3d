import { type ChildProcess, spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DnsRecord } from "../../checks/model/record.js";
import { parseConnectToList } from "../../checks/probe/connect-to.js";
import { buildProbePlan } from "../../checks/probe/plan.js";
import { dnsResolver } from "../../checks/probe/resolver.js";
import type { ProbeResult } from "../../checks/probe/result.js";
import { runProbes } from "../../checks/probe/run.js";
import { createLab, LAB_REQUIRED, type Lab, labCapability, labHttpOrigin, stopChild } from "../lab/netns.js";
import { startDnsServer, type TestDnsServer } from "./helpers/dns-server.js";
import { httpOrigin, type TestOrigin } from "./helpers/origins.js";

/**
 * Where the probes may connect: the origins the records and `--connect-to` name, and the public
 * addresses a CNAME target outside the account resolves to, as Cloudflare would. A name that
 * resolves here to a private, loopback or link-local address is one Cloudflare refuses to connect
 * to ("Error 1002: Restricted", a domain resolving to a local or disallowed address), and DNS seen
 * from a CI runner may not be public DNS: such an address is unknown and sent nothing, never probed
 * (a cloud metadata service at 169.254.169.254 answers HTTP 200) and never passed. Redirects to
 * other hosts are not followed. A guard table on this host counts (and drops) any TCP packet to the
 * documentation and restricted addresses the test names, so a probe that strays is seen and stopped.
 */

const GUARD = "cfpl_audit3_guard";
const asRoot = process.getuid?.() === 0 && spawnSync("nft", ["--version"]).status === 0;

function nft(args: readonly string[], input?: string): string {
  const run = spawnSync("nft", args, { encoding: "utf8", ...(input !== undefined ? { input } : {}) });
  if (run.status !== 0) throw new Error(`nft ${args.join(" ")}: ${run.stderr}`);
  return run.stdout;
}

/** TCP packets this host sent to the guarded addresses (0 when the guard could not be set). */
function guardCount(): number {
  if (!asRoot) return 0;
  const listed = nft(["list", "table", "inet", GUARD]);
  return [...listed.matchAll(/counter packets (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

let dns: TestDnsServer;
let web: TestOrigin;

beforeAll(async () => {
  if (asRoot) {
    spawnSync("nft", ["delete", "table", "inet", GUARD], { stdio: "ignore" });
    // TCP only, and not port 53: this host's resolver and gateway live in these ranges too.
    nft(
      ["-f", "-"],
      `table inet ${GUARD} {
        chain out {
          type filter hook output priority -10; policy accept;
          meta l4proto tcp tcp dport != 53 ip daddr { 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 169.254.169.254, 10.0.0.5 } counter drop
          meta l4proto tcp ip6 daddr { 2001:db8::/32, fd00::5, fe80::5 } counter drop
        }
      }`,
    );
  }
  dns = await startDnsServer({
    "metadata.provider.test": { A: ["169.254.169.254"] },
    "intranet.provider.test": { A: ["10.0.0.5"], AAAA: ["fd00::5"] },
    "local.provider.test": { A: ["127.0.0.1"], AAAA: ["::1"] },
    "docs.provider.test": { A: ["198.51.100.7"], AAAA: ["2001:db8::7"] },
    "override.provider.test": { A: ["203.0.113.9"] },
  });
  // Redirects everywhere but here: other hosts, documentation and metadata addresses.
  web = await httpOrigin((request, response) => {
    const to: Record<string, string> = {
      "/": "http://169.254.169.254/latest/meta-data/",
      "/doc": "https://192.0.2.1/",
      "/ip": "http://[2001:db8::1]/",
    };
    const location = to[request.url ?? "/"];
    if (location) response.writeHead(302, { location }).end();
    else response.writeHead(200).end("ok");
  });
});

afterAll(async () => {
  await dns?.close();
  await web?.close();
  if (asRoot) spawnSync("nft", ["delete", "table", "inet", GUARD], { stdio: "ignore" });
});

function rec(fqdn: string, type: DnsRecord["type"], content: string): DnsRecord {
  return { fqdn, type, content, proxied: true, ttl: 1 };
}

async function probe(
  records: DnsRecord[],
  originHost?: string,
  options: { port?: number; dns?: TestDnsServer } = {},
): Promise<ProbeResult[]> {
  // Every hostname on port 80 goes to the origin's port; addresses stay as planned.
  const connectTo = parseConnectToList([`:80::${options.port ?? web.port}`]);
  if (!connectTo.ok) throw new Error(connectTo.error);
  const targets = buildProbePlan({
    zones: [
      {
        name: "example.test",
        sslMode: "flexible",
        origins: [],
        originRules:
          originHost === undefined
            ? []
            : [
                {
                  expression: 'http.host eq "api.example.test"',
                  hostnames: ["api.example.test"],
                  host: originHost,
                  enabled: true,
                  description: "api elsewhere",
                },
              ],
        records,
      },
    ],
    connectTo: connectTo.value,
  });
  return runProbes(targets, {
    resolver: dnsResolver({ servers: [(options.dns ?? dns).address], timeoutMs: 1000, tries: 1 }),
    connectTimeoutMs: 1000,
    readTimeoutMs: 1000,
  });
}

describe("addresses a CNAME target resolves to", () => {
  it("never probes a private, loopback or link-local answer, and says why (unknown)", async () => {
    const before = guardCount();
    const results = await probe([
      rec("meta.example.test", "CNAME", "metadata.provider.test"),
      rec("intranet.example.test", "CNAME", "intranet.provider.test"),
      rec("local.example.test", "CNAME", "local.provider.test"),
    ]);
    expect(results.map((r) => [r.target.hostname, r.address, r.status, r.code])).toEqual([
      ["meta.example.test", "169.254.169.254", "unknown", "RESTRICTED_ADDRESS"],
      ["intranet.example.test", "10.0.0.5", "unknown", "RESTRICTED_ADDRESS"],
      ["intranet.example.test", "fd00::5", "unknown", "RESTRICTED_ADDRESS"],
      ["local.example.test", "127.0.0.1", "unknown", "RESTRICTED_ADDRESS"],
      ["local.example.test", "::1", "unknown", "RESTRICTED_ADDRESS"],
    ]);
    for (const r of results) {
      expect(r.timings.tcp).toBeUndefined();
      expect(r.predicts).toBeNull();
      expect(r.message).toMatch(/1002/);
    }
    expect(results[0]!.message).toContain("169.254.0.0/16");
    expect(guardCount() - before).toBe(0);
  });

  it("never probes documentation answers, nor an origin rule's override host resolving to one", async () => {
    const before = guardCount();
    const results = await probe(
      [
        rec("docs.example.test", "CNAME", "docs.provider.test"),
        rec("lit.example.test", "A", "192.0.2.10"),
        rec("api.example.test", "A", "198.18.0.1"),
      ],
      "override.provider.test",
    );
    expect(results.map((r) => [r.target.hostname, r.address, r.status, r.code])).toEqual([
      ["docs.example.test", "198.51.100.7", "unknown", "DOCUMENTATION_ADDRESS"],
      ["docs.example.test", "2001:db8::7", "unknown", "DOCUMENTATION_ADDRESS"],
      // Planned unknown before any connection: no address was used.
      ["lit.example.test", undefined, "unknown", "DOCUMENTATION_ADDRESS"],
      ["api.example.test", "203.0.113.9", "unknown", "DOCUMENTATION_ADDRESS"],
    ]);
    expect(guardCount() - before).toBe(0);
  });
});

describe("addresses a name inside the account leads to", () => {
  it("never probes a private or loopback address a proxied CNAME or an override host reaches through the zone's records", async () => {
    const before = guardCount();
    const internal = (fqdn: string, content: string): DnsRecord => ({
      ...rec(fqdn, content.includes(":") ? "AAAA" : "A", content),
      proxied: false,
      ttl: 300,
    });
    const results = await probe(
      [
        rec("app.example.test", "CNAME", "backend.example.test"),
        internal("backend.example.test", "127.0.0.1"),
        rec("intra.example.test", "CNAME", "vpc.example.test"),
        internal("vpc.example.test", "10.0.0.5"),
        internal("vpc.example.test", "fd00::5"),
        rec("api.example.test", "A", "198.18.0.1"),
      ],
      "backend.example.test",
    );
    expect(results.map((r) => [r.target.hostname, r.target.origin, r.status, r.code])).toEqual([
      ["app.example.test", { kind: "ip", address: "127.0.0.1", family: 4 }, "unknown", "RESTRICTED_ADDRESS"],
      ["intra.example.test", { kind: "ip", address: "10.0.0.5", family: 4 }, "unknown", "RESTRICTED_ADDRESS"],
      ["intra.example.test", { kind: "ip", address: "fd00::5", family: 6 }, "unknown", "RESTRICTED_ADDRESS"],
      ["api.example.test", { kind: "ip", address: "127.0.0.1", family: 4 }, "unknown", "RESTRICTED_ADDRESS"],
    ]);
    for (const r of results) {
      expect(r.timings.tcp).toBeUndefined();
      expect(r.message).toMatch(/1002/);
    }
    expect(results[0]!.message).toContain("127.0.0.0/8");
    expect(guardCount() - before).toBe(0);
  });

  it("still probes such an address where --connect-to names it", async () => {
    const connectTo = parseConnectToList([`app.example.test:80:127.0.0.1:${web.port}`]);
    if (!connectTo.ok) throw new Error(connectTo.error);
    const targets = buildProbePlan({
      zones: [
        {
          name: "example.test",
          sslMode: "flexible",
          origins: [],
          originRules: [],
          records: [
            rec("app.example.test", "CNAME", "backend.example.test"),
            { ...rec("backend.example.test", "A", "10.0.0.5"), proxied: false, ttl: 300 },
          ],
        },
      ],
      connectTo: connectTo.value,
    });
    const [r] = await runProbes(targets, { connectTimeoutMs: 1000, readTimeoutMs: 1000 });
    expect(r).toMatchObject({ status: "ok", address: "127.0.0.1", httpStatus: 302 });
  });
});

describe("redirects", () => {
  it("are never followed to another host, whatever the address", async () => {
    const before = guardCount();
    const connectTo = parseConnectToList([`www.example.test:80:127.0.0.1:${web.port}`]);
    if (!connectTo.ok) throw new Error(connectTo.error);
    for (const path of ["/", "/doc", "/ip"]) {
      const [target] = buildProbePlan({
        zones: [
          {
            name: "example.test",
            sslMode: "flexible",
            origins: [],
            originRules: [],
            records: [rec("www.example.test", "A", "192.0.2.80")],
          },
        ],
        connectTo: connectTo.value,
      });
      const [r] = await runProbes([{ ...target!, path }], { connectTimeoutMs: 1000, readTimeoutMs: 1000 });
      expect(r).toMatchObject({ status: "ok", httpStatus: 302, address: "127.0.0.1" });
    }
    expect(guardCount() - before).toBe(0);
  });
});

const capability = labCapability();
const LAB_INDEX = 233;
const LAB_PORT = 7080;

describe.skipIf(!capability.ok && !LAB_REQUIRED)(
  `a routable answer is probed (network lab${capability.ok ? "" : `, skipped: ${capability.reason}`})`,
  () => {
    let lab: Lab | undefined;
    let origin: ChildProcess | undefined;
    let labDns: TestDnsServer | undefined;

    beforeAll(async () => {
      if (!capability.ok) throw new Error(`CI=true requires the network lab: ${capability.reason}`);
      lab = createLab("audit3-dst", LAB_INDEX);
      origin = await labHttpOrigin(lab, LAB_PORT);
      labDns = await startDnsServer({ "lab.provider.test": { A: [lab.v4.lab], AAAA: [lab.v6.lab] } });
    });

    afterAll(async () => {
      await labDns?.close();
      await stopChild(origin);
      lab?.destroy();
    });

    it("probes both addresses a CNAME target resolves to, on the lab", async () => {
      const results = await probe([rec("shop.example.test", "CNAME", "lab.provider.test")], undefined, {
        port: LAB_PORT,
        ...(labDns ? { dns: labDns } : {}),
      });
      expect(results.map((r) => [r.address, r.status, r.httpStatus])).toEqual([
        [lab!.v4.lab, "ok", 200],
        [lab!.v6.lab, "ok", 200],
      ]);
      expect(results[0]!.timings.dns).toBeTypeOf("number");
    });
  },
);
