import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import { tunnelIdOfTarget } from "../../checks/live/index.js";
import { tunnelIdsInRecords, uniqueTunnelRequests } from "../../checks/live/tunnels.js";
import type { DnsRecord } from "../../checks/model/record.js";
import { TOKEN } from "../emulator/fixtures.js";
import { cloudflareFailure, envelope, liveReader } from "./live-helpers.js";

/** Cloudflare Tunnels: found from the zones' proxied CNAMEs or asked for, read by id, fail closed. */

const ACCOUNT = "d".repeat(32);
const OTHER_ACCOUNT = "e".repeat(32);
const REMOTE = "a1a1a1a1-0000-4000-8000-000000000001";
const LOCAL = "a1a1a1a1-0000-4000-8000-000000000002";
const DELETED = "a1a1a1a1-0000-4000-8000-000000000003";
const DOWN = "a1a1a1a1-0000-4000-8000-000000000004";
const UNKNOWN = "a1a1a1a1-0000-4000-8000-0000000000ff";
const DNS_ONLY = "a1a1a1a1-0000-4000-8000-000000000005";
const DECLARED = "b2b2b2b2-0000-4000-8000-000000000001";

let emu: Emulator;
const live = liveReader(() => emu);
const cname = (name: string, id: string, proxied = true) => ({
  name,
  type: "CNAME" as const,
  content: `${id}.cfargotunnel.com`,
  proxied,
});

beforeAll(async () => {
  emu = await startEmulator({
    token: TOKEN,
    seed: {
      accounts: [
        {
          id: ACCOUNT,
          tunnels: [
            {
              id: REMOTE,
              name: "edge-1",
              ingress: [
                { hostname: "App.tun.test", service: "http://localhost:8080" },
                { hostname: "app.tun.test", path: "/api", service: "http://localhost:9090" },
                { service: "http_status:404" },
              ],
            },
            { id: LOCAL, name: "edge-local", configSrc: "local" },
            { id: DELETED, name: "edge-old", status: "inactive", deletedAt: "2026-10-01T00:00:00Z" },
            { id: DOWN, name: "edge-down", status: "down" },
            { id: DNS_ONLY, name: "edge-unused" },
          ],
        },
        { id: OTHER_ACCOUNT, tunnels: [{ id: DECLARED, name: "declared", status: "degraded" }] },
      ],
      zones: [
        {
          name: "tun.test",
          accountId: ACCOUNT,
          records: [
            cname("app", REMOTE),
            cname("app2", REMOTE.toUpperCase()),
            cname("local", LOCAL),
            cname("old", DELETED),
            cname("down", DOWN),
            cname("gone", UNKNOWN),
            cname("direct", DNS_ONLY, false),
          ],
        },
        {
          name: "plain.test",
          accountId: ACCOUNT,
          records: [{ name: "www", type: "A", content: "192.0.2.1", proxied: true }],
        },
      ],
    },
  });
});

afterEach(() => {
  emu.faults.clear();
  emu.clearRequests();
});

afterAll(async () => {
  live.expectNoToken();
  await emu?.close();
});

const tunnelPath = (id: string, account = ACCOUNT) => `/accounts/${account}/cfd_tunnel/${id}`;

