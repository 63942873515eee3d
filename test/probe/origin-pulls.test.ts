import { mkdtempSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  makeClientCertificate,
  makeTestCertificates,
  type TestCertificates,
} from "../../checks/demo/certificates.js";
import type { ProbeTarget } from "../../checks/probe/result.js";
import { runProbes } from "../../checks/probe/run.js";

/**
 * Authenticated Origin Pulls and the certificate horizon against real TLS origins on loopback:
 * an origin that demands a client certificate (as one set up for AOP does), probed as Cloudflare
 * would reach it with AOP off, on without the probe holding a certificate, and on with one.
 */
const HOSTNAME = "aop.example.test";
let certs: TestCertificates;
let client: { key: string; cert: string };
let demanding: https.Server;
let port: number;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "cfpl-aop-"));
  certs = makeTestCertificates(dir, HOSTNAME);
  client = makeClientCertificate(dir);
  demanding = https.createServer(
    { ...certs.valid, ca: certs.rootPem, requestCert: true, rejectUnauthorized: true },
    (_request, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      response.end("hello\n");
    },
  );
  demanding.on("tlsClientError", () => {});
  await new Promise<void>((resolve) => demanding.listen(0, "127.0.0.1", resolve));
  port = (demanding.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => demanding.close(() => resolve())));

function target(
  originPulls: ProbeTarget["originPulls"],
  certificate: ProbeTarget["certificate"] = "enforce",
): ProbeTarget {
  return {
    zone: "example.test",
    hostname: HOSTNAME,
    recordType: "A",
    origin: { kind: "ip", address: "127.0.0.1", family: 4 },
    port,
    scheme: "https",
    sslMode: certificate === "enforce" ? "strict" : "full",
    sni: HOSTNAME,
    hostHeader: HOSTNAME,
    certificate,
    ...(originPulls ? { originPulls } : {}),
  };
}

const probe = async (t: ProbeTarget, extra: Parameters<typeof runProbes>[1] = {}) =>
  (
    await runProbes([t], { extraCaPem: certs.rootPem, connectTimeoutMs: 2000, readTimeoutMs: 3000, ...extra })
  )[0]!;

describe("an origin that demands a client certificate", () => {
  it("with AOP off, Cloudflare presents none: a blocking failure", async () => {
    const r = await probe(target("off"));
    expect(r).toMatchObject({ status: "fail", predicts: "525", code: "CLIENT_CERT_REQUIRED" });
    expect(r.message).toContain("Authenticated Origin Pulls is off");
  });

  it("with AOP on, the probe cannot present Cloudflare's certificate: unknown, never a false block", async () => {
    const r = await probe(target("on"));
    expect(r).toMatchObject({ status: "unknown", predicts: null, code: "CLIENT_CERT_REQUIRED" });
    expect(r.message).toContain("--client-cert");
  });

  it("with AOP on and --client-cert, the probe presents it and finishes the exchange", async () => {
    const r = await probe(target("on"), { clientCertificate: client });
    expect(r).toMatchObject({ status: "ok", httpStatus: 200 });
  });

  it("never presents the certificate where AOP is off", async () => {
    const r = await probe(target("off"), { clientCertificate: client });
    expect(r).toMatchObject({ status: "fail", code: "CLIENT_CERT_REQUIRED" });
  });

  it("with AOP unknown, says so", async () => {
    expect(await probe(target(undefined))).toMatchObject({ status: "unknown", code: "CLIENT_CERT_REQUIRED" });
  });
});

describe("the certificate horizon", () => {
  let plain: https.Server;
  let plainPort: number;
  beforeAll(async () => {
    plain = https.createServer(certs.valid, (_q, r) => r.end("ok"));
    await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
    plainPort = (plain.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => plain.close(() => resolve())));

  it("warns when a certificate Full (strict) validates expires within the horizon, naming the date", async () => {
    const t = { ...target(undefined), port: plainPort };
    // The leaf is valid for 30 days from today: 20 days from now it has 10 left.
    const later = new Date(Date.now() + 20 * 86_400_000);
    const soon = await probe(t, { certHorizonDays: 14, now: () => later });
    expect(soon).toMatchObject({ status: "warn", code: "CERT_EXPIRES_SOON" });
    expect(soon.message).toMatch(/expires on \d{4}-\d{2}-\d{2}, within 14 days/);
    expect(await probe(t, { certHorizonDays: 7, now: () => later })).toMatchObject({ status: "ok" });
  });
});
