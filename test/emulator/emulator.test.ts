import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Cloudflare from "cloudflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_IPS,
  DNS_RECORDS_PER_PAGE_MAX,
  type Emulator,
  parseSeed,
  startEmulator,
} from "../../checks/emulator/index.js";
import { loadSeedFile } from "../../checks/emulator/seed.js";
import { InputError } from "../../checks/errors.js";
import { DNS_RECORDS_PER_PAGE_API_MAX } from "../../checks/live/limits.js";
import { manyRecords, TOKEN } from "./fixtures.js";

let emu: Emulator;
let zoneId: string;
const ACCOUNT = "a".repeat(32);

async function api(path: string, init: RequestInit & { token?: string | null } = {}) {
  const { token = TOKEN, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token !== null) headers.set("authorization", `Bearer ${token}`);
  if (rest.body) headers.set("content-type", "application/json");
  const response = await fetch(`${emu.url}${path}`, { ...rest, headers });
  const text = await response.text();
  const type = response.headers.get("content-type") ?? "";
  return {
    status: response.status,
    headers: response.headers,
    body: type.includes("json") ? JSON.parse(text) : text,
  };
}

beforeAll(async () => {
  emu = await startEmulator({
    token: TOKEN,
    seed: {
      zones: [
        {
          name: "example.com",
          ssl: "strict",
          records: [
            { name: "www", type: "A", content: "192.0.2.10", proxied: true },
            { name: "@", type: "MX", content: "mail.example.com", priority: 10, ttl: 3600 },
            { name: "_sip._tcp", type: "SRV", content: "5 5060 sip.example.com", priority: 10, ttl: 300 },
            { name: "@", type: "TXT", content: "v=spf1 -all", ttl: 300 },
            { name: "api", type: "CNAME", content: "origin.example.net", proxied: false, ttl: 120 },
          ],
          originRules: [{ expression: 'http.host eq "api.example.com"', port: 8443 }],
        },
        { name: "other.org", status: "pending", records: manyRecords(250) },
      ],
      accounts: [
        { id: ACCOUNT, lists: [{ name: "origin_allow", items: manyRecords(60).map((r) => r.content) }] },
      ],
    },
  });
  zoneId = emu.state.zoneByName("example.com")!.id;
});
afterAll(async () => {
  await emu?.close();
});