describe("reading the tunnels the records route to", () => {
  it("reads each routed tunnel once, with its state and, when remotely managed, its ingress", async () => {
    const state = await live.read({ zones: [{ name: "tun.test" }] });
    const byName = Object.fromEntries(state.tunnels!.map((t) => [t.name, t]));
    expect(byName["edge-1"]).toEqual({
      id: REMOTE,
      name: "edge-1",
      accountId: ACCOUNT,
      status: "healthy",
      configSource: "cloudflare",
      ingress: [
        { hostname: "app.tun.test", service: "http://localhost:8080" },
        { hostname: "app.tun.test", service: "http://localhost:9090", path: "/api" },
        { service: "http_status:404" },
      ],
    });
    // Locally managed: the API cannot show its ingress, and is not asked.
    expect(byName["edge-local"]).toEqual({
      id: LOCAL,
      name: "edge-local",
      accountId: ACCOUNT,
      status: "healthy",
      configSource: "local",
    });
    expect(byName["edge-old"]).toMatchObject({ status: "inactive", deletedAt: "2026-10-01T00:00:00Z" });
    expect(byName["edge-down"]).toMatchObject({ status: "down" });
    expect(Object.keys(byName).sort()).toEqual(["edge-1", "edge-down", "edge-local", "edge-old"]);
    // A tunnel id the API does not know is missing, not an error; a DNS-only CNAME is not read.
    expect(state.missingTunnels).toEqual([UNKNOWN]);
    const tunnelRequests = live.paths().filter((p) => p.includes("/cfd_tunnel/"));
    expect(tunnelRequests.sort()).toEqual(
      [
        tunnelPath(REMOTE),
        `${tunnelPath(REMOTE)}/configurations`,
        tunnelPath(LOCAL),
        tunnelPath(DELETED),
        `${tunnelPath(DELETED)}/configurations`,
        tunnelPath(DOWN),
        `${tunnelPath(DOWN)}/configurations`,
        tunnelPath(UNKNOWN),
      ].sort(),
    );
  });

  it("reads the tunnels the caller asks for, in their own accounts, besides the routed ones", async () => {
    const state = await live.read({
      zones: [{ name: "plain.test" }],
      tunnels: [
        { accountId: OTHER_ACCOUNT, id: DECLARED },
        { accountId: OTHER_ACCOUNT, id: DECLARED.toUpperCase() },
        { accountId: OTHER_ACCOUNT, id: REMOTE },
      ],
    });
    expect(state.tunnels).toEqual([
      {
        id: DECLARED,
        name: "declared",
        accountId: OTHER_ACCOUNT,
        status: "degraded",
        configSource: "cloudflare",
        ingress: [{ service: "http_status:404" }],
      },
    ]);
    // REMOTE is not in that account.
    expect(state.missingTunnels).toEqual([REMOTE]);
    expect(live.paths().filter((p) => p === tunnelPath(DECLARED, OTHER_ACCOUNT))).toHaveLength(1);
  });

  it("takes an id that is no tunnel UUID as missing, without asking", async () => {
    const state = await live.read({
      zones: [{ name: "plain.test" }],
      tunnels: [
        { accountId: ACCOUNT, id: "../zones" },
        { accountId: "not-an-account", id: REMOTE },
      ],
    });
    expect(state.missingTunnels).toEqual(["../zones", REMOTE]);
    expect(live.paths().some((p) => p.includes("cfd_tunnel"))).toBe(false);
  });

  it("reads the tunnels the code's records route to in the zone's account", async () => {
    const state = await live.read({
      zones: [{ name: "plain.test", tunnelIds: [DOWN.toUpperCase(), UNKNOWN] }],
    });
    expect(state.tunnels!.map((t) => [t.name, t.accountId])).toEqual([["edge-down", ACCOUNT]]);
    expect(state.missingTunnels).toEqual([UNKNOWN]);
  });

  it("reads no tunnel when nothing routes to one", async () => {
    const state = await live.read({ zones: [{ name: "plain.test" }] });
    expect(state.tunnels).toEqual([]);
    expect(state.missingTunnels).toEqual([]);
    expect(live.paths().some((p) => p.includes("cfd_tunnel"))).toBe(false);
  });

  it("takes a remotely managed tunnel whose configuration answers 404 as locally managed", async () => {
    emu.faults.answer(1, 404, cloudflareFailure(1003, "Configuration not found"), {
      path: `${REMOTE}/configurations`,
    });
    const state = await live.read({
      zones: [{ name: "plain.test" }],
      tunnels: [{ accountId: ACCOUNT, id: REMOTE }],
    });
    expect(state.tunnels).toEqual([
      { id: REMOTE, name: "edge-1", accountId: ACCOUNT, status: "healthy", configSource: "local" },
    ]);
  });
});

