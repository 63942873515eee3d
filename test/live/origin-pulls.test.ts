import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import { AOP_HOSTNAMES_PAGE_SIZE, UNLIMITED_REQUEST_BUDGET } from "../../checks/live/index.js";
import { toOriginPulls } from "../../checks/live/origin-pulls.js";
import { TOKEN } from "../emulator/fixtures.js";
import { envelope, liveReader } from "./live-helpers.js";

/** Authenticated Origin Pulls: global (tls_client_auth), zone-level, per hostname. */

let emu: Emulator;
const live = liveReader(() => emu);
const www = { name: "www", type: "A" as const, content: "192.0.2.10", proxied: true };
const MANY = AOP_HOSTNAMES_PAGE_SIZE + 20;

beforeAll(async () => {
  emu = await startEmulator({
    token: TOKEN,
    seed: {
      zones: [
        {
          name: "aop.test",
          records: [www],
          originPulls: {
            global: true,
            zoneCertificate: false,
            hostnames: [
              { hostname: "WWW.aop.test", enabled: false },
              { hostname: "api.aop.test", enabled: true, status: "pending_deployment" },
              { hostname: "void.aop.test", enabled: null },
            ],
          },
        },
        { name: "own-cert.test", records: [www], originPulls: { zoneCertificate: true } },
        {
          name: "many.test",
          records: [www],
          originPulls: {
            hostnames: Array.from({ length: MANY }, (_, i) => ({
              hostname: `h${i}.many.test`,
              enabled: i % 2 === 0,
            })),
          },
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

describe("reading Authenticated Origin Pulls", () => {
  it("reads the three configurations; a voided association is left out, every status is listed", async () => {
    const state = await live.read({ zones: [{ name: "aop.test" }, { name: "own-cert.test" }] });
    expect(state.zones[0]!.originPulls).toEqual({
      zone: true,
      global: true,
      zoneCertificate: false,
      hostnames: [
        { hostname: "www.aop.test", enabled: false },
        { hostname: "api.aop.test", enabled: true },
      ],
    });
    expect(state.zones[1]!.originPulls).toEqual({
      zone: true,
      global: false,
      zoneCertificate: true,
      hostnames: [],
    });
    const lists = emu.requests().filter((r) => r.path.endsWith("/origin_tls_client_auth/hostnames"));
    expect(lists.map((r) => r.query)).toEqual([
      { page: "1", per_page: String(AOP_HOSTNAMES_PAGE_SIZE), status: "all" },
      { page: "1", per_page: String(AOP_HOSTNAMES_PAGE_SIZE), status: "all" },
    ]);
  });

  it(`reads every page of a zone with ${MANY} associations`, async () => {
    const zone = (await live.read({ zones: [{ name: "many.test" }] })).zones[0]!;
    expect(zone.originPulls!.hostnames).toHaveLength(MANY);
    expect(zone.originPulls!.hostnames.filter((h) => h.enabled)).toHaveLength(MANY / 2);
    const pages = emu
      .requests()
      .filter((r) => r.path.endsWith("/hostnames"))
      .map((r) => r.query.page);
    expect(pages).toEqual(["1", "2"]);
  });
});

describe("answers it cannot use fail closed, naming the endpoint", () => {
  it("a zone-level setting without `enabled`", async () => {
    emu.faults.answer(1, 200, envelope({}), { path: "/origin_tls_client_auth/settings" });
    const error = await live.failure({ zones: [{ name: "aop.test" }] });
    expect(error.message).toMatch(
      /GET \/zones\/[0-9a-f]{32}\/origin_tls_client_auth\/settings is not usable/,
    );
    expect(error.message).toMatch(/result\.enabled: expected boolean/);
  });

  it("a tls_client_auth value other than on or off", async () => {
    emu.faults.answer(1, 200, envelope({ id: "tls_client_auth", value: "maybe" }), {
      path: "/settings/tls_client_auth",
    });
    expect((await live.failure({ zones: [{ name: "aop.test" }] })).message).toMatch(
      /Authenticated Origin Pulls setting of zone aop\.test.*result\.value/,
    );
  });

  it("an association page whose totals do not add up", async () => {
    emu.faults.answer(
      1,
      200,
      envelope([{ hostname: "a.aop.test", enabled: true }], {
        page: 1,
        per_page: AOP_HOSTNAMES_PAGE_SIZE,
        count: 1,
        total_count: 5,
        total_pages: 1,
      }),
      { path: "/origin_tls_client_auth/hostnames" },
    );
    expect((await live.failure({ zones: [{ name: "aop.test" }] })).message).toMatch(
      /per-hostname Authenticated Origin Pulls of zone aop\.test.*read 1 items in 1 pages, but total_count is 5/,
    );
  });

  it("an association without its hostname", async () => {
    emu.faults.answer(
      1,
      200,
      envelope([{ enabled: true }], { page: 1, per_page: 1000, count: 1, total_count: 1, total_pages: 1 }),
      { path: "/origin_tls_client_auth/hostnames" },
    );
    expect((await live.failure({ zones: [{ name: "aop.test" }] })).message).toMatch(/result\[0\]\.hostname/);
  });

  it("a token without SSL and Certificates Read", async () => {
    emu.state.grantToken(TOKEN, [
      "Zone Read",
      "DNS Read",
      "Zone Settings Read",
      "Origin Read",
      "Page Rules Read",
    ]);
    try {
      const error = await live.failure(
        { zones: [{ name: "aop.test" }] },
        { requestBudget: UNLIMITED_REQUEST_BUDGET },
      );
      expect(error.message).toContain('it likely lacks the "SSL and Certificates Read" permission');
    } finally {
      emu.state.grantToken(TOKEN);
    }
  });
});

describe("toOriginPulls", () => {
  it("is on for the zone when either zone-wide configuration is", () => {
    expect(toOriginPulls(false, false, []).zone).toBe(false);
    expect(toOriginPulls(true, false, []).zone).toBe(true);
    expect(toOriginPulls(false, true, []).zone).toBe(true);
    expect(toOriginPulls(false, false, [{ hostname: "A.test.", enabled: null }]).hostnames).toEqual([]);
  });
});
