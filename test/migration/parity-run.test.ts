import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectMigrations } from "../../checks/migration/detect.js";
import type { MigrationParity } from "../../checks/migration/parity.js";
import { type ParityInput, runParity } from "../../checks/migration/parity-run.js";
import { summarizeMigrations } from "../../checks/migration/summary.js";
import type { Finding } from "../../checks/model/finding.js";
import { DEFAULT_MIGRATION_POLICY, type MigrationPolicy } from "../../checks/model/migration.js";
import type { Allowlist, Origin, OriginPort } from "../../checks/model/origin.js";
import type { SslMode } from "../../checks/model/ssl-mode.js";
import { SNAPSHOT_RANGES } from "../../checks/preflight.js";
import { parseConnectToList } from "../../checks/probe/connect-to.js";
import type { ProbePlanZone } from "../../checks/probe/plan.js";
import {
  migrationFirewall,
  migrationHttpParity,
  migrationLatency,
  migrationPortParity,
} from "../../checks/rules/migration-rules.js";
import type { RuleContext, Vantage } from "../../checks/rules/rule.js";
import { record } from "../diff/helpers.js";
import { makeTestCertificates, type TestCertificates } from "../probe/helpers/certificates.js";

/**
 * Parity against real origins: Node HTTP(S) servers on loopback stand in for the old origin
 * (127.0.0.1) and the new one (127.0.0.2), on the same port (an origin rule sends the hostname
 * there, as Cloudflare would). Migrations come from `detectMigrations` on hand-made zones, parity
 * from `runParity`, and the verdicts from the migration rules.
 */

const ZONE = "example.test";
const OLD_IP = "127.0.0.1";
const NEW_IP = "127.0.0.2";
const HOSTNAMES = ["www.example.test", "app.example.test", "shop.example.test"];
/** The new origin's delay in the latency case: far over 2x and 50 ms of anything loopback does. */
const SLOW_MS = 400;

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

let dir: string;
let certs: TestCertificates;
const servers: http.Server[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "cfpl-parity-"));
  certs = makeTestCertificates(dir, HOSTNAMES);
});