describe("answers it cannot use fail closed, naming the endpoint", () => {
  const ask = { zones: [{ name: "plain.test" }], tunnels: [{ accountId: ACCOUNT, id: REMOTE }] };

  it("a tunnel without its status", async () => {
    emu.faults.answer(1, 200, envelope({ id: REMOTE, name: "edge-1" }), { path: new RegExp(`${REMOTE}$`) });
    const error = await live.failure(ask);
    expect(error.message).toContain(`GET ${tunnelPath(REMOTE)}`);
    expect(error.message).toMatch(/result\.status: expected string/);
  });

  it("success: false with HTTP 200", async () => {
    emu.faults.answer(1, 200, cloudflareFailure(1000, "broken"), { path: new RegExp(`${REMOTE}$`) });
    expect((await live.failure(ask)).message).toMatch(/success is false although the HTTP status is 200/);
  });

  it("a 404 that is not the API's own (a proxy's HTML page)", async () => {
    emu.faults.answer(1, 404, "<html>not found</html>", { path: new RegExp(`${REMOTE}$`) });
    const error = await live.failure(ask);
    expect(error.message).toMatch(/Cloudflare refused to return Cloudflare Tunnel a1a1a1a1/);
    expect(error.message).toMatch(/\(HTTP 404\)/);
  });

  it("an answer about another tunnel", async () => {
    emu.faults.answer(1, 200, envelope({ id: LOCAL, name: "edge-local", status: "healthy" }), {
      path: new RegExp(`${REMOTE}$`),
    });
    expect((await live.failure(ask)).message).toMatch(
      new RegExp(`asked for tunnel ${REMOTE}, the answer is tunnel ${LOCAL}`),
    );
  });

  it("a configuration whose ingress is not a list", async () => {
    emu.faults.answer(1, 200, envelope({ source: "cloudflare", config: { ingress: "all" } }), {
      path: `${REMOTE}/configurations`,
    });
    const error = await live.failure(ask);
    expect(error.message).toContain(`GET ${tunnelPath(REMOTE)}/configurations`);
    expect(error.message).toMatch(/result\.config\.ingress: expected array/);
  });

  it("a token without Cloudflare Tunnel Read", async () => {
    emu.state.grantToken(TOKEN, [
      "Zone Read",
      "DNS Read",
      "Zone Settings Read",
      "Origin Read",
      "Page Rules Read",
      "SSL and Certificates Read",
    ]);
    try {
      expect((await live.failure(ask)).message).toContain(
        'it likely lacks the "Cloudflare Tunnel Read" permission',
      );
    } finally {
      emu.state.grantToken(TOKEN);
    }
  });
});

describe("finding tunnel ids", () => {
  it("reads a tunnel UUID from a cfargotunnel.com target, and nothing else", () => {
    expect(tunnelIdOfTarget(`${REMOTE.toUpperCase()}.CFARGOTUNNEL.COM.`)).toBe(REMOTE);
    for (const target of [
      "cfargotunnel.com",
      "x.cfargotunnel.com",
      `${REMOTE}.cfargotunnel.com.evil.test`,
      `${REMOTE}.example.com`,
      `a.${REMOTE}.cfargotunnel.com`,
    ])
      expect(tunnelIdOfTarget(target), target).toBeUndefined();
  });

  it("takes proxied CNAMEs only, each tunnel once", () => {
    const record = (content: string, proxied: boolean, type: DnsRecord["type"] = "CNAME"): DnsRecord => ({
      fqdn: "a.test",
      type,
      content,
      proxied,
      ttl: 1,
    });
    expect(
      tunnelIdsInRecords([
        record(`${REMOTE}.cfargotunnel.com`, true),
        record(`${REMOTE}.cfargotunnel.com`, true),
        record(`${LOCAL}.cfargotunnel.com`, false),
        record(`${DOWN}.cfargotunnel.com`, true, "TXT"),
      ]),
    ).toEqual([REMOTE]);
    expect(
      uniqueTunnelRequests([
        { accountId: "a", id: REMOTE.toUpperCase() },
        { accountId: "a", id: REMOTE },
        { accountId: "b", id: REMOTE },
      ]),
    ).toEqual([
      { accountId: "a", id: REMOTE },
      { accountId: "b", id: REMOTE },
    ]);
  });
});
