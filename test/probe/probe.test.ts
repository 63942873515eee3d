import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProbeResult, ProbeTarget } from "../../checks/probe/result.js";
import type { ProbeOptions } from "../../checks/probe/run.js";
import { runProbes } from "../../checks/probe/run.js";
import type { TestCertificates } from "./helpers/certificates.js";
import { makeTestCertificates } from "./helpers/certificates.js";
import type { TestOrigin } from "./helpers/origins.js";
import { afterRequest, closedPort, httpOrigin, httpsOrigin, tcpOrigin } from "./helpers/origins.js";
import { HOSTNAME, targetFor } from "./helpers/targets.js";

let dir: string;
let certs: TestCertificates;
const origins: TestOrigin[] = [];

async function keep(origin: Promise<TestOrigin>): Promise<TestOrigin> {
  const o = await origin;
  origins.push(o);
  return o;
}

const quick: ProbeOptions = { connectTimeoutMs: 2000, readTimeoutMs: 500, concurrency: 4 };

async function probeOne(target: ProbeTarget, options: ProbeOptions = {}): Promise<ProbeResult> {
  const results = await runProbes([target], { ...quick, extraCaPem: certs.rootPem, ...options });
  expect(results).toHaveLength(1);
  return results[0]!;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "cfpl-probe-"));
  certs = makeTestCertificates(dir, HOSTNAME);
});

