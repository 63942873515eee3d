import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import type { ZoneSeed } from "../../checks/emulator/seed.js";
import { CHECK_REQUEST_BUDGET, requestLimit, UNLIMITED_REQUEST_BUDGET } from "../../checks/live/index.js";
import { planOptionalReads } from "../../checks/live/request-budget.js";
import { TOKEN } from "../emulator/fixtures.js";
import { liveReader } from "./live-helpers.js";

/**
 * Issue 13's request budget: everything `check` reads stays within 3 requests per zone on average
 * plus a fixed number, measured on a 20-zone account from the emulator's own request log.
 */

const ACCOUNT = "f".repeat(32);
const TUNNEL_REMOTE = "c3c3c3c3-0000-4000-8000-000000000001";
const TUNNEL_LOCAL = "c3c3c3c3-0000-4000-8000-000000000002";
const ZONES = 20;
const name = (i: number) => `z${String(i).padStart(2, "0")}.test`;

/**
 * A realistic account: 14 websites behind the proxy (three with origin rules, two with
 * configuration rules, one with both, two served through tunnels, two with page rules, one with
 * AOP, one whose plan allows no page rules) and 6 domains that are DNS-only (mail, parked).
 */
function account(): ZoneSeed[] {
  return Array.from({ length: ZONES }, (_, n) => {
    const i = n + 1;
    const proxied = i <= 14;
    const zone: ZoneSeed = {
      name: name(i),
      accountId: ACCOUNT,
      ssl: "strict",
      records: [
        { name: "www", type: "A", content: `198.18.0.${i}`, proxied },
        { name: "@", type: "MX", content: `mail.${name(i)}`, priority: 10, ttl: 3600 },
        { name: "@", type: "TXT", content: "v=spf1 mx -all", ttl: 3600 },
      ],
    };
    const origin = [{ expression: `http.host eq "api.${name(i)}"`, port: 8443 }];
    const config = [{ expression: `http.host eq "www.${name(i)}"`, ssl: "full" as const }];
    if (i <= 3) zone.originRules = origin;
    if (i === 4 || i === 5) zone.configRules = config;
    if (i === 6) Object.assign(zone, { originRules: origin, configRules: config });
    if (i === 7 || i === 8) {
      const id = i === 7 ? TUNNEL_REMOTE : TUNNEL_LOCAL;
      zone.records!.push({ name: "app", type: "CNAME", content: `${id}.cfargotunnel.com`, proxied: true });
    }
    if (i === 9 || i === 10) zone.pageRules = [{ target: `*${name(i)}/legacy/*`, ssl: "flexible" }];
    if (i === 11) zone.originPulls = { global: true };
    if (i === 12) zone.pageRuleQuota = 0;
    return zone;
  });
}

let emu: Emulator;
const live = liveReader(() => emu);
const request = () => ({ zones: Array.from({ length: ZONES }, (_, n) => ({ name: name(n + 1) })) });

beforeAll(async () => {
  emu = await startEmulator({
    token: TOKEN,
    seed: {
      accounts: [
        {
          id: ACCOUNT,
          tunnels: [
            {
              id: TUNNEL_REMOTE,
              name: "remote",
              ingress: [
                { hostname: "app.z07.test", service: "http://localhost:80" },
                { service: "http_status:404" },
              ],
            },
            { id: TUNNEL_LOCAL, name: "local", configSrc: "local" },
          ],
        },
      ],
      zones: account(),
    },
  });
});

afterEach(() => {
  emu.clearRequests();
});

afterAll(async () => {
  live.expectNoToken();
  await emu?.close();
});

/** Requests about one zone (`/zones/{id}/…`), and the rest (ranges, the zone listing, tunnels). */
function split() {
  const log = emu.requests();
  const zoneIds = new Set(Array.from({ length: ZONES }, (_, n) => emu.state.zoneByName(name(n + 1))!.id));
  const perZone = log.filter((r) => zoneIds.has(r.path.split("/")[2] ?? ""));
  return { total: log.length, perZone: perZone.length, other: log.length - perZone.length };
}

