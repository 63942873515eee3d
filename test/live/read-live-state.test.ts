import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import { VerifyError } from "../../checks/errors.js";
import { type LiveReadOptions, type LiveStateRequest, readLiveState } from "../../checks/live/index.js";
import type { LiveState } from "../../checks/model/zone.js";
import { manyRecords, TOKEN } from "../emulator/fixtures.js";

const BIG = 12_345;
const ACCOUNT = "b".repeat(32);
let emu: Emulator;
/** Every message the reader produced (errors, hints, progress), to prove the token is in none. */
const messages: string[] = [];

function options(extra: Partial<LiveReadOptions> = {}): LiveReadOptions {
  return {
    token: TOKEN,
    baseURL: emu.url,
    backoffMs: 10,
    onProgress: (message) => messages.push(message),
    ...extra,
  };
}

async function read(request: LiveStateRequest, extra: Partial<LiveReadOptions> = {}): Promise<LiveState> {
  try {
    return await readLiveState(request, options(extra));
  } catch (error) {
    if (error instanceof VerifyError) messages.push(error.message, error.hint ?? "");
    throw error;
  }
}

async function failure(
  request: LiveStateRequest,
  extra: Partial<LiveReadOptions> = {},
): Promise<VerifyError> {
  const error = await read(request, extra).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VerifyError);
  return error as VerifyError;
}

/** The zone's records as the emulator holds them now: the truth a snapshot must equal. */
function truth(zoneName: string): string[] {
  const zone = emu.state.zoneByName(zoneName)!;
  return emu.state
    .records(zone.id)
    .map((r) => `${r.id} ${r.name} ${r.type} ${r.content} ${r.proxied}`)
    .sort();
}

function snapshot(state: LiveState, zoneName: string): string[] {
  const zone = state.zones.find((z) => z.name === zoneName)!;
  return zone.records
    .map((r) => `${r.id} ${r.fqdn} ${r.type} ${String(r.content)} ${String(r.proxied)}`)
    .sort();
}

function writes(): string[] {
  return emu.requests().flatMap((r) => (r.method === "GET" ? [] : [`${r.method} ${r.path}`]));
}

beforeAll(async () => {
  emu = await startEmulator({
    token: TOKEN,
    seed: {
      zones: [
        { name: "big.test", ssl: "full", records: manyRecords(BIG) },
        {
          name: "example.com",
          ssl: "strict",
          records: [
            { name: "www", type: "A", content: "192.0.2.10", proxied: true },
            { name: "WWW.Example.com.", type: "AAAA", content: "2001:db8::10", proxied: true },
            { name: "@", type: "MX", content: "mail.example.com", priority: 10, ttl: 3600 },
            { name: "managed", type: "TXT", content: "cf-managed", readOnly: true, ttl: 300 },
          ],
          originRules: [
            { expression: 'http.host eq "api.example.com"', port: 8443 },
            {
              expression: 'http.host in {"a.example.com" "B.example.com"}',
              port: 8080,
              host: "alt.example.net",
            },
            { expression: 'http.request.uri.path contains "/x"', port: 9000, enabled: false },
          ],
          configRules: [
            { expression: 'http.host eq "www.example.com"', ssl: "flexible", description: "www flexible" },
            { expression: "true", settings: { bic: true } },
          ],
        },
        { name: "small.test", ssl: "flexible", records: manyRecords(30, "s") },
      ],
      accounts: [
        { id: ACCOUNT, lists: [{ name: "origin_allow", items: ["192.0.2.0/24", "198.51.100.0/24"] }] },
      ],
    },
  });
});

afterEach(() => {
  emu.faults.clear();
  emu.clearRequests();
});

afterAll(async () => {
  // Token hygiene over every message produced by every test in this file.
  expect(messages.length).toBeGreaterThan(0);
  for (const message of messages) expect(message).not.toContain(TOKEN);
  await emu?.close();
});

