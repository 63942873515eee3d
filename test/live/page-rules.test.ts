import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import { UNLIMITED_REQUEST_BUDGET } from "../../checks/live/index.js";
import { toPageRules } from "../../checks/live/page-rules.js";
import { isUnresolved } from "../../checks/model/value.js";
import { TOKEN } from "../emulator/fixtures.js";
import { cloudflareFailure, envelope, liveReader } from "./live-helpers.js";

/** Page Rules that decide how the edge reaches the origin: SSL mode, resolve override, Host header. */

let emu: Emulator;
const live = liveReader(() => emu);
const www = { name: "www", type: "A" as const, content: "192.0.2.10", proxied: true };

beforeAll(async () => {
  emu = await startEmulator({
    token: TOKEN,
    seed: {
      zones: [
        {
          name: "rules.test",
          records: [www],
          pageRules: [
            { target: "*rules.test/old/*", ssl: "flexible", priority: 1 },
            { target: "ent.rules.test/*", ssl: "origin_pull", priority: 2 },
            {
              target: "legacy.rules.test/*",
              resolveOverride: "backend.rules.test",
              hostHeader: "backend.rules.test",
              priority: 4,
              status: "disabled",
            },
            {
              target: "*rules.test/img/*",
              actions: [{ id: "cache_level", value: "cache_everything" }],
              priority: 3,
            },
          ],
        },
        { name: "noquota.test", records: [www], pageRuleQuota: 0 },
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

describe("reading page rules", () => {
  it("keeps every rule in the API's order, with the actions that change the route (a rule without them still shadows lower ones)", async () => {
    const zone = (await live.read({ zones: [{ name: "rules.test" }] })).zones[0]!;
    expect(zone.pageRules).toEqual([
      {
        target: "legacy.rules.test/*",
        enabled: false,
        priority: 4,
        resolveOverride: "backend.rules.test",
        hostHeader: "backend.rules.test",
      },
      { target: "*rules.test/img/*", enabled: true, priority: 3 },
      { target: "ent.rules.test/*", enabled: true, priority: 2, ssl: "strict" },
      { target: "*rules.test/old/*", enabled: true, priority: 1, ssl: "flexible" },
    ]);
    expect(live.paths().filter((p) => p.endsWith("/pagerules"))).toHaveLength(1);
  });

  it("does not ask a zone that cannot have page rules (quota 0): none", async () => {
    const zone = (await live.read({ zones: [{ name: "noquota.test" }] })).zones[0]!;
    expect(zone.pageRules).toEqual([]);
    expect(live.paths().some((p) => p.endsWith("/pagerules"))).toBe(false);
  });

  it("keeps a target or an SSL value it does not understand as unresolved", async () => {
    const rule = (targets: unknown[], actions: unknown[]) => ({
      id: "p".repeat(32),
      targets,
      actions,
      priority: 1,
      status: "active",
      created_on: "2026-11-01T00:00:00Z",
      modified_on: "2026-11-01T00:00:00Z",
    });
    emu.faults.answer(
      1,
      200,
      envelope([
        rule(
          [{ target: "url", constraint: { operator: "contains", value: "rules.test" } }],
          [{ id: "ssl", value: "full" }],
        ),
        rule(
          [{ target: "url", constraint: { operator: "matches", value: "*rules.test/*" } }],
          [{ id: "ssl", value: 3 }],
        ),
      ]),
      { path: "/pagerules" },
    );
    const [first, second] = (await live.read({ zones: [{ name: "rules.test" }] })).zones[0]!.pageRules!;
    expect(isUnresolved(first!.target)).toBe(true);
    expect(first!.ssl).toBe("full");
    expect(second!.target).toBe("*rules.test/*");
    expect(second!.ssl).toEqual({ unresolved: "page rule SSL/TLS mode 3 that cf-preflight does not know" });
  });
});

describe("answers it cannot use fail closed, naming the endpoint", () => {
  const zonePath = () => `/zones/${emu.state.zoneByName("rules.test")!.id}/pagerules`;

  it("a page rule with a status the API does not document", async () => {
    emu.faults.answer(
      1,
      200,
      envelope([{ id: "x", targets: [], actions: [], priority: 1, status: "paused" }]),
      {
        path: "/pagerules",
      },
    );
    const error = await live.failure({ zones: [{ name: "rules.test" }] });
    expect(error.message).toContain(`GET ${zonePath()}`);
    expect(error.message).toMatch(/result\[0\]\.status/);
  });

  it("a list that is not a list", async () => {
    emu.faults.answer(1, 200, envelope({ rules: [] }), { path: "/pagerules" });
    expect((await live.failure({ zones: [{ name: "rules.test" }] })).message).toMatch(
      /page rules of zone rules\.test.*result: expected array, received object/,
    );
  });

  it("success: false with HTTP 200", async () => {
    emu.faults.answer(1, 200, cloudflareFailure(1004, "invalid"), { path: "/pagerules" });
    expect((await live.failure({ zones: [{ name: "rules.test" }] })).message).toMatch(
      /GET \/zones\/[0-9a-f]{32}\/pagerules is not usable: success is false/,
    );
  });

  it("a token without Page Rules Read", async () => {
    emu.state.grantToken(TOKEN, [
      "Zone Read",
      "DNS Read",
      "Zone Settings Read",
      "Origin Read",
      "SSL and Certificates Read",
    ]);
    try {
      const error = await live.failure(
        { zones: [{ name: "rules.test" }] },
        { requestBudget: UNLIMITED_REQUEST_BUDGET },
      );
      expect(error.message).toContain('it likely lacks the "Page Rules Read" permission');
    } finally {
      emu.state.grantToken(TOKEN);
    }
  });
});

describe("toPageRules", () => {
  it("keeps rules without a route action (they shadow lower ones), and reads each rule's status", () => {
    expect(
      toPageRules([
        {
          id: "a",
          targets: [{ constraint: { operator: "matches", value: "a.test/*" } }],
          actions: [{ id: "always_use_https" }],
          priority: 1,
          status: "active",
        },
        {
          id: "b",
          targets: [{ constraint: { operator: "matches", value: "b.test/*" } }],
          actions: [{ id: "ssl", value: "off" }],
          priority: 2,
          status: "disabled",
        },
      ]),
    ).toEqual([
      { target: "a.test/*", enabled: true, priority: 1 },
      { target: "b.test/*", enabled: false, priority: 2, ssl: "off" },
    ]);
  });

  it("marks a rule that forwards (redirects at the edge)", () => {
    expect(
      toPageRules([
        {
          id: "f",
          targets: [{ constraint: { operator: "matches", value: "example.com/*" } }],
          actions: [{ id: "forwarding_url", value: { url: "https://www.example.com/$1", status_code: 301 } }],
          priority: 3,
          status: "active",
        },
      ]),
    ).toEqual([{ target: "example.com/*", enabled: true, priority: 3, forwards: true }]);
  });
});
