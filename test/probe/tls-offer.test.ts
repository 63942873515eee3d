import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProbeResult } from "../../checks/probe/result.js";
import { runProbes } from "../../checks/probe/run.js";
import { afterRequest } from "./helpers/origins.js";
import { HOSTNAME, targetFor } from "./helpers/targets.js";

/**
 * The probe's ClientHello is Cloudflare's towards an origin (ssl/origin-configuration/cipher-suites):
 * TLS 1.0 to 1.3 and only the cipher suites Cloudflare lists. An origin Cloudflare can reach must
 * pass; one it cannot (a suite Cloudflare does not offer) must be 525, however well it answers
 * another client.
 */

let dir: string;
let rsa: { key: string; cert: string };
const servers: tls.Server[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "cfpl-tls-offer-"));
  // RSA: Cloudflare's TLS 1.0/1.1 suites are RSA ones (ECDHE-RSA-AES128-SHA, AES128-SHA, AES256-SHA).
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "leaf.key",
      "-out",
      "leaf.pem",
      "-days",
      "3",
      "-subj",
      `/CN=${HOSTNAME}`,
      "-addext",
      `subjectAltName=DNS:${HOSTNAME}`,
    ],
    { cwd: dir, stdio: "ignore" },
  );
  rsa = {
    key: readFileSync(path.join(dir, "leaf.key"), "utf8"),
    cert: readFileSync(path.join(dir, "leaf.pem"), "utf8"),
  };
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  rmSync(dir, { recursive: true, force: true });
});

/** A TLS origin on loopback limited to the given versions and suites, answering 200 to any request. */
async function origin(options: tls.TlsOptions): Promise<number> {
  const server = tls.createServer({ ...rsa, ...options }, (socket) => {
    socket.on("error", () => {});
    afterRequest(socket, () => socket.end("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
  });
  server.on("tlsClientError", () => {});
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return (server.address() as AddressInfo).port;
}

async function probeFull(port: number): Promise<ProbeResult> {
  const [result] = await runProbes([targetFor("127.0.0.1", port, "full")], {
    connectTimeoutMs: 2000,
    readTimeoutMs: 2000,
  });
  return result!;
}

describe("the TLS versions Cloudflare offers an origin", () => {
  for (const [version, cipher] of [
    ["TLSv1", "AES128-SHA"],
    ["TLSv1.1", "ECDHE-RSA-AES128-SHA"],
  ] as const) {
    it(`reaches a ${version}-only origin, as Cloudflare does (no 525)`, async () => {
      // OpenSSL 3 allows TLS 1.0/1.1 only at security level 0.
      const port = await origin({
        minVersion: version,
        maxVersion: version,
        ciphers: `${cipher}:@SECLEVEL=0`,
      });
      const r = await probeFull(port);
      expect(r.predicts).toBeNull();
      expect(r).toMatchObject({ httpStatus: 200, phase: "certificate", code: "CERT_SELF_SIGNED" });
    });
  }
});

describe("the cipher suites Cloudflare offers an origin", () => {
  it("passes a TLS 1.2 origin limited to a suite Cloudflare lists (AES256-SHA)", async () => {
    const port = await origin({ maxVersion: "TLSv1.2", ciphers: "AES256-SHA" });
    const r = await probeFull(port);
    expect(r).toMatchObject({ predicts: null, httpStatus: 200 });
  });

  for (const [label, options] of [
    ["ChaCha20-Poly1305 over TLS 1.2", { maxVersion: "TLSv1.2", ciphers: "ECDHE-RSA-CHACHA20-POLY1305" }],
    ["finite-field DHE", { maxVersion: "TLSv1.2", ciphers: "DHE-RSA-AES128-GCM-SHA256", dhparam: "auto" }],
    ["CBC with SHA-256 (AES128-SHA256)", { maxVersion: "TLSv1.2", ciphers: "AES128-SHA256" }],
  ] as const) {
    it(`predicts 525 for an origin that only accepts ${label}, which Cloudflare does not offer`, async () => {
      const port = await origin(options as tls.TlsOptions);
      const r = await probeFull(port);
      expect(r).toMatchObject({ status: "fail", predicts: "525", phase: "tls" });
    });
  }
});