afterAll(async () => {
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function listen(server: http.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      servers.push(server);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function serverFor(scheme: "http" | "https", handler: Handler): http.Server {
  const server =
    scheme === "https"
      ? https.createServer({ key: certs.valid.key, cert: certs.valid.cert }, handler)
      : http.createServer(handler);
  server.on("tlsClientError", () => {});
  server.on("clientError", (_error, socket) => socket.destroy());
  return server;
}

/** The old origin on 127.0.0.1:P and the new one on 127.0.0.2:P (the same P, so only the address moves). */
async function originPair(
  scheme: "http" | "https",
  oldHandler: Handler,
  newHandler: Handler,
): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await listen(serverFor(scheme, oldHandler), OLD_IP, 0);
    try {
      await listen(serverFor(scheme, newHandler), NEW_IP, port);
      return port;
    } catch {
      // Taken on 127.0.0.2: try another port (the old server stays, closed in afterAll).
    }
  }
  throw new Error("no port free on both 127.0.0.1 and 127.0.0.2");
}

/** A plain TCP-level listener on the old origin only, on a port of its own. */
async function oldOnlyPort(): Promise<number> {
  return listen(
    http.createServer((_request, response) => response.end()),
    OLD_IP,
    0,
  );
}

/** A site: 200 text/html on every path, with the given extras. */
function site(
  options: {
    status?: (path: string) => number;
    headers?: (path: string) => Record<string, string>;
    delayMs?: number;
  } = {},
): Handler {
  return (request, response) => {
    const url = request.url ?? "/";
    const send = () => {
      response.writeHead(options.status?.(url) ?? 200, {
        "content-type": "text/html; charset=utf-8",
        ...(options.headers?.(url) ?? {}),
      });
      response.end("<p>hello</p>\n");
    };
    if (options.delayMs !== undefined) setTimeout(send, options.delayMs);
    else send();
  };
}

interface Scenario {
  readonly hostname: string;
  readonly port: number;
  readonly sslMode?: SslMode;
  readonly policy?: Partial<MigrationPolicy>;
  /** Further ports the code declares for the old origin. */
  readonly oldPorts?: readonly number[];
  readonly newAllowlist?: Allowlist;
  readonly connectTo?: readonly string[];
  readonly vantage?: Vantage;
  readonly firewallExported?: boolean;
}

interface Outcome {
  readonly parity: MigrationParity;
  readonly findings: readonly Finding[];
}

function ports(scheme: "http" | "https", list: readonly number[]): OriginPort[] {
  return list.map((port) => ({ port, scheme }));
}

/** Detect the migration of one hostname from the old origin to the new one, compare, and judge. */
async function migrate(s: Scenario): Promise<Outcome> {
  const sslMode = s.sslMode ?? "strict";
  const scheme = sslMode === "strict" || sslMode === "full" ? "https" : "http";
  const oldOrigin: Origin = {
    name: "old",
    ipv4: [OLD_IP],
    ipv6: [],
    ports: ports(scheme, [s.port, ...(s.oldPorts ?? [])]),
    allowlist: { kind: "none" },
  };
  const newOrigin: Origin = {
    name: "new",
    ipv4: [NEW_IP],
    ipv6: [],
    ports: ports(scheme, [s.port]),
    allowlist: s.newAllowlist ?? { kind: "none" },
  };
  const zoneFor = (address: string): ProbePlanZone => ({
    name: ZONE,
    sslMode,
    records: [record(s.hostname, "A", address, { proxied: true })],
    originRules: [
      { expression: `http.host eq "${s.hostname}"`, hostnames: [s.hostname], port: s.port, enabled: true },
    ],
    origins: [oldOrigin, newOrigin],
  });
  const connectTo = parseConnectToList([...(s.connectTo ?? [])]);
  if (!connectTo.ok) throw new Error(connectTo.error);
  const migrations = detectMigrations(
    [{ name: ZONE, live: zoneFor(OLD_IP), desired: zoneFor(NEW_IP) }],
    connectTo.value,
  );
  expect(migrations.map((m) => m.id)).toEqual([`${ZONE}: old -> new`]);
  const input: ParityInput = {
    migration: migrations[0]!,
    policy: { ...DEFAULT_MIGRATION_POLICY, ...s.policy },
    oldOrigin,
    newOrigin,
    firewallExported: s.firewallExported ?? false,
  };
  const vantage = s.vantage ?? "allowed";
  const [parity] = await runParity([input], {
    vantage,
    connectTimeoutMs: 3000,
    readTimeoutMs: 10_000,
    extraCaPem: certs.rootPem,
  });
  if (parity === undefined) throw new Error("runParity returned nothing");
  const context: RuleContext = {
    desired: { files: [], zones: [], ipLists: [] },
    ranges: SNAPSHOT_RANGES,
    vantage,
    now: new Date(),
    drift: { dns: [], settings: [], firewall: [] },
    migrations: [parity],
  };
  const findings = [migrationHttpParity, migrationLatency, migrationPortParity, migrationFirewall].flatMap(
    (rule) => rule.evaluate(context),
  );
  return { parity, findings };
}

function of(outcome: Outcome, rule: string): Finding[] {
  return outcome.findings.filter((f) => f.rule === rule);
}

function statuses(outcome: Outcome, rule: string): string[] {
  return of(outcome, rule).map((f) => f.status);
}

describe("runParity against real origins", () => {
  it("a clean pair over HTTPS (strict) passes every migration rule and is ready", async () => {
    const headers = (url: string): Record<string, string> => ({
      "strict-transport-security": "max-age=31536000; includeSubDomains",
      ...(url === "/login" ? { location: "/account" } : {}),
    });
    const newHeaders = (url: string): Record<string, string> => ({
      "strict-transport-security": "max-age=31536000; includesubdomains",
      ...(url === "/login" ? { location: "https://www.example.test/account" } : {}),
    });
    const status = (url: string) => (url === "/login" ? 302 : 200);
    const port = await originPair("https", site({ status, headers }), site({ status, headers: newHeaders }));
    const outcome = await migrate({
      hostname: "www.example.test",
      port,
      policy: { paths: ["/", "/login"] },
      firewallExported: true,
    });

    const [pair] = outcome.parity.pairs;
    expect(outcome.parity.probed).toBe(true);
    expect(outcome.parity.pairs).toHaveLength(1);
    expect(pair?.unknownReason).toBeUndefined();
    expect(pair?.samples).toHaveLength(2 * DEFAULT_MIGRATION_POLICY.latencySamples);
    expect(
      pair?.samples.map((s) => [s.path, s.old.address, s.new.address, s.old.status, s.new.status]),
    ).toContainEqual(["/login", OLD_IP, NEW_IP, "ok", "ok"]);
    expect(pair?.samples.every((s) => s.new.certificate?.trusted === true)).toBe(true);
    expect(outcome.parity.ports).toEqual([
      {
        port,
        family: "ipv4",
        oldAddress: OLD_IP,
        newAddress: NEW_IP,
        old: { answered: true },
        new: { answered: true },
      },
    ]);

    expect(outcome.findings.filter((f) => f.status !== "pass")).toEqual([]);
    for (const rule of [
      "migration-http-parity",
      "migration-latency",
      "migration-port-parity",
      "migration-firewall",
    ])
      expect(statuses(outcome, rule), rule).toEqual(["pass"]);
    const [summary] = summarizeMigrations([outcome.parity], outcome.findings);
    expect(summary?.verdict).toBe("ready");
  });

  it("fails migration-http-parity when a path answers 404 on the new origin and 200 on the old", async () => {
    const port = await originPair(
      "https",
      site(),
      site({ status: (url) => (url === "/health" ? 404 : 200) }),
    );
    const outcome = await migrate({
      hostname: "app.example.test",
      port,
      policy: { paths: ["/", "/health"] },
    });
    const findings = of(outcome, "migration-http-parity");
    expect(findings.map((f) => [f.status, f.blocking])).toEqual([["fail", true]]);
    expect(findings[0]?.message).toContain("/health");
    expect(findings[0]?.evidence.differences).toEqual([
      { field: "status", old: "200", new: "404", blocking: true },
    ]);
    expect(findings[0]?.subject).toMatchObject({
      zone: ZONE,
      hostname: "app.example.test",
      address: NEW_IP,
      port,
    });
    expect(summarizeMigrations([outcome.parity], outcome.findings)[0]?.verdict).toBe("blocked");
  });

  it("fails migration-http-parity when the new origin redirects elsewhere", async () => {
    const port = await originPair(
      "https",
      site({ status: () => 301, headers: () => ({ location: "/home" }) }),
      site({ status: () => 301, headers: () => ({ location: "https://elsewhere.example.net/" }) }),
    );
    const outcome = await migrate({ hostname: "shop.example.test", port });
    const findings = of(outcome, "migration-http-parity");
    expect(findings.map((f) => f.status)).toEqual(["fail"]);
    expect(findings[0]?.evidence.differences).toEqual([
      {
        field: "location",
        old: "https://shop.example.test/home",
        new: "https://elsewhere.example.net/",
        blocking: true,
      },
    ]);
  });

  it("fails migration-http-parity when the new origin answers another Content-Type", async () => {
    const port = await originPair(
      "http",
      site(),
      site({ headers: () => ({ "content-type": "application/json" }) }),
    );
    const outcome = await migrate({ hostname: "www.example.test", port, sslMode: "flexible" });
    const findings = of(outcome, "migration-http-parity");
    expect(findings.map((f) => f.status)).toEqual(["fail"]);
    expect(findings[0]?.evidence.differences).toEqual([
      { field: "content-type", old: "text/html", new: "application/json", blocking: true },
    ]);
  });

  it("warns (not blocking) when the new origin lacks the old one's HSTS header", async () => {
    const port = await originPair(
      "https",
      site({ headers: () => ({ "strict-transport-security": "max-age=31536000" }) }),
      site(),
    );
    const outcome = await migrate({ hostname: "www.example.test", port });
    const findings = of(outcome, "migration-http-parity");
    expect(findings.map((f) => [f.status, f.blocking])).toEqual([["warn", false]]);
    expect(findings[0]?.evidence.differences).toEqual([
      { field: "strict-transport-security", old: "max-age=31536000", new: undefined, blocking: false },
    ]);
    expect(summarizeMigrations([outcome.parity], outcome.findings)[0]?.verdict).toBe("ready");
  });

  it("fails migration-latency when the new origin answers far slower than the old one", async () => {
    const port = await originPair("https", site(), site({ delayMs: SLOW_MS }));
    const outcome = await migrate({
      hostname: "app.example.test",
      port,
      policy: { latencyFactor: 2, latencySlackMs: 50, latencySamples: 3 },
    });
    const findings = of(outcome, "migration-latency");
    expect(findings.map((f) => [f.status, f.blocking])).toEqual([["fail", true]]);
    const [measured] = findings[0]?.evidence.measured as { path: string; oldMs: number; newMs: number }[];
    expect(measured?.path).toBe("/");
    expect(measured?.newMs).toBeGreaterThanOrEqual(SLOW_MS - 5);
    // The answers themselves match: only their speed differs.
    expect(statuses(outcome, "migration-http-parity")).toEqual(["pass"]);
  });

  it("warns migration-port-parity for a port the old origin serves and the new one refuses", async () => {
    const port = await originPair("https", site(), site());
    const extra = await oldOnlyPort();
    const outcome = await migrate({
      hostname: "www.example.test",
      port,
      oldPorts: [extra],
      vantage: "allowed",
    });
    const byPort = new Map(outcome.parity.ports.map((p) => [p.port, p]));
    expect(byPort.get(extra)).toMatchObject({
      old: { answered: true },
      new: { answered: false, code: "ECONNREFUSED" },
    });
    const findings = of(outcome, "migration-port-parity");
    const warning = findings.find((f) => f.status === "warn");
    expect(warning).toMatchObject({
      blocking: false,
      predicts: "521",
      subject: { address: NEW_IP, port: extra },
    });
    expect(findings.filter((f) => f.status === "pass").map((f) => f.evidence.ports)).toEqual([
      [`${port} (IPv4)`],
    ]);
  });

  it("is unknown instead when the vantage is not allowed and the new origin admits only Cloudflare", async () => {
    const port = await originPair("https", site(), site());
    const extra = await oldOnlyPort();
    const outcome = await migrate({
      hostname: "www.example.test",
      port,
      oldPorts: [extra],
      vantage: "unknown",
      newAllowlist: { kind: "cloudflare" },
    });
    const findings = of(outcome, "migration-port-parity").filter((f) => f.subject.port === extra);
    expect(findings.map((f) => [f.status, f.predicts])).toEqual([["unknown", null]]);
  });

  it("is unknown for migration-http-parity when --connect-to sends old and new to the same address", async () => {
    const outcome = await migrate({
      hostname: "www.example.test",
      port: 8443,
      connectTo: ["www.example.test:8443:127.0.0.3:8443"],
    });
    const [pair] = outcome.parity.pairs;
    expect(pair?.old.connectTo?.address).toBe("127.0.0.3");
    expect(pair?.new.connectTo?.address).toBe("127.0.0.3");
    expect(pair?.unknownReason).toContain("--connect-to");
    expect(pair?.samples).toEqual([]);
    const findings = of(outcome, "migration-http-parity");
    expect(findings.map((f) => f.status)).toEqual(["unknown"]);
    expect(findings[0]?.message).toContain("cannot be compared");
    expect(statuses(outcome, "migration-latency")).toEqual([]);
    expect(summarizeMigrations([outcome.parity], outcome.findings)[0]?.verdict).toBe("unverified");
  });

  it("compares old and new when --connect-to maps each origin address somewhere of its own", async () => {
    const port = await originPair("https", site(), site({ status: () => 503 }));
    const outcome = await migrate({
      hostname: "www.example.test",
      port: 8443,
      connectTo: [`${OLD_IP}:8443:${OLD_IP}:${port}`, `${NEW_IP}:8443:${NEW_IP}:${port}`],
    });
    const [pair] = outcome.parity.pairs;
    expect(pair?.unknownReason).toBeUndefined();
    expect(pair?.samples[0]).toMatchObject({
      old: { httpStatus: 200, port },
      new: { httpStatus: 503, port },
    });
    // Redirected connections are not where the origin's other ports are: no port parity from here.
    expect(outcome.parity.ports).toEqual([]);
    expect(statuses(outcome, "migration-http-parity")).toEqual(["fail"]);
  });
});
