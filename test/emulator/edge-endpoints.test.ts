import Cloudflare from "cloudflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, parseSeed, startEmulator } from "../../checks/emulator/index.js";
import { InputError } from "../../checks/errors.js";
import { TOKEN } from "./fixtures.js";
import { compareWithExcerpt, EXCERPTS, INGRESS_RULE } from "./openapi-excerpts.js";

/**
 * The endpoints the edge reads use, served by the emulator with the shapes of Cloudflare's OpenAPI
 * schema (vendored excerpts in `openapi-excerpts.ts`), from seed data, over real HTTP.
 */

const ACCOUNT = "c".repeat(32);
const HEALTHY = "11111111-2222-4333-8444-555555555555";
const LOCAL = "22222222-3333-4444-8555-666666666666";
const GONE = "33333333-4444-4555-8666-777777777777";
let emu: Emulator;
let zoneId: string;
let bareId: string;

async function api(path: string, token: string | null = TOKEN) {
  const headers = new Headers();
  if (token !== null) headers.set("authorization", `Bearer ${token}`);
  const response = await fetch(`${emu.url}${path}`, { headers });
  return { status: response.status, body: JSON.parse(await response.text()) };
}

function expectSchema(value: Record<string, unknown>, excerpt: Parameters<typeof compareWithExcerpt>[1]) {
  expect(compareWithExcerpt(value, excerpt)).toEqual({ missing: [], unknown: [], badEnums: [] });
}

beforeAll(async () => {
  emu = await startEmulator({
    token: TOKEN,
    seed: {
      accounts: [
        {
          id: ACCOUNT,
          tunnels: [
            {
              id: HEALTHY,
              name: "edge-1",
              ingress: [
                { hostname: "app.edge.test", service: "http://localhost:8080" },
                { hostname: "app.edge.test", path: "/api", service: "http://localhost:9090" },
                { service: "http_status:404" },
              ],
            },
            { id: LOCAL, name: "edge-local", configSrc: "local", status: "down" },
            { id: GONE, name: "edge-old", status: "inactive", deletedAt: "2026-10-01T00:00:00Z" },
          ],
        },
      ],
      zones: [
        {
          name: "edge.test",
          accountId: ACCOUNT,
          ssl: "full",
          originRules: [
            {
              expression: 'http.host eq "api.edge.test"',
              port: 8443,
              hostHeader: "backend.test",
              sni: "sni.test",
            },
          ],
          configRules: [
            { expression: 'http.host eq "app.edge.test"', ssl: "strict", description: "app strict" },
            { expression: "true", settings: { bic: true } },
          ],
          pageRules: [
            { target: "*edge.test/old/*", ssl: "flexible", priority: 1 },
            {
              target: "legacy.edge.test/*",
              resolveOverride: "backend.edge.test",
              priority: 3,
              status: "disabled",
            },
            {
              target: "*edge.test/cache/*",
              actions: [{ id: "cache_level", value: "cache_everything" }],
              priority: 2,
            },
          ],
          originPulls: {
            global: true,
            zoneCertificate: false,
            hostnames: [
              { hostname: "app.edge.test", enabled: false },
              { hostname: "api.edge.test", enabled: true, status: "pending_deployment" },
              { hostname: "void.edge.test", enabled: null },
            ],
          },
          records: [{ name: "app", type: "CNAME", content: `${HEALTHY}.cfargotunnel.com`, proxied: true }],
        },
        { name: "bare.test", pageRuleQuota: 0 },
      ],
    },
  });
  zoneId = emu.state.zoneByName("edge.test")!.id;
  bareId = emu.state.zoneByName("bare.test")!.id;
});

afterAll(async () => {
  await emu?.close();
});

