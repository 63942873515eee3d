import { Resolver } from "node:dns/promises";
import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_IPS } from "../../checks/emulator/index.js";
import { createEdgeLab, type EdgeLab, guardAddress, LAB_ADDRESSES, NGINX } from "./edge-lab.js";
import { type EdgeRun, runEdgeCheck } from "./edge-run.js";
import type { LabRecord, LabZone } from "./edge-zones.js";
import { LAB_REQUIRED, labCapability } from "./netns.js";

/**
 * Issue 11's lab acceptance tests: the real CLI (`cf-preflight check`, JSON report) against the API
 * emulator seeded with the live account, and real origins in a network namespace (Node TLS and HTTP
 * servers, Debian's nginx demanding a client certificate). Each case runs beside its healthy (or
 * broken) control, and asserts the exact finding (rule, status, predicts, hostname), the exit code,
 * and that the message names what decided the route. The code is written as an HCL folder in the
 * 4.x shapes or as Terraform JSON in the 5.x shapes, alternately.
 */

const ZONES = [
  "fullmode.test",
  "strictmode.test",
  "flexrule.test",
  "override.test",
  "inzone.test",
  "tunnels.test",
  "aop.test",
  "dualstack.test",
  "cfrange.test",
] as const;

function capability(): { ok: true } | { ok: false; reason: string } {
  const lab = labCapability();
  if (!lab.ok) return lab;
  if (NGINX === undefined) return { ok: false, reason: "nginx is not installed: apt-get install -y nginx" };
  return { ok: true };
}
const can = capability();

const A = (name: string, content: string, proxied = true): LabRecord => ({
  name,
  type: "A",
  content,
  proxied,
});

/** The one finding of `rule` about `hostname` (there must be exactly one). */
function only(run: EdgeRun, rule: string, hostname: string) {
  const found = run.find(rule, hostname);
  expect(found, `${rule} findings about ${hostname}`).toHaveLength(1);
  return found[0]!;
}

/**
 * Run `body` with call-through spies on the system resolver (the probes' `node:dns/promises`
 * Resolver, in this process): what it returns, and every name it asked DNS about.
 */
async function withDnsQueries<T>(body: () => Promise<T>): Promise<{ result: T; queried: string[] }> {
  const v4 = vi.spyOn(Resolver.prototype, "resolve4");
  const v6 = vi.spyOn(Resolver.prototype, "resolve6");
  try {
    const result = await body();
    // Read before restoring: restoring a spy forgets its calls.
    const queried = [...v4.mock.calls, ...v6.mock.calls].map((call) => String(call[0]));
    return { result, queried: [...new Set(queried)] };
  } finally {
    v4.mockRestore();
    v6.mockRestore();
  }
}

/** Whether the system's resolver fails for a name (public DNS does not know it). */
async function systemResolverFails(name: string): Promise<boolean> {
  const resolver = new Resolver({ timeout: 2000, tries: 1 });
  return resolver.resolve4(name).then(
    () => false,
    () => true,
  );
}

