import { mkdtempSync, rmSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeClientCertificate, makeTestCertificates } from "../../checks/demo/certificates.js";
import type { ProbeResult, ProbeTarget } from "../../checks/probe/result.js";
import { runProbes } from "../../checks/probe/run.js";

/**
 * Redirects of an origin that demands a client certificate (Authenticated Origin Pulls on, the
 * probe presenting `--client-cert` in place of Cloudflare's): every request of the chain is made the
 * way the first one was, certificate included, so a loop is found and a chain that ends passes.
 */
const HOSTNAME = "aop-redirects.example.test";
let dir: string;
let rootPem: string;
let client: { key: string; cert: string };
let server: https.Server;
let port: number;

const REDIRECTS: Record<string, string> = { "/": "/b", "/b": "/", "/start": "/home" };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cfpl-aop-redirects-"));
  const certs = makeTestCertificates(dir, HOSTNAME);
  rootPem = certs.rootPem;
  client = makeClientCertificate(dir);
  server = https.createServer(
    { ...certs.valid, ca: certs.rootPem, requestCert: true, rejectUnauthorized: true },
    (request, response) => {
      const to = REDIRECTS[request.url ?? "/"];
      if (to) response.writeHead(302, { location: to }).end();
      else response.writeHead(200, { "content-type": "text/plain" }).end("home\n");
    },
  );
  server.on("tlsClientError", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

async function probe(path: string): Promise<ProbeResult> {
  const target: ProbeTarget = {
    zone: "example.test",
    hostname: HOSTNAME,
    recordType: "A",
    origin: { kind: "ip", address: "127.0.0.1", family: 4 },
    port,
    scheme: "https",
    sslMode: "strict",
    sni: HOSTNAME,
    hostHeader: HOSTNAME,
    certificate: "enforce",
    originPulls: "on",
    path,
  };
  const [result] = await runProbes([target], {
    extraCaPem: rootPem,
    clientCertificate: client,
    connectTimeoutMs: 2000,
    readTimeoutMs: 3000,
  });
  return result!;
}

describe("redirects of an origin that demands the client certificate", () => {
  it("a cycle is a blocking loop, not 'unknown' because the next hop was asked without the certificate", async () => {
    const r = await probe("/");
    expect(r).toMatchObject({ status: "fail", predicts: "redirect-loop", code: "REDIRECT_CYCLE" });
  });

  it("a chain that ends passes", async () => {
    const r = await probe("/start");
    expect(r).toMatchObject({ status: "ok", httpStatus: 302 });
    expect(r.notes?.at(-1)).toBe("HTTP 200");
  });
});