describe("rulesets", () => {
  it("lists the zone's rulesets without their rules, entry points as kind zone", async () => {
    const { status, body } = await api(`/zones/${zoneId}/rulesets`);
    expect(status).toBe(200);
    for (const ruleset of body.result) {
      expectSchema(ruleset, EXCERPTS.rulesets);
      expect(ruleset).not.toHaveProperty("rules");
    }
    const zoneKind = body.result.filter((r: { kind: string }) => r.kind === "zone");
    expect(zoneKind.map((r: { phase: string }) => r.phase).sort()).toEqual([
      "http_config_settings",
      "http_request_origin",
    ]);
    // A managed ruleset is listed too, and is not an entry point.
    expect(body.result.some((r: { kind: string }) => r.kind === "managed")).toBe(true);
    expect(body.result_info).toEqual({});
    const bare = await api(`/zones/${bareId}/rulesets`);
    expect(bare.body.result.map((r: { kind: string }) => r.kind)).toEqual(["managed"]);
  });

  it("pages the list with a cursor", async () => {
    const first = await api(`/zones/${zoneId}/rulesets?per_page=2`);
    expect(first.body.result).toHaveLength(2);
    const cursor = first.body.result_info.cursor;
    expect(typeof cursor).toBe("string");
    const second = await api(`/zones/${zoneId}/rulesets?per_page=2&cursor=${cursor}`);
    expect(second.body.result).toHaveLength(1);
    expect(second.body.result_info).toEqual({});
  });

  it("serves both entry points with their rules, and Cloudflare's 404 (10003) where there is none", async () => {
    const config = await api(`/zones/${zoneId}/rulesets/phases/http_config_settings/entrypoint`);
    expectSchema(config.body.result, EXCERPTS.entrypoint);
    expect(config.body.result).toMatchObject({ kind: "zone", phase: "http_config_settings" });
    expect(config.body.result.rules).toMatchObject([
      {
        action: "set_config",
        action_parameters: { ssl: "strict" },
        expression: 'http.host eq "app.edge.test"',
      },
      { action: "set_config", action_parameters: { bic: true }, expression: "true" },
    ]);
    const origin = await api(`/zones/${zoneId}/rulesets/phases/http_request_origin/entrypoint`);
    expect(origin.body.result.rules[0].action_parameters).toEqual({
      origin: { port: 8443 },
      host_header: "backend.test",
      sni: { value: "sni.test" },
    });
    for (const phase of ["http_config_settings", "http_request_origin"]) {
      const missing = await api(`/zones/${bareId}/rulesets/phases/${phase}/entrypoint`);
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ success: false, errors: [{ code: 10003 }] });
    }
  });

  it("guards the configuration entry point with Config Settings Read", async () => {
    emu.state.grantToken("origin-only", ["Origin Read"]);
    expect(
      (await api(`/zones/${zoneId}/rulesets/phases/http_request_origin/entrypoint`, "origin-only")).status,
    ).toBe(200);
    expect(
      (await api(`/zones/${zoneId}/rulesets/phases/http_config_settings/entrypoint`, "origin-only")).status,
    ).toBe(403);
  });
});

describe("page rules", () => {
  it("lists page rules in priority order with the schema's fields", async () => {
    const { body } = await api(`/zones/${zoneId}/pagerules`);
    for (const rule of body.result) expectSchema(rule, EXCERPTS.pageRule);
    expect(body.result.map((r: { priority: number }) => r.priority)).toEqual([3, 2, 1]);
    expect(body.result[2]).toMatchObject({
      targets: [{ target: "url", constraint: { operator: "matches", value: "*edge.test/old/*" } }],
      actions: [{ id: "ssl", value: "flexible" }],
      status: "active",
    });
    expect(body.result[0]).toMatchObject({
      actions: [{ id: "resolve_override", value: "backend.edge.test" }],
      status: "disabled",
    });
    const active = await api(`/zones/${zoneId}/pagerules?status=active`);
    expect(active.body.result).toHaveLength(2);
    expect((await api(`/zones/${bareId}/pagerules`)).body.result).toEqual([]);
  });

  it("shows the page rule quota in the zone's meta", async () => {
    expect((await api(`/zones/${bareId}`)).body.result.meta.page_rule_quota).toBe(0);
    expect((await api(`/zones/${zoneId}`)).body.result.meta.page_rule_quota).toBe(3);
  });
});

describe("Authenticated Origin Pulls", () => {
  it("serves the global setting, the zone-level setting and the hostname associations", async () => {
    const global = await api(`/zones/${zoneId}/settings/tls_client_auth`);
    expectSchema(global.body.result, EXCERPTS.tlsClientAuth);
    expect(global.body.result.value).toBe("on");
    const zoneLevel = await api(`/zones/${zoneId}/origin_tls_client_auth/settings`);
    expectSchema(zoneLevel.body.result, EXCERPTS.originPullSettings);
    expect(zoneLevel.body.result).toEqual({ enabled: false });
    expect((await api(`/zones/${bareId}/settings/tls_client_auth`)).body.result.value).toBe("off");

    // Default status filter: active only; `all` lists every status.
    const active = await api(`/zones/${zoneId}/origin_tls_client_auth/hostnames`);
    expect(active.body.result.map((h: { hostname: string }) => h.hostname)).toEqual([
      "app.edge.test",
      "void.edge.test",
    ]);
    const all = await api(`/zones/${zoneId}/origin_tls_client_auth/hostnames?status=all&per_page=2`);
    for (const association of all.body.result) expectSchema(association, EXCERPTS.hostnameAssociation);
    expect(all.body.result_info).toEqual({ page: 1, per_page: 2, count: 2, total_count: 3, total_pages: 2 });
    const page2 = await api(`/zones/${zoneId}/origin_tls_client_auth/hostnames?status=all&per_page=2&page=2`);
    expect(page2.body.result).toMatchObject([{ hostname: "void.edge.test", enabled: null }]);
    expect((await api(`/zones/${zoneId}/origin_tls_client_auth/hostnames?per_page=1001`)).status).toBe(400);

    const one = await api(`/zones/${zoneId}/origin_tls_client_auth/hostnames/API.edge.test`);
    expect(one.body.result).toMatchObject({ hostname: "api.edge.test", enabled: true });
    expect((await api(`/zones/${zoneId}/origin_tls_client_auth/hostnames/nope.edge.test`)).status).toBe(404);
  });

  it("guards them with Zone Settings Read and SSL and Certificates Read", async () => {
    emu.state.grantToken("settings-only", ["Zone Settings Read"]);
    expect((await api(`/zones/${zoneId}/settings/tls_client_auth`, "settings-only")).status).toBe(200);
    expect((await api(`/zones/${zoneId}/origin_tls_client_auth/settings`, "settings-only")).status).toBe(403);
    expect((await api(`/zones/${zoneId}/origin_tls_client_auth/hostnames`, "settings-only")).status).toBe(
      403,
    );
  });
});