describe.skipIf(!can.ok && !LAB_REQUIRED)(
  `the edge, hostname by hostname, against real origins${can.ok ? "" : ` (skipped: ${can.reason})`}`,
  () => {
    let lab: EdgeLab;

    beforeAll(async () => {
      if (!can.ok) throw new Error(`CI=true requires the edge lab: ${can.reason}`);
      lab = await createEdgeLab(ZONES);
    });
    afterAll(async () => {
      await lab?.destroy();
    });
    afterEach(async () => {
      await lab?.clearHits();
    });

    describe("1. the SSL mode per hostname (Configuration Rules)", () => {
      const fullZone = (api: string): LabZone => ({
        name: "fullmode.test",
        ssl: "full",
        records: [A("api", api), A("www", LAB_ADDRESSES.self)],
        configRules: [{ description: "api strict", hostname: "api.fullmode.test", ssl: "strict" }],
      });

      it("Full (strict) by a rule in a Full zone: a self-signed origin certificate is a 526", async () => {
        const run = await runEdgeCheck(lab, {
          code: { shape: "hcl4", zones: [fullZone(LAB_ADDRESSES.self)] },
        });
        expect(run.about("api.fullmode.test")).toEqual([["origin-certificate", "fail", "526"]]);
        const finding = only(run, "origin-certificate", "api.fullmode.test");
        expect(finding.blocking).toBe(true);
        expect(finding.message).toContain("self-signed");
        expect(finding.message).toContain("SSL mode strict from configuration rule 'api strict'");
        // The zone's other hostname stays in Full: the same certificate only warns there.
        expect(run.about("www.fullmode.test")).toEqual([["origin-certificate", "warn", null]]);
        expect(run.code).toBe(1);
      });

      it("control: the same hostname with a certificate from the test CA passes", async () => {
        const run = await runEdgeCheck(lab, { code: { shape: "hcl4", zones: [fullZone(LAB_ADDRESSES.ca)] } });
        expect(run.about("api.fullmode.test")).toEqual([["origin-http", "pass", null]]);
        const finding = only(run, "origin-http", "api.fullmode.test");
        expect(finding.message).toContain("SSL mode strict from configuration rule 'api strict'");
        expect(finding.evidence).toMatchObject({
          sslMode: "strict",
          certificate: { trusted: true, problems: [] },
        });
        expect(run.code).toBe(0);
      });

      const strictZone = (rule: boolean): LabZone => ({
        name: "strictmode.test",
        ssl: "strict",
        records: [A("legacy", LAB_ADDRESSES.self)],
        ...(rule
          ? {
              configRules: [
                { description: "legacy full", hostname: "legacy.strictmode.test", ssl: "full" as const },
              ],
            }
          : {}),
      });

      it("the reverse: relaxed to Full by a rule in a Strict zone, a self-signed certificate only warns", async () => {
        const run = await runEdgeCheck(lab, { code: { shape: "json5", zones: [strictZone(true)] } });
        expect(run.about("legacy.strictmode.test")).toEqual([["origin-certificate", "warn", null]]);
        const finding = only(run, "origin-certificate", "legacy.strictmode.test");
        expect(finding.blocking).toBe(false);
        expect(finding.message).toContain("SSL mode full from configuration rule 'legacy full'");
        expect(run.findings.some((f) => f.predicts === "526")).toBe(false);
        expect(run.code).toBe(0);
      });

      it("control: without the rule the Strict zone answers that origin with 526", async () => {
        const run = await runEdgeCheck(lab, { code: { shape: "json5", zones: [strictZone(false)] } });
        expect(run.about("legacy.strictmode.test")).toEqual([["origin-certificate", "fail", "526"]]);
        expect(only(run, "origin-certificate", "legacy.strictmode.test").message).not.toContain(
          "configuration rule",
        );
        expect(run.code).toBe(1);
      });
    });

    describe("2. Flexible per hostname (a Configuration Rule) on port 80", () => {
      const zone = (rule: boolean): LabZone => ({
        name: "flexrule.test",
        ssl: "full",
        records: [A("legacy", LAB_ADDRESSES.plain)],
        ...(rule
          ? {
              configRules: [
                {
                  description: "legacy flexible",
                  hostname: "legacy.flexrule.test",
                  ssl: "flexible" as const,
                },
              ],
            }
          : {}),
      });

      it("is probed over HTTP on port 80, which the origin serves, and passes", async () => {
        const run = await runEdgeCheck(lab, { code: { shape: "hcl4", zones: [zone(true)] } });
        expect(run.about("legacy.flexrule.test")).toEqual([["origin-http", "pass", null]]);
        const finding = only(run, "origin-http", "legacy.flexrule.test");
        expect(finding.subject).toMatchObject({ address: LAB_ADDRESSES.plain, port: 80 });
        expect(finding.evidence).toMatchObject({ scheme: "http", sslMode: "flexible" });
        expect(finding.message).toContain("SSL mode flexible from configuration rule 'legacy flexible'");
        expect(await lab.hits()).toEqual([
          {
            origin: "plain",
            address: LAB_ADDRESSES.plain,
            port: 80,
            tls: false,
            host: "legacy.flexrule.test",
          },
        ]);
        expect(run.code).toBe(0);
      });

      it("control: without the rule the zone's Full uses 443, where nothing listens (521)", async () => {
        const run = await runEdgeCheck(lab, { code: { shape: "hcl4", zones: [zone(false)] } });
        expect(run.about("legacy.flexrule.test")).toEqual([["origin-tcp", "fail", "521"]]);
        const finding = only(run, "origin-tcp", "legacy.flexrule.test");
        expect(finding.subject).toMatchObject({ address: LAB_ADDRESSES.plain, port: 443 });
        expect(finding.evidence).toMatchObject({ scheme: "https", sslMode: "full", code: "ECONNREFUSED" });
        expect(await lab.hits()).toEqual([]);
        expect(run.code).toBe(1);
      });
    });

    describe("3. an Origin Rule's DNS record override (action_parameters.origin.host)", () => {
      // shop's own record points at the plain-HTTP origin: were the override ignored, 443 would be refused.
      const zone = (host: string, extra: readonly LabRecord[]): LabZone => ({
        name: "override.test",
        ssl: "strict",
        records: [A("shop", LAB_ADDRESSES.plain), ...extra],
        originRules: [{ description: "shop to backend", hostname: "shop.override.test", host }],
      });

      it("to a host of the account that is alive: probed there, and the message says origin rule", async () => {
        const code = zone("backend.override.test", [A("backend", LAB_ADDRESSES.ca, false)]);
        const run = await runEdgeCheck(lab, { code: { shape: "json5", zones: [code] } });
        expect(run.about("shop.override.test")).toEqual([["origin-http", "pass", null]]);
        const finding = only(run, "origin-http", "shop.override.test");
        expect(finding.subject).toMatchObject({ address: LAB_ADDRESSES.ca, port: 443 });
        expect(finding.message).toContain("origin backend.override.test from origin rule 'shop to backend'");
        expect(finding.message).not.toMatch(/CNAME/i);
        expect(finding.message).toContain("backend.override.test (answered from the account's zones)");
        expect(await lab.hits()).toEqual([
          { origin: "ca", address: LAB_ADDRESSES.ca, port: 443, tls: true, host: "shop.override.test" },
        ]);
        expect(run.code).toBe(0);
      });

      it("to a host of the account with no record: origin-name-resolution 1016, nothing probed", async () => {
        const code = zone("gone.override.test", [A("backend", LAB_ADDRESSES.ca, false)]);
        const run = await runEdgeCheck(lab, { code: { shape: "json5", zones: [code] } });
        expect(run.about("shop.override.test")).toEqual([["origin-name-resolution", "fail", "1016"]]);
        const finding = only(run, "origin-name-resolution", "shop.override.test");
        expect(finding.message).toContain("origin rule 'shop to backend'");
        expect(finding.message).toContain("ends at gone.override.test, which has no A, AAAA or CNAME record");
        expect(finding.message).not.toContain("by a CNAME");
        expect(await lab.hits()).toEqual([]);
        expect(run.code).toBe(1);
      });

      it("to a host created in the same change (not live, not in public DNS): answered from the code and passes", async () => {
        const name = "new-backend.override.test";
        expect(await systemResolverFails(name)).toBe(true);
        const code = zone(name, [A("new-backend", LAB_ADDRESSES.ca, false)]);
        const live: LabZone = { ...code, records: [A("shop", LAB_ADDRESSES.plain)], originRules: [] };
        const { result: run, queried } = await withDnsQueries(() =>
          runEdgeCheck(lab, { code: { shape: "json5", zones: [code] }, live: [live] }),
        );
        expect(queried).toEqual([]);
        // The override moves shop from its record's address to the new host: a host migration, ready.
        expect(run.about("shop.override.test")).toEqual([
          ["migration-http-parity", "pass", null],
          ["origin-http", "pass", null],
        ]);
        const finding = only(run, "origin-http", "shop.override.test");
        expect(finding.subject).toMatchObject({ address: LAB_ADDRESSES.ca, port: 443 });
        expect(finding.message).toContain(`origin ${name} from origin rule 'shop to backend'`);
        expect(finding.message).toContain(`${name} (answered from the account's zones)`);
        expect(finding.migration).toBe(`override.test: ${LAB_ADDRESSES.plain} -> ${LAB_ADDRESSES.ca}`);
        expect(run.code).toBe(0);
      });
    });

    describe("4. an in-zone CNAME that public DNS does not know", () => {
      const zone = (target: string): LabZone => ({
        name: "inzone.test",
        ssl: "strict",
        records: [
          { name: "www", type: "CNAME", content: "origin.inzone.test", proxied: true },
          A("origin", target, false),
        ],
      });

      it("is answered from the zone's records and probed there, never asked of DNS", async () => {
        expect(await systemResolverFails("origin.inzone.test")).toBe(true);
        const { result: run, queried } = await withDnsQueries(() =>
          runEdgeCheck(lab, { code: { shape: "hcl4", zones: [zone(LAB_ADDRESSES.ca)] } }),
        );
        expect(queried).toEqual([]);
        expect(run.about("www.inzone.test")).toEqual([["origin-http", "pass", null]]);
        const finding = only(run, "origin-http", "www.inzone.test");
        expect(finding.subject).toMatchObject({ type: "CNAME", address: LAB_ADDRESSES.ca, port: 443 });
        expect(finding.message).toContain("origin.inzone.test (answered from the account's zones)");
        expect(await lab.hits()).toEqual([
          { origin: "ca", address: LAB_ADDRESSES.ca, port: 443, tls: true, host: "www.inzone.test" },
        ]);
        expect(run.code).toBe(0);
      });

      it("control: the same chain ending at an address that refuses 443 is a 521 there; a name outside the account is asked of DNS", async () => {
        const code = zone(LAB_ADDRESSES.plain);
        const outside: LabRecord = {
          name: "ext",
          type: "CNAME",
          content: "origin.elsewhere.test",
          proxied: true,
        };
        const { result: run, queried } = await withDnsQueries(() =>
          runEdgeCheck(lab, {
            code: { shape: "hcl4", zones: [{ ...code, records: [...code.records, outside] }] },
          }),
        );
        expect(run.about("www.inzone.test")).toEqual([["origin-tcp", "fail", "521"]]);
        expect(only(run, "origin-tcp", "www.inzone.test").subject).toMatchObject({
          address: LAB_ADDRESSES.plain,
          port: 443,
        });
        // The spies see the probes' DNS queries: only the name outside the account was asked.
        expect(queried).toEqual(["origin.elsewhere.test"]);
        expect(only(run, "origin-dns", "ext.inzone.test").message).toContain("origin.elsewhere.test");
        expect(run.code).toBe(1);
      });
    });

    describe("5. Cloudflare Tunnel routes (tunnels seeded in the emulator)", () => {
      const T = {
        healthy: "a1111111-1111-4111-8111-111111111111",
        down: "a2222222-2222-4222-8222-222222222222",
        deleted: "a3333333-3333-4333-8333-333333333333",
        catchAll: "a5555555-5555-4555-8555-555555555555",
      };
      const tunnels = [
        {
          id: T.healthy,
          name: "edge-healthy",
          status: "healthy" as const,
          ingress: [
            { hostname: "app.tunnels.test", service: "http://localhost:8080" },
            { hostname: "raw.tunnels.test", service: "http://localhost:8080" },
            { service: "http_status:404" },
          ],
        },
        {
          id: T.down,
          name: "edge-down",
          status: "down" as const,
          ingress: [
            { hostname: "ops.tunnels.test", service: "http://localhost:9000" },
            { service: "http_status:404" },
          ],
        },
        {
          id: T.deleted,
          name: "edge-deleted",
          status: "inactive" as const,
          deletedAt: "2026-10-01T00:00:00Z",
        },
        {
          id: T.catchAll,
          name: "edge-catchall",
          status: "healthy" as const,
          ingress: [{ service: "http_status:404" }],
        },
      ];
      const zone = (name: string, tunnel: string, proxied = true): LabZone => ({
        name: "tunnels.test",
        ssl: "full",
        records: [{ name, type: "CNAME", content: `${tunnel}.cfargotunnel.com`, proxied }],
      });
      const tunnelCheck = (code: LabZone) =>
        runEdgeCheck(lab, { code: { shape: "hcl4", zones: [code] }, tunnels });

      it("a healthy tunnel whose ingress names the hostname passes, and is never resolved through DNS", async () => {
        const run = await tunnelCheck(zone("app", T.healthy));
        expect(run.about("app.tunnels.test")).toEqual([["tunnel-route", "pass", null]]);
        expect(only(run, "tunnel-route", "app.tunnels.test").message).toContain(
          `tunnel edge-healthy (${T.healthy}), which is healthy`,
        );
        expect(run.code).toBe(0);
      });

      it("a tunnel that is down: 1033", async () => {
        const run = await tunnelCheck(zone("ops", T.down));
        expect(run.about("ops.tunnels.test")).toEqual([["tunnel-route", "fail", "1033"]]);
        expect(only(run, "tunnel-route", "ops.tunnels.test").message).toContain(
          `tunnel edge-down (${T.down}), which is down`,
        );
        expect(run.code).toBe(1);
      });

      it("a deleted tunnel: 1033", async () => {
        const run = await tunnelCheck(zone("old", T.deleted));
        expect(run.about("old.tunnels.test")).toEqual([["tunnel-route", "fail", "1033"]]);
        expect(only(run, "tunnel-route", "old.tunnels.test").message).toContain(
          `tunnel edge-deleted (${T.deleted}), deleted on 2026-10-01T00:00:00Z`,
        );
        expect(run.code).toBe(1);
      });

      it("a healthy tunnel whose only matching ingress rule is the catch-all: a warning", async () => {
        const run = await tunnelCheck(zone("wiki", T.catchAll));
        expect(run.about("wiki.tunnels.test")).toEqual([
          ["tunnel-route", "pass", null],
          ["tunnel-route", "warn", null],
        ]);
        const warning = run.find("tunnel-route", "wiki.tunnels.test").find((f) => f.status === "warn")!;
        expect(warning.message).toContain("only the catch-all ingress rule of tunnel edge-catchall");
        expect(warning.message).toContain("http_status:404");
        expect(run.code).toBe(0);
      });

      it("a DNS-only CNAME to a tunnel: tunnel-cname-proxied", async () => {
        const run = await tunnelCheck(zone("raw", T.healthy, false));
        expect(run.about("raw.tunnels.test")).toEqual([["tunnel-cname-proxied", "fail", null]]);
        const finding = only(run, "tunnel-cname-proxied", "raw.tunnels.test");
        expect(finding.blocking).toBe(true);
        expect(finding.message).toContain(`DNS-only CNAME to the tunnel ${T.healthy}.cfargotunnel.com`);
        expect(run.code).toBe(1);
      });
    });

    describe("6. an origin demanding a client certificate from the origin-pull CA (nginx ssl_verify_client on)", () => {
      const zone = (aop: boolean | undefined): LabZone => ({
        name: "aop.test",
        ssl: "strict",
        records: [A("secure", LAB_ADDRESSES.aop)],
        ...(aop === undefined ? {} : { aop }),
      });

      it("with AOP off (the zone's setting live): Cloudflare presents none, which blocks", async () => {
        const run = await runEdgeCheck(lab, {
          code: { shape: "json5", zones: [zone(undefined)] },
          live: [zone(false)],
        });
        expect(run.about("secure.aop.test")).toEqual([["origin-tls", "fail", null]]);
        const finding = only(run, "origin-tls", "secure.aop.test");
        expect(finding.blocking).toBe(true);
        expect(finding.evidence).toMatchObject({ code: "CLIENT_CERT_REQUIRED" });
        expect(finding.message).toContain("Authenticated Origin Pulls is off");
        // nginx answered 400 ("No required SSL certificate was sent") instead of failing the handshake.
        expect(finding.message).toContain("(HTTP 400)");
        expect(run.code).toBe(1);
      });

      it("with AOP turned off in the code (live on): blocks as well", async () => {
        const run = await runEdgeCheck(lab, {
          code: { shape: "json5", zones: [zone(false)] },
          live: [zone(true)],
        });
        expect(run.about("secure.aop.test")).toEqual([["origin-tls", "fail", null]]);
        expect(only(run, "origin-tls", "secure.aop.test").message).toContain(
          "Authenticated Origin Pulls is off",
        );
        expect(run.code).toBe(1);
      });

      it("with AOP on: unknown (the probe does not hold Cloudflare's certificate), not blocking", async () => {
        const run = await runEdgeCheck(lab, {
          code: { shape: "json5", zones: [zone(undefined)] },
          live: [zone(true)],
        });
        expect(run.about("secure.aop.test")).toEqual([["origin-tls", "unknown", null]]);
        const finding = only(run, "origin-tls", "secure.aop.test");
        expect(finding.blocking).toBe(false);
        expect(finding.message).toContain("--client-cert");
        expect(run.code).toBe(0);
      });

      it("with AOP on and --client-cert/--client-key from the origin-pull CA: passes", async () => {
        const run = await runEdgeCheck(lab, {
          code: { shape: "json5", zones: [zone(true)] },
          args: ["--client-cert", lab.clientCertFile, "--client-key", lab.clientKeyFile],
        });
        expect(run.about("secure.aop.test")).toEqual([["origin-http", "pass", null]]);
        expect(only(run, "origin-http", "secure.aop.test").evidence).toMatchObject({ httpStatus: 200 });
        expect(run.code).toBe(0);
      });
    });

    describe("7. IPv4 preferred: a live A beside a dead AAAA", () => {
      it("the dead IPv6 address is a warning, the IPv4 one passes: exit 0", async () => {
        const code: LabZone = {
          name: "dualstack.test",
          ssl: "strict",
          records: [
            A("www", LAB_ADDRESSES.ca),
            { name: "www", type: "AAAA", content: LAB_ADDRESSES.deadV6, proxied: true },
          ],
        };
        const run = await runEdgeCheck(lab, { code: { shape: "hcl4", zones: [code] } });
        expect(run.about("www.dualstack.test")).toEqual([
          ["origin-http", "pass", null],
          ["origin-tcp", "warn", "521"],
        ]);
        const v6 = only(run, "origin-tcp", "www.dualstack.test");
        expect(v6.subject).toMatchObject({ type: "AAAA", address: LAB_ADDRESSES.deadV6, port: 443 });
        expect(v6.blocking).toBe(false);
        expect(v6.message).toContain("Cloudflare prefers IPv4");
        expect(only(run, "origin-http", "www.dualstack.test").subject).toMatchObject({
          type: "A",
          address: LAB_ADDRESSES.ca,
        });
        expect(run.code).toBe(0);
      });

      it("control: an AAAA-only hostname whose IPv6 address is dead blocks (521)", async () => {
        const code: LabZone = {
          name: "dualstack.test",
          ssl: "strict",
          records: [{ name: "v6only", type: "AAAA", content: LAB_ADDRESSES.deadV6, proxied: true }],
        };
        const run = await runEdgeCheck(lab, { code: { shape: "hcl4", zones: [code] } });
        expect(run.about("v6only.dualstack.test")).toEqual([["origin-tcp", "fail", "521"]]);
        const finding = only(run, "origin-tcp", "v6only.dualstack.test");
        expect(finding.blocking).toBe(true);
        expect(finding.message).not.toContain("prefers IPv4");
        expect(run.code).toBe(1);
      });
    });

    describe("8. a proxied A record into Cloudflare's own ranges", () => {
      const range = DEFAULT_IPS.ipv4_cidrs?.[0] ?? "173.245.48.0/20";
      // An address inside the first range the emulator's /ips serves (173.245.48.0/20 today).
      const cloudflareAddress = range.replace(/\.0\/\d+$/, ".77");
      const zone = (content: string): LabZone => ({
        name: "cfrange.test",
        ssl: "full",
        records: [A("loop", content)],
      });

      it("the guard counts what is sent to the address it guards (checked on a lab address)", async () => {
        const guard = guardAddress(LAB_ADDRESSES.self);
        try {
          const refused = await new Promise<string>((resolve) => {
            const socket = net.connect({ host: LAB_ADDRESSES.self, port: 443 }, () => {
              socket.destroy();
              resolve("connected");
            });
            socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
          });
          expect(refused).toBe("EHOSTUNREACH");
          expect(guard.packets()).toBeGreaterThan(0);
        } finally {
          guard.remove();
        }
      });

      it("is 1000 (proxied-target-prohibited), is not probed, and no packet goes to it", async () => {
        const guard = guardAddress(cloudflareAddress);
        let run: EdgeRun;
        try {
          run = await runEdgeCheck(lab, { code: { shape: "json5", zones: [zone(cloudflareAddress)] } });
          expect(guard.packets()).toBe(0);
        } finally {
          guard.remove();
        }
        expect(run.about("loop.cfrange.test")).toEqual([["proxied-target-prohibited", "fail", "1000"]]);
        expect(only(run, "proxied-target-prohibited", "loop.cfrange.test").message).toContain(
          `points at ${cloudflareAddress}, a Cloudflare address (${range})`,
        );
        expect(run.findings.filter((f) => f.rule.startsWith("origin-"))).toEqual([]);
        expect(await lab.hits()).toEqual([]);
        expect(run.code).toBe(1);
      });

      it("control: the same hostname on the lab's origin passes", async () => {
        const run = await runEdgeCheck(lab, { code: { shape: "json5", zones: [zone(LAB_ADDRESSES.ca)] } });
        expect(run.about("loop.cfrange.test")).toEqual([["origin-http", "pass", null]]);
        expect(run.code).toBe(0);
      });
    });
  },
);
