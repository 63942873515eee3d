import { afterAll, describe, expect, it } from "vitest";
import type { ProbeTarget } from "../../checks/probe/result.js";
import { runProbes } from "../../checks/probe/run.js";
import { type TestOrigin, tcpOrigin } from "./helpers/origins.js";
import { targetFor } from "./helpers/targets.js";

/**
 * The Host header comes from the code or from the live API (an origin rule's `host_header`): a value
 * holding a line break would write headers, or a whole second request, of the input's choosing to
 * the user's origin. Such a value is never sent; the probe says why (unknown).
 */
const origins: TestOrigin[] = [];
afterAll(async () => {
  await Promise.all(origins.map((o) => o.close()));
});

describe("a Host header that is not a header value", () => {
  for (const [label, hostHeader] of [
    [
      "a second request after CR LF",
      "www.example.test\r\n\r\nDELETE /admin HTTP/1.1\r\nHost: www.example.test",
    ],
    ["an extra header after a bare LF", "www.example.test\nX-Injected: 1"],
    ["a NUL byte", "www.example.test\u0000x"],
  ] as const) {
    it(`is never sent: ${label}`, async () => {
      let received = "";
      const origin = await tcpOrigin((socket) => {
        socket.on("data", (chunk: Buffer) => {
          received += chunk.toString("latin1");
          if (received.includes("\r\n\r\n")) socket.end("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        });
      });
      origins.push(origin);
      const target: ProbeTarget = { ...targetFor("127.0.0.1", origin.port, "flexible"), hostHeader };
      const [r] = await runProbes([target], { connectTimeoutMs: 1000, readTimeoutMs: 1000 });
      expect(received).not.toContain("DELETE");
      expect(received).not.toContain("X-Injected");
      expect(received).not.toContain(String.fromCharCode(0));
      expect(r).toMatchObject({ status: "unknown", predicts: null, code: "INVALID_HOST_HEADER" });
    });
  }
});