describe("Cloudflare Tunnels", () => {
  it("serves a tunnel, deleted ones too, and 404 with 7003 for an unknown id", async () => {
    const healthy = await api(`/accounts/${ACCOUNT}/cfd_tunnel/${HEALTHY}`);
    expectSchema(healthy.body.result, EXCERPTS.tunnel);
    expect(healthy.body.result).toMatchObject({
      id: HEALTHY,
      name: "edge-1",
      status: "healthy",
      deleted_at: null,
      config_src: "cloudflare",
      remote_config: true,
      account_tag: ACCOUNT,
    });
    const gone = await api(`/accounts/${ACCOUNT}/cfd_tunnel/${GONE}`);
    expect(gone.body.result).toMatchObject({ status: "inactive", deleted_at: "2026-10-01T00:00:00Z" });
    const unknown = await api(`/accounts/${ACCOUNT}/cfd_tunnel/${"4".repeat(8)}-0000-4000-8000-000000000000`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].code).toBe(7003);
  });

  it("serves a remotely managed configuration, and 404 for a locally managed tunnel", async () => {
    const config = await api(`/accounts/${ACCOUNT}/cfd_tunnel/${HEALTHY}/configurations`);
    expectSchema(config.body.result, EXCERPTS.tunnelConfiguration);
    expect(config.body.result).toMatchObject({ source: "cloudflare", tunnel_id: HEALTHY });
    for (const rule of config.body.result.config.ingress) expectSchema(rule, INGRESS_RULE);
    expect(config.body.result.config.ingress.at(-1)).toEqual({ service: "http_status:404" });
    const local = await api(`/accounts/${ACCOUNT}/cfd_tunnel/${LOCAL}/configurations`);
    expect(local.status).toBe(404);
    expect((await api(`/accounts/${ACCOUNT}/cfd_tunnel/${LOCAL}`)).body.result.config_src).toBe("local");
  });

  it("lists tunnels, with or without deleted ones, through the real SDK", async () => {
    const cf = new Cloudflare({ apiToken: TOKEN, baseURL: emu.url, maxRetries: 0 });
    const names: string[] = [];
    for await (const tunnel of cf.zeroTrust.tunnels.cloudflared.list({ account_id: ACCOUNT, per_page: 2 }))
      names.push(tunnel.name!);
    expect(names.sort()).toEqual(["edge-1", "edge-local", "edge-old"]);
    const live = await api(`/accounts/${ACCOUNT}/cfd_tunnel?is_deleted=false`);
    expect(live.body.result.map((t: { name: string }) => t.name).sort()).toEqual(["edge-1", "edge-local"]);
    const deleted = await api(`/accounts/${ACCOUNT}/cfd_tunnel?is_deleted=true`);
    expect(deleted.body.result.map((t: { name: string }) => t.name)).toEqual(["edge-old"]);
    expect(
      (await api(`/accounts/${ACCOUNT}/cfd_tunnel/${HEALTHY}`, "settings-only")).status,
      "needs Cloudflare Tunnel Read",
    ).toBe(403);
  });
});

describe("seeds and faults", () => {
  it("names the path of an invalid edge seed", () => {
    const bad = [
      { zones: [{ name: "x.test", configRules: [{ expression: "true", ssl: "strictest" }] }] },
      { zones: [{ name: "x.test", pageRules: [{ target: "", ssl: "full" }] }] },
      { accounts: [{ id: ACCOUNT, tunnels: [{ id: "not-a-uuid", name: "t" }] }] },
      { zones: [{ name: "x.test", originPulls: { hostnames: [{ hostname: "a.x.test" }] } }] },
    ];
    const paths = bad.map((seed) => {
      try {
        parseSeed(seed);
        return "accepted";
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return (error as InputError).path;
      }
    });
    expect(paths).toEqual([
      "zones.0.configRules.0.ssl",
      "zones.0.pageRules.0.target",
      "accounts.0.tunnels.0.id",
      "zones.0.originPulls.hostnames.0.enabled",
    ]);
  });

  it("replaces an answer with a given body, logs it, and then answers normally", async () => {
    emu.clearRequests();
    emu.faults.answer(1, 200, { success: true, result: { nope: 1 } }, { path: "/pagerules" });
    expect((await api(`/zones/${zoneId}/pagerules`)).body).toEqual({ success: true, result: { nope: 1 } });
    expect((await api(`/zones/${zoneId}/pagerules`)).body.result).toHaveLength(3);
    expect(emu.requests().map((r) => [r.path, r.status])).toEqual([
      [`/zones/${zoneId}/pagerules`, 200],
      [`/zones/${zoneId}/pagerules`, 200],
    ]);
  });
});