describe("the v4 envelope and errors", () => {
  it("wraps results in {success, errors, messages, result}", async () => {
    const { status, body } = await api(`/zones/${zoneId}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      success: true,
      errors: [],
      messages: [],
      result: { id: zoneId, name: "example.com" },
    });
  });

  it("answers an unknown route with 404 and code 7000", async () => {
    const { status, body } = await api("/zones/x/nope");
    expect(status).toBe(404);
    expect(body).toMatchObject({ success: false, result: null, errors: [{ code: 7000 }] });
  });

  it("answers an unknown zone id with 404 and codes 7003 and 7000", async () => {
    const { status, body } = await api(`/zones/${"f".repeat(32)}/dns_records`);
    expect(status).toBe(404);
    expect(body.errors.map((e: { code: number }) => e.code)).toEqual([7003, 7000]);
  });

  it("refuses a missing or unknown token with 401 and code 10000", async () => {
    for (const token of [null, "wrong"]) {
      const { status, body } = await api("/zones", { token });
      expect(status).toBe(401);
      expect(body).toMatchObject({
        success: false,
        errors: [{ code: 10000, message: "Authentication error" }],
      });
    }
  });

  it("refuses a token without the endpoint's permission with 403", async () => {
    emu.state.grantToken("zone-only", ["Zone Read"]);
    expect((await api(`/zones/${zoneId}`, { token: "zone-only" })).status).toBe(200);
    const denied = await api(`/zones/${zoneId}/dns_records`, { token: "zone-only" });
    expect(denied.status).toBe(403);
    expect(denied.body.errors[0].code).toBe(10000);
    expect((await api(`/zones/${zoneId}/settings/ssl`, { token: "zone-only" })).status).toBe(403);
  });

  it("serves /ips without a token, by default the bundled snapshot", async () => {
    const { status, body } = await api("/ips", { token: null });
    expect(status).toBe(200);
    const shared = JSON.parse(
      await readFile(new URL("../../../shared/cloudflare-ips.json", import.meta.url), "utf8"),
    );
    expect(body.result.ipv4_cidrs).toEqual(shared.ipv4_cidrs);
    expect(body.result.ipv6_cidrs).toEqual(shared.ipv6_cidrs);
    expect(DEFAULT_IPS.ipv4_cidrs).toEqual(shared.ipv4_cidrs);
    expect(typeof body.result.etag).toBe("string");
  });
});

describe("zones", () => {
  it("filters by name and status and pages", async () => {
    const byName = await api("/zones?name=other.org");
    expect(byName.body.result.map((z: { name: string }) => z.name)).toEqual(["other.org"]);
    const pending = await api("/zones?status=pending");
    expect(pending.body.result.map((z: { status: string }) => z.status)).toEqual(["pending"]);
    const page2 = await api("/zones?per_page=5&page=2");
    expect(page2.body.result).toEqual([]);
    expect(page2.body.result_info).toMatchObject({
      page: 2,
      per_page: 5,
      count: 0,
      total_count: 2,
      total_pages: 1,
    });
    expect((await api("/zones?per_page=51")).status).toBe(400);
  });
});

describe("DNS record lists", () => {
  const other = () => emu.state.zoneByName("other.org")!.id;

  it("defaults to 100 per page and reports result_info", async () => {
    const { body } = await api(`/zones/${other()}/dns_records`);
    expect(body.result).toHaveLength(100);
    expect(body.result_info).toEqual({
      page: 1,
      per_page: 100,
      count: 100,
      total_count: 250,
      total_pages: 3,
    });
  });

  it("answers the last partial page and an empty page past the end", async () => {
    const last = await api(`/zones/${other()}/dns_records?page=3`);
    expect(last.body.result).toHaveLength(50);
    const past = await api(`/zones/${other()}/dns_records?page=4`);
    expect(past.status).toBe(200);
    expect(past.body.result).toEqual([]);
    expect(past.body.result_info).toMatchObject({ page: 4, count: 0, total_count: 250 });
  });

  it("pages without gaps or repeats", async () => {
    const ids: string[] = [];
    for (let page = 1; page <= 6; page++) {
      const { body } = await api(`/zones/${other()}/dns_records?per_page=49&page=${page}`);
      ids.push(...body.result.map((r: { id: string }) => r.id));
    }
    expect(ids).toHaveLength(250);
    expect(new Set(ids).size).toBe(250);
  });

  it("accepts per_page up to the API's maximum and refuses beyond it", async () => {
    expect(DNS_RECORDS_PER_PAGE_MAX).toBe(DNS_RECORDS_PER_PAGE_API_MAX);
    const max = await api(`/zones/${other()}/dns_records?per_page=${DNS_RECORDS_PER_PAGE_MAX}`);
    expect(max.body.result).toHaveLength(250);
    const over = await api(`/zones/${other()}/dns_records?per_page=${DNS_RECORDS_PER_PAGE_MAX + 1}`);
    expect(over.status).toBe(400);
    expect(over.body.errors[0].code).toBe(1004);
    expect((await api(`/zones/${other()}/dns_records?per_page=0`)).status).toBe(400);
    expect((await api(`/zones/${other()}/dns_records?page=abc`)).status).toBe(400);
  });

  it("filters by name and type", async () => {
    const { body } = await api(`/zones/${zoneId}/dns_records?name=example.com&type=MX`);
    expect(body.result).toHaveLength(1);
    expect(body.result[0]).toMatchObject({
      name: "example.com",
      type: "MX",
      priority: 10,
      content: "mail.example.com",
    });
    const srv = await api(`/zones/${zoneId}/dns_records?type=SRV`);
    expect(srv.body.result[0].data).toEqual({
      priority: 10,
      weight: 5,
      port: 5060,
      target: "sip.example.com",
    });
  });

  it("lists all pages through the real SDK, which asks for one empty page more", async () => {
    const cf = new Cloudflare({ apiToken: TOKEN, baseURL: emu.url, maxRetries: 0 });
    emu.clearRequests();
    const names: string[] = [];
    for await (const record of cf.dns.records.list({ zone_id: other(), per_page: 100 }))
      names.push(record.name);
    expect(names).toHaveLength(250);
    expect(emu.requests().map((r) => r.query.page ?? "1")).toEqual(["1", "2", "3", "4"]);
  });
});

describe("DNS record writes (to set state up)", () => {
  it("creates, reads, replaces, patches and deletes a record", async () => {
    const created = await api(`/zones/${zoneId}/dns_records`, {
      method: "POST",
      body: JSON.stringify({ name: "new", type: "A", content: "192.0.2.50", ttl: 600 }),
    });
    expect(created.status).toBe(200);
    const id = created.body.result.id as string;
    expect(created.body.result).toMatchObject({
      name: "new.example.com",
      ttl: 600,
      proxied: false,
      proxiable: true,
    });
    expect((await api(`/zones/${zoneId}/dns_records/${id}`)).body.result.content).toBe("192.0.2.50");
    const replaced = await api(`/zones/${zoneId}/dns_records/${id}`, {
      method: "PUT",
      body: JSON.stringify({ name: "new.example.com", type: "A", content: "192.0.2.51", proxied: true }),
    });
    expect(replaced.body.result).toMatchObject({ content: "192.0.2.51", proxied: true, ttl: 1 });
    const patched = await api(`/zones/${zoneId}/dns_records/${id}`, {
      method: "PATCH",
      body: JSON.stringify({ comment: "patched" }),
    });
    expect(patched.body.result).toMatchObject({ content: "192.0.2.51", proxied: true, comment: "patched" });
    expect((await api(`/zones/${zoneId}/dns_records/${id}`, { method: "DELETE" })).body.result).toEqual({
      id,
    });
    const gone = await api(`/zones/${zoneId}/dns_records/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.errors[0].code).toBe(81044);
  });

  it("refuses a proxied TXT record (9004) and a malformed body (1004)", async () => {
    const proxiedTxt = await api(`/zones/${zoneId}/dns_records`, {
      method: "POST",
      body: JSON.stringify({ name: "t", type: "TXT", content: "x", proxied: true }),
    });
    expect(proxiedTxt.status).toBe(400);
    expect(proxiedTxt.body.errors[0].code).toBe(9004);
    const bad = await api(`/zones/${zoneId}/dns_records`, {
      method: "POST",
      body: JSON.stringify({ name: "t" }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].code).toBe(1004);
  });

  it("needs DNS Write for writes", async () => {
    emu.state.grantToken("dns-read", ["DNS Read"]);
    const denied = await api(`/zones/${zoneId}/dns_records`, {
      method: "POST",
      token: "dns-read",
      body: JSON.stringify({ name: "n", type: "A", content: "192.0.2.1" }),
    });
    expect(denied.status).toBe(403);
  });
});

describe("export, settings, rulesets, lists", () => {
  it("exports the zone as a BIND file with cf-proxied tags", async () => {
    const { status, headers, body } = await api(`/zones/${zoneId}/dns_records/export`);
    expect(status).toBe(200);
    expect(headers.get("content-type")).toMatch(/^text\/plain/);
    expect(body).toContain("$ORIGIN example.com.");
    expect(body).toMatch(/^www\.example\.com\.\t1\tIN\tA\t192\.0\.2\.10 ; cf_tags=cf-proxied:true$/m);
    expect(body).toMatch(
      /^api\.example\.com\.\t120\tIN\tCNAME\torigin\.example\.net\. ; cf_tags=cf-proxied:false$/m,
    );
    expect(body).toMatch(/^example\.com\.\t3600\tIN\tMX\t10 mail\.example\.com\.$/m);
    expect(body).toMatch(/^_sip\._tcp\.example\.com\.\t300\tIN\tSRV\t10 5 5060 sip\.example\.com\.$/m);
    expect(body).toMatch(/^example\.com\.\t300\tIN\tTXT\t"v=spf1 -all"$/m);
  });

  it("reads and changes the SSL mode", async () => {
    expect((await api(`/zones/${zoneId}/settings/ssl`)).body.result).toMatchObject({
      id: "ssl",
      value: "strict",
    });
    const patched = await api(`/zones/${zoneId}/settings/ssl`, {
      method: "PATCH",
      body: '{"value":"flexible"}',
    });
    expect(patched.body.result.value).toBe("flexible");
    expect(
      (await api(`/zones/${zoneId}/settings/ssl`, { method: "PATCH", body: '{"value":"odd"}' })).status,
    ).toBe(400);
    emu.state.setSsl(zoneId, "strict");
  });

  it("serves the origin entrypoint, and 404 for a zone without one", async () => {
    const cf = new Cloudflare({ apiToken: TOKEN, baseURL: emu.url, maxRetries: 0 });
    const ruleset = await cf.rulesets.phases.get("http_request_origin", { zone_id: zoneId });
    expect(ruleset.rules[0]).toMatchObject({
      action: "route",
      expression: 'http.host eq "api.example.com"',
      action_parameters: { origin: { port: 8443 } },
    });
    const none = await api(
      `/zones/${emu.state.zoneByName("other.org")!.id}/rulesets/phases/http_request_origin/entrypoint`,
    );
    expect(none.status).toBe(404);
    expect(none.body).toMatchObject({ success: false, errors: [{ code: 10003 }] });
  });

  it("pages list items with cursors through the real SDK", async () => {
    const cf = new Cloudflare({ apiToken: TOKEN, baseURL: emu.url, maxRetries: 0 });
    const lists = await cf.rules.lists.list({ account_id: ACCOUNT });
    expect(lists.result.map((l) => [l.name, l.kind, l.num_items])).toEqual([["origin_allow", "ip", 60]]);
    emu.clearRequests();
    const ips: string[] = [];
    for await (const item of cf.rules.lists.items.list(lists.result[0]!.id, {
      account_id: ACCOUNT,
      per_page: 25,
    })) {
      if ("ip" in item) ips.push(item.ip);
    }
    expect(ips).toEqual(manyRecords(60).map((r) => r.content));
    const requests = emu.requests();
    expect(requests).toHaveLength(3);
    expect(requests[0]!.query.cursor).toBeUndefined();
    expect(requests[1]!.query.cursor).toEqual(expect.any(String));
    const bad = await api(`/accounts/${ACCOUNT}/rules/lists/${lists.result[0]!.id}/items?cursor=nonsense`);
    expect(bad.status).toBe(400);
  });
});

describe("faults and the request log", () => {
  it("arms faults through the admin endpoint and logs every API request", async () => {
    emu.clearRequests();
    const root = emu.url.replace(/\/client\/v4$/, "");
    const armed = await fetch(`${root}/__emulator/faults`, {
      method: "POST",
      body: JSON.stringify({
        kind: "rate-limit",
        count: 1,
        retryAfterSeconds: 7,
        match: { path: "/settings/ssl" },
      }),
    });
    expect(armed.status).toBe(200);
    const limited = await api(`/zones/${zoneId}/settings/ssl`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(limited.body.errors[0].code).toBe(971);
    expect((await api(`/zones/${zoneId}/settings/ssl`)).status).toBe(200);
    emu.faults.serverError(1, 502);
    expect((await api("/zones")).status).toBe(502);
    const refused = await fetch(`${root}/__emulator/faults`, { method: "POST", body: '{"kind":"nope"}' });
    expect(refused.status).toBe(400);
    const log = (await (await fetch(`${root}/__emulator/requests`)).json()) as { status: number }[];
    expect(log.map((e) => e.status)).toEqual([429, 200, 502]);
    expect(emu.requests().map((e) => [e.method, e.status])).toEqual([
      ["GET", 429],
      ["GET", 200],
      ["GET", 502],
    ]);
  });

  it("cuts a truncated body short so a client cannot parse it", async () => {
    emu.faults.truncate(1, { path: "/dns_records" });
    await expect(api(`/zones/${zoneId}/dns_records`)).rejects.toThrow();
    expect((await api(`/zones/${zoneId}/dns_records`)).status).toBe(200);
  });

  it("adds a record between pages", async () => {
    const zone = emu.state.addZone({ name: "shift.test", records: manyRecords(10) });
    emu.faults.addRecordBetweenPages(zone.id, { afterPage: 1 });
    const page1 = await api(`/zones/${zone.id}/dns_records?per_page=5&page=1`);
    const page2 = await api(`/zones/${zone.id}/dns_records?per_page=5&page=2`);
    expect(page1.body.result_info.total_count).toBe(10);
    expect(page2.body.result_info.total_count).toBe(11);
    expect(page2.body.result[0].id).toBe(page1.body.result[4].id);
  });
});

describe("seeding", () => {
  it("names the path of an invalid seed", () => {
    expect(() =>
      parseSeed({ zones: [{ name: "x.test", records: [{ name: "a", type: "BOGUS", content: "1" }] }] }),
    ).toThrow(InputError);
    try {
      parseSeed({ zones: [{ name: "x.test", ssl: "maximum" }] }, "seed.json");
    } catch (error) {
      expect((error as InputError).message).toMatch(
        /^seed\.json at zones\.0\.ssl: expected an emulator seed/,
      );
    }
    expect.assertions(2);
  });

  it("loads a seed file and reports malformed JSON with the file name", async () => {
    const dir = await mkdtemp(join(tmpdir(), "emu-seed-"));
    try {
      const good = join(dir, "good.json");
      await writeFile(good, JSON.stringify({ zones: [{ name: "seeded.test", records: [] }] }));
      expect((await loadSeedFile(good)).zones[0]!.name).toBe("seeded.test");
      const bad = join(dir, "bad.json");
      await writeFile(bad, "{ not json");
      await expect(loadSeedFile(bad)).rejects.toThrow(/bad\.json: expected JSON/);
      const seeded = await startEmulator({ seed: good, token: TOKEN });
      try {
        expect(seeded.state.zoneByName("seeded.test")).toBeDefined();
      } finally {
        await seeded.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