describe("a complete, read-only snapshot", () => {
  it(`reads a zone of ${BIG} records completely with the fewest list requests`, async () => {
    for (const pageSize of [1_000, 5_000_000]) {
      emu.clearRequests();
      const state = await read({ zones: [{ name: "big.test" }] }, { pageSize });
      expect(snapshot(state, "big.test")).toEqual(truth("big.test"));
      const lists = emu.requests().filter((r) => r.path.endsWith("/dns_records"));
      expect(lists.length).toBeLessThanOrEqual(Math.ceil(BIG / pageSize) + 1);
      expect(lists.every((r) => r.query.per_page === String(pageSize))).toBe(true);
      // Besides the record pages: /ips, the zone lookup, settings/ssl, the rulesets list (no entry
      // point to read), and, the zone being proxied and the budget having room, its page rules and
      // its three AOP reads.
      expect(state.requestCount).toBe(lists.length + 8);
      expect(emu.requests()).toHaveLength(state.requestCount);
      expect(writes()).toEqual([]);
    }
  });

  it("converts records, SSL mode, origin rules, ranges and lists to the shared model", async () => {
    const state = await read(
      { zones: [{ name: "Example.COM." }], lists: [{ accountId: ACCOUNT, name: "origin_allow" }] },
      { pageSize: 2 },
    );
    const zone = state.zones[0]!;
    expect(zone).toMatchObject({ name: "example.com", status: "active", sslMode: "strict" });
    expect(zone.id).toBe(emu.state.zoneByName("example.com")!.id);
    const byType = Object.fromEntries(zone.records.map((r) => [r.type, r]));
    expect(byType.A).toMatchObject({ fqdn: "www.example.com", content: "192.0.2.10", proxied: true, ttl: 1 });
    expect(byType.AAAA).toMatchObject({ fqdn: "www.example.com", proxied: true });
    expect(byType.MX).toMatchObject({
      fqdn: "example.com",
      content: "mail.example.com",
      priority: 10,
      ttl: 3600,
    });
    expect(byType.TXT).toMatchObject({ readOnly: true });
    expect(byType.A!.readOnly).toBe(false);
    expect(zone.originRules).toEqual([
      {
        expression: 'http.host eq "api.example.com"',
        hostnames: ["api.example.com"],
        port: 8443,
        enabled: true,
      },
      {
        expression: 'http.host in {"a.example.com" "B.example.com"}',
        hostnames: ["a.example.com", "b.example.com"],
        port: 8080,
        host: "alt.example.net",
        enabled: true,
      },
      { expression: 'http.request.uri.path contains "/x"', hostnames: undefined, port: 9000, enabled: false },
    ]);
    // Only the rule that sets the SSL/TLS mode: the other changes nothing on the way to the origin.
    expect(zone.configRules).toEqual([
      {
        expression: 'http.host eq "www.example.com"',
        ssl: "flexible",
        enabled: true,
        description: "www flexible",
      },
    ]);
    expect(zone.pageRules).toEqual([]);
    expect(zone.originPulls).toEqual({ zone: false, global: false, zoneCertificate: false, hostnames: [] });
    expect(state.tunnels).toEqual([]);
    expect(state.missingTunnels).toEqual([]);
    expect(state.unread).toEqual([]);
    expect(state.ranges).toMatchObject({ origin: "live", etag: emu.state.ips.etag });
    expect(state.ranges.ipv4).toEqual(emu.state.ips.ipv4_cidrs);
    expect(state.ipLists).toEqual([
      { name: "origin_allow", accountId: ACCOUNT, items: ["192.0.2.0/24", "198.51.100.0/24"] },
    ]);
    expect(writes()).toEqual([]);
  });

  it("reads a zone without origin rules (404) as none, and zones by id", async () => {
    const small = emu.state.zoneByName("small.test")!;
    const state = await read({ zones: [{ id: small.id }, { name: "big.test" }] }, { concurrency: 2 });
    expect(state.zones.map((z) => [z.name, z.sslMode, z.records.length, z.originRules.length])).toEqual([
      ["small.test", "flexible", 30, 0],
      ["big.test", "full", BIG, 0],
    ]);
  });

  it("never sends anything but GET", async () => {
    await read({
      zones: [{ name: "example.com" }, { name: "small.test" }],
      lists: [{ accountId: ACCOUNT, name: "origin_allow" }],
    });
    expect(emu.requests().length).toBeGreaterThan(5);
    expect(writes()).toEqual([]);
  });
});