describe(`a ${ZONES}-zone account`, () => {
  it("stays within 3 requests per zone on average plus the fixed number, reading everything every check needs", async () => {
    const state = await live.read(request());
    const { total, perZone, other } = split();
    expect(state.requestCount).toBe(total);
    const limit = requestLimit(ZONES, CHECK_REQUEST_BUDGET);
    expect(total).toBeLessThanOrEqual(limit);
    expect((total - CHECK_REQUEST_BUDGET.fixed) / ZONES).toBeLessThanOrEqual(CHECK_REQUEST_BUDGET.perZone);
    // Never left out: every zone's records, SSL mode, origin and configuration rules; the tunnels.
    expect(state.zones).toHaveLength(ZONES);
    for (const zone of state.zones) {
      expect(zone.records.length, zone.name).toBe(
        zone.name === "z07.test" || zone.name === "z08.test" ? 4 : 3,
      );
      expect(zone.sslMode).toBe("strict");
      expect(zone.configRules).toBeDefined();
    }
    expect(state.zones.filter((z) => z.originRules.length > 0).map((z) => z.name)).toEqual([
      "z01.test",
      "z02.test",
      "z03.test",
      "z06.test",
    ]);
    expect(state.tunnels!.map((t) => t.name).sort()).toEqual(["local", "remote"]);
    // The fixed reads: /ips, one page of the zone listing, two tunnels and one configuration.
    expect(other).toBe(1 + 1 + 3);
    // Per zone: records, SSL mode and the rulesets list for all 20, the 7 entry points that exist,
    // and page rules for as many proxied zones as the budget has room for.
    const pageRulesRead = state.zones.filter(
      (z) => z.pageRules !== undefined && z.name !== "z12.test",
    ).length;
    expect(perZone).toBe(ZONES * 3 + 7 + pageRulesRead);
    expect(total).toBe(limit);
    // What did not fit is said, zone by zone, and its fields are left undefined, never empty.
    expect(state.unread![0]!.why).toBe(
      "not read: the request budget (3 per zone on average, plus 20) went to the reads every check needs",
    );
    expect(
      live.messages.filter((m) => m.startsWith("left out to stay within the API request budget")),
    ).toHaveLength(1);
    for (const zone of state.zones) {
      const unread = state.unread!.filter((u) => u.zone === zone.name).map((u) => u.what);
      expect(unread.includes("pageRules"), zone.name).toBe(zone.pageRules === undefined);
      expect(unread.includes("originPulls"), zone.name).toBe(zone.originPulls === undefined);
    }
    // The proxied zones come first; z12 has no page rules to read (quota 0).
    expect(state.zones.find((z) => z.name === "z12.test")!.pageRules).toEqual([]);
    expect(state.zones.slice(0, 8).every((z) => z.pageRules !== undefined)).toBe(true);
    expect(state.zones.slice(14).every((z) => z.pageRules === undefined)).toBe(true);
    console.log(
      `request budget, ${ZONES} zones: ${total} requests (${perZone} about single zones, ${(perZone / ZONES).toFixed(2)} per zone; ${other} fixed) within ${limit} = ${CHECK_REQUEST_BUDGET.perZone} x ${ZONES} + ${CHECK_REQUEST_BUDGET.fixed}; unread: ${state.unread!.length}`,
    );
  });

  it("reads everything when the budget allows it, at the count the plan says", async () => {
    const state = await live.read(request(), { requestBudget: UNLIMITED_REQUEST_BUDGET });
    const { total, perZone, other } = split();
    expect(state.unread).toEqual([]);
    // 3 per zone, 7 entry points, page rules of the 19 zones that may have them, 3 AOP reads each.
    expect(perZone).toBe(ZONES * 3 + 7 + 19 + ZONES * 3);
    expect(other).toBe(5);
    expect(total).toBe(151);
    expect(state.zones.find((z) => z.name === "z09.test")!.pageRules).toEqual([
      { target: "*z09.test/legacy/*", enabled: true, priority: 1, ssl: "flexible" },
    ]);
    expect(state.zones.find((z) => z.name === "z11.test")!.originPulls).toMatchObject({
      zone: true,
      global: true,
    });
    console.log(
      `everything read, ${ZONES} zones: ${total} requests (${(perZone / ZONES).toFixed(2)} per zone)`,
    );
  });

  it("never plans past the read's ceiling of requests, whatever the budget", async () => {
    const state = await live.read(request(), { requestBudget: UNLIMITED_REQUEST_BUDGET, maxRequests: 90 });
    expect(state.requestCount).toBeLessThanOrEqual(90);
    expect(state.requestCount).toBeGreaterThan(80);
    expect(state.unread!.length).toBeGreaterThan(0);
    expect(state.unread!.every((u) => u.why === "not read: the read's ceiling of requests was reached")).toBe(
      true,
    );
  });
});

describe("planOptionalReads", () => {
  const zone = (name: string, proxied: boolean, noPageRules = false) => ({
    zone: name,
    proxied,
    noPageRules,
  });

  it("spends what is left on the proxied zones' page rules first, then their AOP, then the rest", () => {
    // 6 requests: page rules of a and b (2), AOP of a (3), then the DNS-only zone's page rules (1).
    const plan = planOptionalReads([zone("dns", false), zone("a", true), zone("b", true)], 6);
    expect(plan.pageRules).toEqual([true, true, true]);
    expect(plan.originPulls).toEqual([false, true, false]);
    expect(plan.unread).toEqual([
      { zone: "dns", what: "originPulls", why: expect.any(String) },
      { zone: "b", what: "originPulls", why: expect.any(String) },
    ]);
    expect(planOptionalReads([zone("dns", false), zone("a", true), zone("b", true)], 5).pageRules).toEqual([
      false,
      true,
      true,
    ]);
  });

  it("reads everything when there is room, and nothing when there is none", () => {
    const candidates = [zone("a", true), zone("b", false, true)];
    expect(planOptionalReads(candidates, 100)).toEqual({
      pageRules: [true, false],
      originPulls: [true, true],
      unread: [],
    });
    const none = planOptionalReads(candidates, -3);
    expect(none.pageRules).toEqual([false, false]);
    expect(none.unread.map((u) => `${u.zone} ${u.what}`)).toEqual([
      "a pageRules",
      "a originPulls",
      "b originPulls",
    ]);
  });

  it("does not spend on a zone that cannot have page rules", () => {
    expect(planOptionalReads([zone("a", true, true), zone("b", true)], 1).pageRules).toEqual([false, true]);
  });
});