afterAll(async () => {
  await Promise.all(origins.map((o) => o.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe("TCP", () => {
  it("predicts 521 when nothing listens on the port", async () => {
    const port = await closedPort();
    const r = await probeOne(targetFor("127.0.0.1", port, "flexible"));
    expect(r).toMatchObject({ status: "fail", predicts: "521", phase: "tcp", code: "ECONNREFUSED" });
    expect(r.timings.tcp).toBeTypeOf("number");
  });

  it("predicts 521 on IPv6 too", async () => {
    const port = await closedPort("::1");
    const r = await probeOne(targetFor("::1", port, "strict"));
    expect(r).toMatchObject({
      status: "fail",
      predicts: "521",
      phase: "tcp",
      code: "ECONNREFUSED",
      address: "::1",
    });
  });
});

describe("HTTP origins (Flexible)", () => {
  it("passes a healthy origin and reports the status and the Host header it was asked for", async () => {
    let host: string | undefined;
    const origin = await keep(
      httpOrigin((request, response) => {
        host = request.headers.host;
        response.writeHead(204);
        response.end();
      }),
    );
    const r = await probeOne(targetFor("127.0.0.1", origin.port, "flexible"));
    expect(r).toMatchObject({ status: "ok", predicts: null, phase: "http", httpStatus: 204, code: null });
    expect(host).toBe(HOSTNAME);
    expect(r.bytesRead).toBeGreaterThan(0);
    expect(r.localAddress).toBe("127.0.0.1");
  });

  it("passes a healthy IPv6 origin", async () => {
    const origin = await keep(httpOrigin(undefined, "::1"));
    const r = await probeOne(targetFor("::1", origin.port, "flexible"));
    expect(r).toMatchObject({ status: "ok", httpStatus: 200, address: "::1" });
  });

  it("predicts a redirect loop when a Flexible origin redirects to https://the same host", async () => {
    const origin = await keep(
      httpOrigin((request, response) => {
        response.writeHead(301, { location: `https://${request.headers.host}${request.url}` });
        response.end();
      }),
    );
    const r = await probeOne(targetFor("127.0.0.1", origin.port, "flexible"));
    expect(r).toMatchObject({ status: "fail", predicts: "redirect-loop", phase: "http", httpStatus: 301 });
    expect(r.location).toBe(`https://${HOSTNAME}/`);
  });

  it("does not call a redirect to another host a loop", async () => {
    const origin = await keep(
      httpOrigin((_request, response) => {
        response.writeHead(302, { location: "https://login.example.test/" });
        response.end();
      }),
    );
    const r = await probeOne(targetFor("127.0.0.1", origin.port, "flexible"));
    expect(r).toMatchObject({ status: "ok", predicts: null, httpStatus: 302 });
  });

  it("predicts 520 for an empty reply", async () => {
    const origin = await keep(tcpOrigin((socket) => afterRequest(socket, () => socket.end())));
    const r = await probeOne(targetFor("127.0.0.1", origin.port, "flexible"));
    expect(r).toMatchObject({ status: "fail", predicts: "520", phase: "http", code: "EMPTY_REPLY" });
  });

  it("predicts 520 for a reset after the request", async () => {
    const origin = await keep(tcpOrigin((socket) => afterRequest(socket, () => socket.resetAndDestroy())));
    const r = await probeOne(targetFor("127.0.0.1", origin.port, "flexible"));
    expect(r).toMatchObject({ status: "fail", predicts: "520", phase: "http", code: "ECONNRESET" });
  });

  it("predicts 520 for a response that is not HTTP", async () => {
    const origin = await keep(
      tcpOrigin((socket) => afterRequest(socket, () => socket.end("SSH-2.0-OpenSSH_9.2\r\n\r\n"))),
    );
    const r = await probeOne(targetFor("127.0.0.1", origin.port, "flexible"));
    expect(r).toMatchObject({ status: "fail", predicts: "520", code: "BAD_STATUS_LINE" });
  });

  it("predicts 520 for response headers over 128 KB, reading no more than the cap", async () => {
    const big = `HTTP/1.1 200 OK\r\n${"X-Filler: ".concat("a".repeat(1000), "\r\n").repeat(200)}\r\nbody`;
    const origin = await keep(tcpOrigin((socket) => afterRequest(socket, () => socket.end(big))));
    const r = await probeOne(targetFor("127.0.0.1", origin.port, "flexible"));
    expect(r).toMatchObject({ status: "fail", predicts: "520", phase: "http", code: "HEADERS_TOO_LARGE" });
  });

  it("passes headers just under 128 KB", async () => {
    const filler = "X-Filler: ".concat("a".repeat(1000), "\r\n").repeat(120);
    const origin = await keep(
      tcpOrigin((socket) => afterRequest(socket, () => socket.end(`HTTP/1.1 200 OK\r\n${filler}\r\n`))),
    );
    const r = await probeOne(targetFor("127.0.0.1", origin.port, "flexible"));
    expect(r).toMatchObject({ status: "ok", httpStatus: 200 });
  });

  it("stops reading endless headers at the cap", async () => {
    const origin = await keep(
      tcpOrigin((socket) =>
        afterRequest(socket, () => {
          socket.write("HTTP/1.1 200 OK\r\n");
          const line = `X-Endless: ${"b".repeat(4000)}\r\n`;
          const pump = (): void => {
            while (!socket.destroyed && socket.write(line)) {}
            if (!socket.destroyed) socket.once("drain", pump);
          };
          pump();
        }),
      ),
    );
    const r = await probeOne(targetFor("127.0.0.1", origin.port, "flexible"));
    expect(r).toMatchObject({ status: "fail", predicts: "520", code: "HEADERS_TOO_LARGE" });
    expect(r.bytesRead).toBeLessThan(1024 * 1024);
  });

  it("reads only the headers of a huge body", async () => {
    const origin = await keep(
      tcpOrigin((socket) =>
        afterRequest(socket, () => {
          socket.write("HTTP/1.1 200 OK\r\nContent-Length: 10737418240\r\n\r\n");
          const block = Buffer.alloc(64 * 1024, 120);
          const pump = (): void => {
            while (!socket.destroyed && socket.write(block)) {}
            if (!socket.destroyed) socket.once("drain", pump);
          };
          pump();
        }),
      ),
    );
    const r = await probeOne(targetFor("127.0.0.1", origin.port, "flexible"));
    expect(r).toMatchObject({ status: "ok", httpStatus: 200 });
    expect(r.bytesRead).toBeLessThan(4 * 1024 * 1024);
  });

  it("predicts 524 when the origin accepts the request and never answers", async () => {
    const origin = await keep(tcpOrigin(() => {}));
    const r = await probeOne(targetFor("127.0.0.1", origin.port, "flexible"), { readTimeoutMs: 300 });
    expect(r).toMatchObject({
      status: "fail",
      predicts: "524",
      phase: "http",
      code: "ETIMEDOUT",
      bytesRead: 0,
    });
  });

  it("predicts 524 for a slow first byte that comes after the read timeout", async () => {
    const origin = await keep(
      httpOrigin((_request, response) => {
        setTimeout(() => {
          if (!response.destroyed) response.end("late");
        }, 1500);
      }),
    );
    const r = await probeOne(targetFor("127.0.0.1", origin.port, "flexible"), { readTimeoutMs: 300 });
    expect(r).toMatchObject({ status: "fail", predicts: "524", code: "ETIMEDOUT" });
  });

  it("bounds a slowloris origin dribbling its headers", async () => {
    const origin = await keep(
      tcpOrigin((socket) =>
        afterRequest(socket, () => {
          socket.write("HTTP/1.1 200 OK\r\n");
          const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write("X")), 20);
          socket.on("close", () => clearInterval(timer));
        }),
      ),
    );
    const r = await probeOne(targetFor("127.0.0.1", origin.port, "flexible"), { readTimeoutMs: 400 });
    expect(r).toMatchObject({ status: "fail", predicts: "524", code: "SLOW_HEADERS" });
    expect(r.bytesRead).toBeGreaterThan(17);
  });
});

describe("HTTPS origins (Full (strict))", () => {
  const served = async (pair: { key: string; cert: string }) => keep(httpsOrigin(pair));

  it("passes a certificate issued through a private root standing in for the Origin CA", async () => {
    const origin = await served(certs.valid);
    const r = await probeOne(targetFor("127.0.0.1", origin.port, "strict"));
    expect(r).toMatchObject({ status: "ok", predicts: null, phase: "http", httpStatus: 200 });
    expect(r.certificate).toMatchObject({
      subject: `CN=${HOSTNAME}`,
      subjectAltNames: [HOSTNAME],
      issuer: "CN=Test Origin CA intermediate, O=cf-preflight",
      trusted: true,
      problems: [],
    });
    expect(r.certificate?.chain).toEqual([
      `CN=${HOSTNAME}`,
      "CN=Test Origin CA intermediate, O=cf-preflight",
      "O=cf-preflight, CN=Test Origin CA stand-in",
    ]);
    expect(Date.parse(r.certificate!.validTo)).toBeGreaterThan(Date.now());
    expect(r.timings.tls).toBeTypeOf("number");
  });

  it("predicts 526 for the same chain when its root is not trusted (no extra CA)", async () => {
    const origin = await served(certs.valid);
    const r = await probeOne(targetFor("127.0.0.1", origin.port, "strict"), { extraCaPem: [] });
    expect(r).toMatchObject({
      status: "fail",
      predicts: "526",
      phase: "certificate",
      code: "CERT_UNTRUSTED",
    });
  });

  const cases: [string, keyof TestCertificates, string, RegExp][] = [
    ["expired", "expired", "CERT_EXPIRED", /expired on 2020-02-01T00:00:00.000Z/],
    ["not yet valid", "notYetValid", "CERT_NOT_YET_VALID", /not valid before 2099-01-01/],
    ["for another name", "wrongName", "CERT_NAME_MISMATCH", /other\.example\.test/],
    ["self-signed", "selfSigned", "CERT_SELF_SIGNED", /self-signed/],
    ["from an untrusted CA", "untrusted", "CERT_UNTRUSTED", /Untrusted Test CA/],
  ];
  for (const [label, key, code, detail] of cases) {
    it(`predicts 526 for a certificate ${label}`, async () => {
      const origin = await served(certs[key] as { key: string; cert: string });
      const r = await probeOne(targetFor("127.0.0.1", origin.port, "strict"));
      expect(r).toMatchObject({ status: "fail", predicts: "526", phase: "certificate", code });
      expect(r.message).toMatch(detail);
      expect(r.certificate?.problems).toContain(code.slice(5).toLowerCase().replaceAll("_", "-"));
      expect(r.httpStatus).toBeUndefined();
    });
  }

  it("only warns about a bad certificate in Full, and still checks HTTP", async () => {
    const origin = await served(certs.expired);
    const r = await probeOne(targetFor("127.0.0.1", origin.port, "full"));
    expect(r).toMatchObject({ status: "warn", predicts: null, code: "CERT_EXPIRED", httpStatus: 200 });
    expect(r.message).toMatch(/Full \(strict\) would answer 526/);
  });

  it("predicts 525 for plain HTTP on the TLS port", async () => {
    const origin = await keep(httpOrigin());
    const r = await probeOne(targetFor("127.0.0.1", origin.port, "strict"));
    expect(r).toMatchObject({ status: "fail", predicts: "525", phase: "tls" });
    expect(r.code).toBe("ERR_SSL_WRONG_VERSION_NUMBER");
  });

  it("predicts 525 when the TLS handshake stalls, bounded by the TLS timeout", async () => {
    const origin = await keep(tcpOrigin(() => {}));
    const r = await probeOne(targetFor("127.0.0.1", origin.port, "full"), { tlsTimeoutMs: 300 });
    expect(r).toMatchObject({ status: "fail", predicts: "525", phase: "tls", code: "ETIMEDOUT" });
  });

  it("predicts 525 when the origin hangs up during the handshake", async () => {
    const origin = await keep(tcpOrigin((socket) => socket.once("data", () => socket.destroy())));
    const r = await probeOne(targetFor("127.0.0.1", origin.port, "strict"));
    expect(r).toMatchObject({ status: "fail", predicts: "525", phase: "tls" });
  });

  it("sends SNI and the Host header for the hostname, not the address", async () => {
    let seen: { sni: string | false | null; host: string | undefined } | undefined;
    const origin = await keep(
      httpsOrigin(certs.valid, (request, response) => {
        seen = { sni: (request.socket as TLSSocket).servername, host: request.headers.host };
        response.end();
      }),
    );
    const r = await probeOne(targetFor("127.0.0.1", origin.port, "strict"));
    expect(r.status).toBe("ok");
    expect(seen).toEqual({ sni: HOSTNAME, host: HOSTNAME });
  });

  it("predicts 520 over TLS when the origin resets after the request", async () => {
    const origin = await keep(
      httpsOrigin(certs.valid, (request) => {
        request.socket.destroy();
      }),
    );
    const r = await probeOne(targetFor("127.0.0.1", origin.port, "strict"));
    expect(r).toMatchObject({ status: "fail", predicts: "520", phase: "http" });
    expect(r.certificate?.trusted).toBe(true);
  });
});

describe("concurrency", () => {
  it("keeps results in target order and reports each one as it is ready", async () => {
    const fast = await keep(httpOrigin());
    const hang = await keep(tcpOrigin(() => {}));
    const targets = [
      targetFor("127.0.0.1", hang.port, "flexible", { hostname: "slow.example.test" }),
      ...Array.from({ length: 6 }, (_, i) =>
        targetFor("127.0.0.1", fast.port, "flexible", { hostname: `h${i}.example.test` }),
      ),
    ];
    const seen: string[] = [];
    const results = await runProbes(targets, {
      ...quick,
      readTimeoutMs: 800,
      concurrency: 2,
      onResult: (r) => seen.push(r.target.hostname),
    });
    expect(results.map((r) => r.target.hostname)).toEqual(targets.map((t) => t.hostname));
    expect(results[0]).toMatchObject({ predicts: "524" });
    expect(results.slice(1).every((r) => r.status === "ok")).toBe(true);
    // The slow origin held one slot: the six fast ones all finished through the other before it.
    expect(seen.at(-1)).toBe("slow.example.test");
  });
});
