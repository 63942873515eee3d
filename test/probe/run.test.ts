import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DnsRecord } from "../../checks/model/record.js";
import { parseConnectToList } from "../../checks/probe/connect-to.js";
import { buildProbePlan } from "../../checks/probe/plan.js";
import { dnsResolver } from "../../checks/probe/resolver.js";
import { runProbes } from "../../checks/probe/run.js";
import type { TestDnsServer } from "./helpers/dns-server.js";
import { startDnsServer } from "./helpers/dns-server.js";
import type { TestOrigin } from "./helpers/origins.js";
import { closedPort, httpOrigin, tcpOrigin } from "./helpers/origins.js";
import { targetFor } from "./helpers/targets.js";

let dns: TestDnsServer;
let web: TestOrigin;
let refused: number;

beforeAll(async () => {
  dns = await startDnsServer({
    "origin.provider.test": { A: ["127.0.0.1"], AAAA: ["::1"] },
    "docs.provider.test": { A: ["192.0.2.44"] },
    "empty.provider.test": {},
    "shop.other-cloudflare-account.test": { A: ["104.16.7.7"] },
  });
  web = await httpOrigin(undefined, "::");
  refused = await closedPort();
});

afterAll(async () => {
  await dns?.close();
  await web?.close();
});

function rec(fqdn: string, type: DnsRecord["type"], content: string): DnsRecord {
  return { fqdn, type, content, proxied: true, ttl: 1 };
}

