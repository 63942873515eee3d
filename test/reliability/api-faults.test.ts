import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError, VerifyError } from "../../checks/errors.js";
import { type LiveReadOptions, type LiveStateRequest, readLiveState } from "../../checks/live/index.js";
import {
  ACCOUNT_ID,
  IPS,
  LIST_ITEMS,
  LIST_NAME,
  PAGE_SIZE,
  RECORDS,
  ZONE_ID,
  ZONE_NAME,
} from "./fault-api/data.js";
import { SCENARIOS, TOKEN } from "./fault-api/scenarios.js";
import { expectNoSecret } from "./fault-api/secrets.js";
import { FaultApi, failure } from "./fault-api/server.js";

/**
 * Every API fault scenario read by the real SDK over real HTTP from the fault-injecting stand-in:
 * the read must fail closed — a VerifyError (exit 3) or, for a bad base URL, a UsageError (exit 2)
 * — with a message naming the endpoint and the problem, and no secret in any message or log line.
 * The last line of the run says how many of them did: `API fault scenarios N/M fail closed`.
 */

const REQUEST: LiveStateRequest = {
  zones: [{ name: ZONE_NAME }],
  lists: [{ accountId: ACCOUNT_ID, name: LIST_NAME }],
};

let api: FaultApi;
const attempted = new Set<string>();
const failedClosed = new Set<string>();

function options(extra: Partial<LiveReadOptions> = {}): LiveReadOptions {
  return {
    token: TOKEN,
    baseURL: api.url,
    pageSize: PAGE_SIZE,
    deadlineMs: 5_000,
    requestTimeoutMs: 5_000,
    maxRetries: 1,
    backoffMs: 5,
    ...extra,
  };
}

beforeAll(async () => {
  api = await FaultApi.start(TOKEN);
});

afterAll(async () => {
  await api?.close();
  console.log(`API fault scenarios ${failedClosed.size}/${SCENARIOS.length} fail closed`);
  // Every scenario that ran (all of them, unless the run was filtered) failed closed.
  expect([...attempted].filter((name) => !failedClosed.has(name))).toEqual([]);
});

describe("a healthy API is read completely", () => {
  it("reads every record over three pages, the SSL mode, origin rules, ranges and list items", async () => {
    api.reset();
    const state = await readLiveState(REQUEST, options());
    const zone = state.zones[0]!;
    expect(zone).toMatchObject({ id: ZONE_ID, name: ZONE_NAME, status: "active", sslMode: "strict" });
    expect(zone.records.map((r) => r.fqdn)).toEqual(RECORDS.map((r) => r.name));
    expect(zone.originRules).toMatchObject([{ port: 8443, hostnames: [`h1.${ZONE_NAME}`] }]);
    expect(state.ranges).toMatchObject({
      origin: "live",
      ipv4: IPS.ipv4_cidrs,
      ipv6: IPS.ipv6_cidrs,
      etag: IPS.etag,
    });
    expect(state.ipLists).toEqual([
      { name: LIST_NAME, accountId: ACCOUNT_ID, items: LIST_ITEMS.map((i) => i.ip) },
    ]);
    // /ips, the zone lookup, three record pages, SSL, the rulesets list, origin rules, the lists, one
    // page of items; then, within the request budget, the page rules and the three AOP reads.
    expect(state.requestCount).toBe(14);
    expect(api.requests).toHaveLength(14);
    expect(api.requestsTo("dnsRecords").map((r) => r.query)).toEqual([
      `?per_page=${PAGE_SIZE}`,
      `?per_page=${PAGE_SIZE}&page=2`,
      `?per_page=${PAGE_SIZE}&page=3`,
    ]);
    expect(new Set(api.requests.map((r) => r.method))).toEqual(new Set(["GET"]));
  });

  it("reads every record whatever the page size, and a zone by id", async () => {
    for (const pageSize of [1, 2, 4, 9, 100]) {
      api.reset();
      const state = await readLiveState({ zones: [{ id: ZONE_ID, name: ZONE_NAME }] }, options({ pageSize }));
      expect(state.zones[0]!.records).toHaveLength(RECORDS.length);
      expect(api.requestsTo("dnsRecords")).toHaveLength(Math.ceil(RECORDS.length / pageSize));
      expect(api.requestsTo("zones")).toHaveLength(0);
    }
  });

  it("reads a zone without an origin rules entrypoint (404) as having none", async () => {
    api.reset((ctx) =>
      ctx.endpoint === "originRules"
        ? failure(404, [{ code: 10003, message: "could not find entrypoint ruleset" }])
        : undefined,
    );
    const state = await readLiveState({ zones: [{ name: ZONE_NAME }] }, options());
    expect(state.zones[0]!.originRules).toEqual([]);
    expect(state.zones[0]!.records).toHaveLength(RECORDS.length);
  });
});

describe("every fault fails closed, naming the endpoint and the problem, with no secret", () => {
  for (const scenario of SCENARIOS) {
    it(scenario.name, async () => {
      attempted.add(scenario.name);
      api.reset(scenario.fault);
      const logs: string[] = [];
      const started = performance.now();
      const outcome = await readLiveState(
        REQUEST,
        options({
          ...(scenario.baseURL ? { baseURL: scenario.baseURL(api) } : {}),
          onProgress: (line) => logs.push(line),
          log: (line) => logs.push(line),
          ...scenario.options,
        }),
      ).then(
        (state) => ({ state }),
        (error: unknown) => ({ error }),
      );
      const elapsed = performance.now() - started;
      expect("state" in outcome, "the read returned live state").toBe(false);
      const error = (outcome as { error: Error }).error;
      expect(error).toBeInstanceOf(scenario.expect.error === "verify" ? VerifyError : UsageError);
      const text = `${error.message}\n${(error as VerifyError).hint ?? ""}`;
      expect(text).toContain(scenario.expect.names);
      expect(text).toMatch(scenario.expect.problem);
      expectNoSecret(text, "error");
      for (const line of logs) expectNoSecret(line, "log line");
      expect(api.requests.every((r) => r.method === "GET")).toBe(true);
      if (scenario.expect.withinMs !== undefined) expect(elapsed).toBeLessThan(scenario.expect.withinMs);
      if (scenario.expect.maxRequests !== undefined)
        expect(api.requests.length).toBeLessThanOrEqual(scenario.expect.maxRequests);
      // Nothing is still being read once the read has failed (a trickled body is cut, not abandoned).
      await expect.poll(() => api.open, { timeout: 1_000 }).toBe(0);
      failedClosed.add(scenario.name);
    });
  }
});
