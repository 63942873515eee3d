import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import { toConfigRules } from "../../checks/live/config-rules.js";
import { isUnresolved } from "../../checks/model/value.js";
import { TOKEN } from "../emulator/fixtures.js";
import { cloudflareFailure, envelope, liveReader } from "./live-helpers.js";

/** Origin and configuration rules: one list of a zone's rulesets, then only the entry points it has. */

let emu: Emulator;
const live = liveReader(() => emu);
const id = (name: string) => emu.state.zoneByName(name)!.id;
const www = { name: "www", type: "A" as const, content: "192.0.2.10", proxied: true };

beforeAll(async () => {
  emu = await startEmulator({
    token: TOKEN,
    seed: {
      zones: [
        {
          name: "both.test",
          records: [www],
          originRules: [
            {
              expression: 'http.host eq "api.both.test"',
              port: 8443,
              host: "backend.both.test",
              hostHeader: "backend.both.test",
              sni: "sni.both.test",
              description: "api to backend",
            },
          ],
          configRules: [
            { expression: 'http.host eq "www.both.test"', ssl: "strict", description: "www strict" },
            { expression: 'http.host eq "old.both.test"', ssl: "flexible", enabled: false },
            { expression: 'http.host eq "ent.both.test"', ssl: "origin_pull" },
            { expression: "true", settings: { bic: true, automatic_https_rewrites: false } },
          ],
        },
        { name: "config.test", records: [www], configRules: [{ expression: "true", ssl: "full" }] },
        { name: "none.test", records: [www] },
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

describe("reading the rules a zone has", () => {
  it("reads both entry points of a zone that has them, with host header, SNI and description", async () => {
    const zone = (await live.read({ zones: [{ name: "both.test" }] })).zones[0]!;
    expect(zone.originRules).toEqual([
      {
        expression: 'http.host eq "api.both.test"',
        hostnames: ["api.both.test"],
        enabled: true,
        port: 8443,
        host: "backend.both.test",
        hostHeader: "backend.both.test",
        sni: "sni.both.test",
        description: "api to backend",
      },
    ]);
    // Rules that set the SSL/TLS mode only; origin_pull validates like strict.
    expect(zone.configRules).toEqual([
      { expression: 'http.host eq "www.both.test"', ssl: "strict", enabled: true, description: "www strict" },
      { expression: 'http.host eq "old.both.test"', ssl: "flexible", enabled: false },
      { expression: 'http.host eq "ent.both.test"', ssl: "strict", enabled: true },
    ]);
    const rulesetPaths = live.paths().filter((p) => p.includes("/rulesets"));
    expect(rulesetPaths.sort()).toEqual(
      [
        `/zones/${id("both.test")}/rulesets`,
        `/zones/${id("both.test")}/rulesets/phases/http_config_settings/entrypoint`,
        `/zones/${id("both.test")}/rulesets/phases/http_request_origin/entrypoint`,
      ].sort(),
    );
  });

  it("asks only for the entry points the list shows", async () => {
    const state = await live.read({ zones: [{ name: "config.test" }, { name: "none.test" }] });
    expect(state.zones.map((z) => [z.name, z.originRules.length, z.configRules?.length])).toEqual([
      ["config.test", 0, 1],
      ["none.test", 0, 0],
    ]);
    const rulesetPaths = live.paths().filter((p) => p.includes("/rulesets"));
    expect(rulesetPaths.sort()).toEqual(
      [
        `/zones/${id("config.test")}/rulesets`,
        `/zones/${id("config.test")}/rulesets/phases/http_config_settings/entrypoint`,
        `/zones/${id("none.test")}/rulesets`,
      ].sort(),
    );
    // No 404 was asked for.
    expect(emu.requests().every((r) => r.status === 200)).toBe(true);
  });

  it("follows the list's cursor to the next page", async () => {
    const next = Buffer.from("rulesets:1").toString("base64url");
    const managed = {
      id: "m".repeat(32),
      name: "managed",
      kind: "managed",
      phase: "http_request_firewall_managed",
    };
    emu.faults.answer(1, 200, envelope([managed], { cursor: next }), { path: /\/rulesets$/ });
    const zone = (await live.read({ zones: [{ name: "config.test" }] })).zones[0]!;
    expect(zone.configRules).toHaveLength(1);
    expect(
      emu
        .requests()
        .filter((r) => r.path.endsWith("/rulesets"))
        .map((r) => r.query.cursor),
    ).toEqual([undefined, next]);
  });

  it("takes an entry point that vanished after the list (Cloudflare's 404 10003) as none", async () => {
    emu.faults.answer(1, 404, cloudflareFailure(10003, "could not find entrypoint ruleset"), {
      path: "http_config_settings/entrypoint",
    });
    expect((await live.read({ zones: [{ name: "config.test" }] })).zones[0]!.configRules).toEqual([]);
  });

  it("keeps an SSL/TLS mode it does not know as unresolved, naming the value", async () => {
    emu.faults.answer(
      1,
      200,
      envelope({
        id: "r".repeat(32),
        name: "default",
        kind: "zone",
        phase: "http_config_settings",
        rules: [{ action: "set_config", expression: "true", action_parameters: { ssl: "quantum" } }],
      }),
      { path: "http_config_settings/entrypoint" },
    );
    const [rule] = (await live.read({ zones: [{ name: "config.test" }] })).zones[0]!.configRules!;
    expect(isUnresolved(rule!.ssl)).toBe(true);
    expect(rule!.ssl).toEqual({ unresolved: 'SSL/TLS mode "quantum" that cf-preflight does not know' });
  });
});

describe("answers it cannot use fail closed, naming the endpoint", () => {
  it("a rulesets list whose item has no phase", async () => {
    emu.faults.answer(1, 200, envelope([{ id: "x", kind: "zone", name: "default" }], {}), {
      path: /\/rulesets$/,
    });
    const error = await live.failure({ zones: [{ name: "config.test" }] });
    expect(error.message).toContain(`GET /zones/${id("config.test")}/rulesets`);
    expect(error.message).toMatch(/result\[0\]\.phase: expected string/);
  });

  it("a rulesets page that is empty but names a next cursor", async () => {
    emu.faults.answer(1, 200, envelope([], { cursor: "abc" }), { path: /\/rulesets$/ });
    expect((await live.failure({ zones: [{ name: "config.test" }] })).message).toMatch(
      /a page is empty but names a next cursor/,
    );
  });

  it("a configuration entry point answering success: false with HTTP 200", async () => {
    emu.faults.answer(1, 200, cloudflareFailure(10000, "nope"), { path: "http_config_settings/entrypoint" });
    const error = await live.failure({ zones: [{ name: "config.test" }] });
    expect(error.message).toContain(
      `GET /zones/${id("config.test")}/rulesets/phases/http_config_settings/entrypoint`,
    );
    expect(error.message).toMatch(/success is false although the HTTP status is 200/);
  });

  it("a configuration entry point whose rules are not a list", async () => {
    emu.faults.answer(1, 200, envelope({ name: "default", kind: "zone", phase: "x", rules: {} }), {
      path: "http_config_settings/entrypoint",
    });
    expect((await live.failure({ zones: [{ name: "config.test" }] })).message).toMatch(
      /configuration rules of zone config\.test.*result\.rules: expected array/,
    );
  });

  it("a 404 that is not Cloudflare's 'no entry point'", async () => {
    emu.faults.answer(1, 404, cloudflareFailure(7000, "No route for that URI"), {
      path: "http_config_settings/entrypoint",
    });
    const error = await live.failure({ zones: [{ name: "config.test" }] });
    expect(error.message).toMatch(
      /Cloudflare refused to return the configuration rules of zone config\.test/,
    );
    expect(error.message).toMatch(/\(HTTP 404\)/);
  });

  it("a token without Config Settings Read", async () => {
    emu.state.grantToken(TOKEN, [
      "Zone Read",
      "DNS Read",
      "Zone Settings Read",
      "Origin Read",
      "Page Rules Read",
      "SSL and Certificates Read",
    ]);
    try {
      const error = await live.failure({ zones: [{ name: "config.test" }] });
      expect(error.message).toContain('it likely lacks the "Config Settings Read" permission');
    } finally {
      emu.state.grantToken(TOKEN);
    }
  });
});

describe("toConfigRules", () => {
  it("keeps set_config rules with an SSL/TLS mode, and nothing else", () => {
    expect(
      toConfigRules([
        { action: "set_config", expression: "a", action_parameters: { ssl: "off" } },
        { action: "set_config", expression: "b", action_parameters: {} },
        { action: "route", expression: "c", action_parameters: { ssl: "full" } },
        { action: "set_config", action_parameters: { ssl: "full" } },
      ]),
    ).toEqual([{ expression: "a", ssl: "off", enabled: true }]);
  });

  it("never quotes the token in an unknown value", () => {
    const [rule] = toConfigRules(
      [{ action: "set_config", expression: "a", action_parameters: { ssl: `x-${TOKEN}` } }],
      TOKEN,
    );
    expect(JSON.stringify(rule)).not.toContain(TOKEN);
    expect(isUnresolved(rule!.ssl)).toBe(true);
  });
});