describe("failures end in VerifyError, never in a wrong snapshot", () => {
  it("waits out a 429 burst with Retry-After and returns the correct snapshot", async () => {
    emu.faults.rateLimit(2, 1, { path: "/dns_records" });
    const state = await read({ zones: [{ name: "small.test" }] }, { pageSize: 10 });
    expect(snapshot(state, "small.test")).toEqual(truth("small.test"));
    expect(emu.requests().filter((r) => r.status === 429)).toHaveLength(2);
  });

  it('fails "rate limit outlasted" when Retry-After goes past the deadline', async () => {
    emu.faults.rateLimit(5, 600, { path: "/settings/ssl" });
    const error = await failure({ zones: [{ name: "small.test" }] }, { deadlineMs: 5_000 });
    expect(error.message).toMatch(/rate limit outlasted/);
    expect(error.message).toMatch(/SSL\/TLS mode of zone small\.test/);
  });

  it("retries 503s and returns the correct snapshot", async () => {
    emu.faults.serverError(2, 503, { path: "/dns_records" });
    const state = await read({ zones: [{ name: "big.test" }] }, { pageSize: 5_000 });
    expect(snapshot(state, "big.test")).toEqual(truth("big.test"));
  });

  it("fails after too many 5xx", async () => {
    emu.faults.serverError(10, 503, { path: "/dns_records" });
    const error = await failure({ zones: [{ name: "small.test" }] }, { maxRetries: 2 });
    expect(error.message).toMatch(
      /could not read DNS records of zone small\.test \(GET \/zones\/[0-9a-f]{32}\/dns_records\) after 3 attempts: HTTP 503/,
    );
  });

  it("re-reads a truncated body and returns the correct snapshot", async () => {
    emu.faults.truncate(1, { path: "/dns_records" });
    const state = await read({ zones: [{ name: "big.test" }] }, { pageSize: 5_000 });
    expect(snapshot(state, "big.test")).toEqual(truth("big.test"));
    expect(emu.requests().filter((r) => r.path.endsWith("/dns_records")).length).toBe(
      Math.ceil(BIG / 5_000) + 1,
    );
  });

  it("fails when bodies keep being cut off", async () => {
    emu.faults.truncate(10, { path: "/settings/ssl" });
    const error = await failure({ zones: [{ name: "small.test" }] }, { maxRetries: 2 });
    expect(error.message).toMatch(
      /SSL\/TLS mode of zone small\.test \(GET \/zones\/[0-9a-f]{32}\/settings\/ssl\) after 3 attempts: incomplete or malformed/,
    );
  });

  it("notices a record added between pages and reads the zone again", async () => {
    const zone = emu.state.addZone({ name: "moving.test", records: manyRecords(2_500) });
    emu.faults.addRecordBetweenPages(zone.id, { afterPage: 1 });
    const state = await read({ zones: [{ name: "moving.test" }] }, { pageSize: 1_000 });
    expect(snapshot(state, "moving.test")).toEqual(truth("moving.test"));
    expect(state.zones[0]!.records).toHaveLength(2_501);
    expect(messages.some((m) => /moving\.test changed while being read/.test(m))).toBe(true);
  });

  it("fails when the zone keeps changing between pages", async () => {
    const zone = emu.state.addZone({ name: "churn.test", records: manyRecords(50) });
    emu.faults.addRecordBetweenPages(zone.id, { afterPage: 1, count: 10 });
    const error = await failure({ zones: [{ name: "churn.test" }] }, { pageSize: 20 });
    expect(error.message).toMatch(
      /DNS records of zone churn\.test \(GET \/zones\/[0-9a-f]{32}\/dns_records\) kept changing while being read/,
    );
  });

  it("gives up on a request slower than its timeout", async () => {
    emu.faults.latency(2_000, { path: "/ips" });
    const error = await failure({ zones: [] }, { requestTimeoutMs: 200, maxRetries: 1 });
    expect(error.message).toMatch(
      /could not read Cloudflare's IP ranges \(GET \/ips\) after 2 attempts: Request timed out/,
    );
  });

  it("fails on a zone that does not exist", async () => {
    expect((await failure({ zones: [{ name: "absent.test" }] })).message).toMatch(
      /zone absent\.test does not exist, or the API token cannot see it/,
    );
    expect((await failure({ zones: [{ id: "0".repeat(31) + "1" }] })).message).toMatch(/does not exist/);
  });

  it("fails on a list that does not exist", async () => {
    const error = await failure({ zones: [], lists: [{ accountId: ACCOUNT, name: "nope" }] });
    expect(error.message).toMatch(/account IP list nope was not found/);
  });

  it("fails on an unreachable API", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await failure(
      { zones: [{ name: "example.com" }] },
      { baseURL: `http://127.0.0.1:${port}/client/v4`, maxRetries: 1 },
    );
    expect(error.message).toMatch(
      /could not read Cloudflare's IP ranges \(GET \/ips\) after 2 attempts: Connection error/,
    );
  });
});

describe("permissions and token hygiene", () => {
  const ALL = [
    "Zone Read",
    "DNS Read",
    "Zone Settings Read",
    "Origin Read",
    "Config Settings Read",
    "Page Rules Read",
    "SSL and Certificates Read",
    "Cloudflare Tunnel Read",
    "Account Filter Lists Read",
  ] as const;
  // Every permission a read of example.com (proxied, with origin and configuration rules) and the
  // list needs; tunnels are in tunnels.test.ts.
  const cases = ALL.filter((p) => p !== "Cloudflare Tunnel Read").map((lacks) => ({
    permissions: ALL.filter((p) => p !== lacks),
    lacks,
  }));

  for (const { permissions, lacks } of cases) {
    it(`says the token lacks "${lacks}" on 403`, async () => {
      const zoneId = emu.state.zoneByName("example.com")!.id;
      emu.state.grantToken(TOKEN, permissions);
      try {
        const error = await failure({
          zones: [lacks === "Zone Read" ? { id: zoneId } : { name: "example.com" }],
          lists: [{ accountId: ACCOUNT, name: "origin_allow" }],
        });
        expect(error.message).toContain(`(HTTP 403): it likely lacks the "${lacks}" permission`);
        expect(error.hint).toContain(lacks);
      } finally {
        emu.state.grantToken(TOKEN);
      }
    });
  }

  it("says the token was not accepted on 401, without showing it", async () => {
    const error = await failure({ zones: [{ name: "example.com" }] }, { token: "tok-SECRET-123-but-wrong" });
    expect(error.message).toMatch(/did not accept the API token \(HTTP 401\).*"Zone Read"/);
    expect(error.message).not.toContain("tok-SECRET");
  });

  it("scrubs the token even when the failure text contains it", async () => {
    const error = await failure(
      { zones: [{ name: "example.com" }] },
      { baseURL: `http://127.0.0.1:1/${TOKEN}/client/v4`, maxRetries: 0 },
    );
    expect(`${error.message} ${error.hint ?? ""}`).not.toContain(TOKEN);
  });
});