describe("runProbes with the plan", () => {
  it("warns 1014 for a CNAME to a name served by another Cloudflare account, sending it no packet", async () => {
    const targets = buildProbePlan({
      zones: [
        {
          name: "example.test",
          sslMode: "full",
          origins: [],
          originRules: [
            {
              expression: 'http.host eq "api.example.test"',
              hostnames: undefined,
              host: "shop.other-cloudflare-account.test",
              enabled: true,
              description: "api to shop",
            },
          ],
          records: [
            rec("shop.example.test", "CNAME", "shop.other-cloudflare-account.test"),
            rec("api.example.test", "A", "198.18.9.9"),
          ],
        },
      ],
    });
    const results = await runProbes(targets, {
      resolver: dnsResolver({ servers: [dns.address], timeoutMs: 1000, tries: 1 }),
      cloudflareRanges: { ipv4: ["104.16.0.0/13"], ipv6: [] },
      connectTimeoutMs: 500,
    });
    expect(results.map((r) => [r.target.hostname, r.status, r.predicts, r.code])).toEqual([
      ["shop.example.test", "warn", "1014", "CNAME_INTO_CLOUDFLARE"],
      ["api.example.test", "warn", "1014", "CNAME_INTO_CLOUDFLARE"],
    ]);
    expect(results[0]!.message).toContain("sent by a CNAME to shop.other-cloudflare-account.test");
    // The origin rule's DNS record override is named as such, never as a CNAME.
    expect(results[1]!.message).toContain("sent by origin rule 'api to shop' (a DNS record override)");
    expect(results.every((r) => r.timings.tcp === undefined)).toBe(true);
  });

  it("resolves CNAME targets through DNS and predicts 1016 when they do not resolve", async () => {
    const connectTo = parseConnectToList([`:80::${web.port}`]);
    if (!connectTo.ok) throw new Error(connectTo.error);
    const targets = buildProbePlan({
      zones: [
        {
          name: "example.test",
          sslMode: "flexible",
          origins: [],
          originRules: [],
          records: [
            rec("shop.example.test", "CNAME", "origin.provider.test"),
            rec("gone.example.test", "CNAME", "nxdomain.provider.test"),
            rec("nodata.example.test", "CNAME", "empty.provider.test"),
            rec("docs.example.test", "CNAME", "docs.provider.test"),
          ],
        },
      ],
      connectTo: connectTo.value,
    });
    const results = await runProbes(targets, {
      resolver: dnsResolver({ servers: [dns.address], timeoutMs: 1000, tries: 1 }),
      connectTimeoutMs: 2000,
      readTimeoutMs: 2000,
    });
    // Loopback answers are resolved but never probed: Cloudflare does not connect to them (1002).
    const shop = results.filter((r) => r.target.hostname === "shop.example.test");
    expect(shop.map((r) => [r.address, r.status, r.code])).toEqual([
      ["127.0.0.1", "unknown", "RESTRICTED_ADDRESS"],
      ["::1", "unknown", "RESTRICTED_ADDRESS"],
    ]);
    expect(shop[0]?.timings.dns).toBeTypeOf("number");
    expect(results.find((r) => r.target.hostname === "gone.example.test")).toMatchObject({
      status: "fail",
      predicts: "1016",
      phase: "dns",
      code: "ENOTFOUND",
    });
    expect(results.find((r) => r.target.hostname === "nodata.example.test")).toMatchObject({
      predicts: "1016",
      phase: "dns",
    });
    expect(results.find((r) => r.target.hostname === "docs.example.test")).toMatchObject({
      status: "unknown",
      code: "DOCUMENTATION_ADDRESS",
      address: "192.0.2.44",
    });
  });

  it("says unknown (not 1016) when DNS itself cannot be asked", async () => {
    const port = await closedPort();
    const [target] = buildProbePlan({
      zones: [
        {
          name: "example.test",
          sslMode: "strict",
          origins: [],
          originRules: [],
          records: [rec("x.example.test", "CNAME", "origin.provider.test")],
        },
      ],
    });
    const results = await runProbes([target!], {
      resolver: dnsResolver({ servers: [`127.0.0.1:${port}`], timeoutMs: 300, tries: 1 }),
    });
    expect(results[0]).toMatchObject({ status: "unknown", predicts: null, phase: "dns" });
  });

  it("probes documentation addresses only through --connect-to, and sends nothing for unknown targets", async () => {
    const connectTo = parseConnectToList([`www.example.test:443:127.0.0.1:${refused}`]);
    if (!connectTo.ok) throw new Error(connectTo.error);
    const targets = buildProbePlan({
      zones: [
        {
          name: "example.test",
          sslMode: "strict",
          origins: [],
          originRules: [],
          records: [rec("www.example.test", "A", "192.0.2.10"), rec("api.example.test", "A", "192.0.2.11")],
        },
      ],
      connectTo: connectTo.value,
    });
    const results = await runProbes(targets, { connectTimeoutMs: 2000 });
    expect(results[0]).toMatchObject({
      status: "fail",
      predicts: "521",
      address: "127.0.0.1",
      port: refused,
    });
    expect(results[1]).toMatchObject({
      status: "unknown",
      phase: "plan",
      code: "DOCUMENTATION_ADDRESS",
      timings: {},
    });
    expect(results[1]?.message).toMatch(/documentation address, not probed/);
  });
});

describe("connections to one origin", () => {
  it("opens at most 2 per probe slot to one address and port, and looks ahead to the others", async () => {
    const peaks: number[] = [];
    const servers: TestOrigin[] = [];
    for (let s = 0; s < 2; s++) {
      let open = 0;
      peaks.push(0);
      const server = await tcpOrigin((socket) => {
        open++;
        peaks[s] = Math.max(peaks[s] as number, open);
        // Counted as closed once answered: the client's FIN reaches this side only after the
        // client has let its next connection go, which would count one connection twice.
        socket.once("data", () =>
          setTimeout(() => {
            open--;
            socket.end("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n");
          }, 5),
        );
      });
      servers.push(server);
    }
    try {
      const targets = Array.from({ length: 60 }, (_, i) =>
        targetFor("127.0.0.1", servers[i % 2]!.port, "flexible", { hostname: `h${i}.example.test` }),
      );
      const results = await runProbes(targets, {
        concurrency: 3,
        connectTimeoutMs: 2000,
        readTimeoutMs: 2000,
      });
      expect(results.every((r) => r.status === "ok")).toBe(true);
      // 3 slots: 6 connections per origin at most, and more than the 3 doing the work.
      for (const peak of peaks) {
        expect(peak).toBeLessThanOrEqual(6);
        expect(peak).toBeGreaterThan(3);
      }
    } finally {
      for (const server of servers) await server.close();
    }
  });
});
