import { mkdtempSync, rmSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PeerChains } from "../../checks/probe/peer-chains.js";
import { runProbes } from "../../checks/probe/run.js";
import { sessionPeerCertificate } from "../../checks/probe/session-certificate.js";
import type { TestCertificates } from "./helpers/certificates.js";
import { makeTestCertificates } from "./helpers/certificates.js";
import type { TestOrigin } from "./helpers/origins.js";
import { httpsOrigin } from "./helpers/origins.js";
import { HOSTNAME, targetFor } from "./helpers/targets.js";

let dir: string;
let certs: TestCertificates;
const origins: TestOrigin[] = [];
const servers: https.Server[] = [];

async function keep(origin: Promise<TestOrigin>): Promise<TestOrigin> {
  const o = await origin;
  origins.push(o);
  return o;
}

/** The leaf alone, without the intermediate the valid pair sends with it. */
function leafOnly(pair: { key: string; cert: string }): { key: string; cert: string } {
  const first = pair.cert.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)?.[0];
  if (first === undefined) throw new Error("no certificate in the pair");
  return { key: pair.key, cert: `${first}\n` };
}

/** A TLS connection to the origin with the probe's own settings (no verification). */
async function connect(
  port: number,
  servername: string,
  maxVersion?: tls.SecureVersion,
): Promise<tls.TLSSocket> {
  const raw = net.connect({ host: "127.0.0.1", port });
  await new Promise<void>((resolve, reject) => {
    raw.once("connect", resolve);
    raw.once("error", reject);
  });
  const secure = tls.connect({
    socket: raw,
    servername,
    rejectUnauthorized: false,
    ...(maxVersion ? { maxVersion } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    secure.once("secureConnect", resolve);
    secure.once("error", reject);
  });
  return secure;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "cfpl-chains-"));
  certs = makeTestCertificates(dir, HOSTNAME);
});

afterAll(async () => {
  await Promise.all(origins.map((o) => o.close()));
  for (const server of servers) server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the leaf certificate in a TLS session", () => {
  for (const version of ["TLSv1.2", "TLSv1.3"] as const) {
    it(`is the certificate the origin sent, byte for byte (${version})`, async () => {
      const origin = await keep(httpsOrigin(certs.valid));
      const secure = await connect(origin.port, HOSTNAME, version);
      try {
        expect(secure.getProtocol()).toBe(version);
        const leaf = sessionPeerCertificate(secure.getSession());
        expect(leaf).toBeDefined();
        expect(Buffer.from(leaf!).equals(secure.getPeerX509Certificate()!.raw)).toBe(true);
      } finally {
        secure.destroy();
      }
    });
  }

  it("is not found in anything but a whole session", async () => {
    const origin = await keep(httpsOrigin(certs.valid));
    const secure = await connect(origin.port, HOSTNAME);
    const session = secure.getSession()!;
    secure.destroy();
    expect(sessionPeerCertificate(undefined)).toBeUndefined();
    expect(sessionPeerCertificate(Buffer.alloc(0))).toBeUndefined();
    expect(sessionPeerCertificate(Buffer.from("not a session"))).toBeUndefined();
    // Cut anywhere inside the certificate, the session no longer holds it.
    for (const cut of [10, session.length / 2, session.length - 1])
      expect(sessionPeerCertificate(session.subarray(0, Math.floor(cut)))).toBeUndefined();
    // An indefinite length (BER, not DER) is refused.
    const indefinite = Buffer.from(session);
    indefinite[1] = 0x80;
    expect(sessionPeerCertificate(indefinite)).toBeUndefined();
  });
});

describe("chains remembered during a run", () => {
  it("are reused for the same endpoint, name and leaf, and read anew for another name", async () => {
    const origin = await keep(httpsOrigin(certs.valid));
    const chains = new PeerChains();
    const sockets = await Promise.all([
      connect(origin.port, HOSTNAME),
      connect(origin.port, HOSTNAME),
      connect(origin.port, `other.${HOSTNAME}`),
    ]);
    try {
      const [first, second, other] = sockets.map((s, i) =>
        chains.chainOf(s, i === 2 ? `other.${HOSTNAME}` : HOSTNAME, false),
      );
      expect(first!.map((c) => c.subject)).toEqual([
        `CN=${HOSTNAME}`,
        "CN=Test Origin CA intermediate\nO=cf-preflight",
      ]);
      expect(second).toBe(first);
      expect(other).not.toBe(first);
      expect(other!.map((c) => c.fingerprint256)).toEqual(first!.map((c) => c.fingerprint256));
    } finally {
      for (const s of sockets) s.destroy();
    }
  });

  it("never lend one endpoint's intermediates to another sending the same leaf", async () => {
    const full = await keep(httpsOrigin(certs.valid));
    const bare = await keep(httpsOrigin(leafOnly(certs.valid)));
    const targets = Array.from({ length: 8 }, (_, i) =>
      targetFor("127.0.0.1", i % 2 === 0 ? full.port : bare.port, "strict"),
    );
    const results = await runProbes(targets, {
      connectTimeoutMs: 2000,
      readTimeoutMs: 2000,
      concurrency: 4,
      extraCaPem: certs.rootPem,
    });
    for (const [i, r] of results.entries()) {
      if (i % 2 === 0) expect(r, `target ${i}`).toMatchObject({ status: "ok", httpStatus: 200 });
      else
        expect(r, `target ${i}`).toMatchObject({
          status: "fail",
          predicts: "526",
          code: "CERT_UNTRUSTED",
        });
    }
  });

  it("follow a certificate the origin changes in the middle of a run", async () => {
    // The context is chosen at each handshake (SNI), so a change reaches connections already open.
    let context = tls.createSecureContext(certs.valid);
    let served = 0;
    const server = https.createServer(
      { SNICallback: (_name, callback) => callback(null, context) },
      (_request, response) => {
        // After the first response, the origin is reconfigured with an expired certificate.
        if (++served === 1) context = tls.createSecureContext(certs.expired);
        response.writeHead(200);
        response.end("ok\n");
      },
    );
    servers.push(server);
    server.on("tlsClientError", () => {});
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const results = await runProbes(
      [targetFor("127.0.0.1", port, "strict"), targetFor("127.0.0.1", port, "strict")],
      {
        connectTimeoutMs: 2000,
        readTimeoutMs: 2000,
        concurrency: 1,
        extraCaPem: certs.rootPem,
      },
    );
    expect(results[0]).toMatchObject({ status: "ok", httpStatus: 200 });
    expect(results[1]).toMatchObject({ status: "fail", predicts: "526", code: "CERT_EXPIRED" });
  });
});
