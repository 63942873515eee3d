import { describe, expect, it } from "vitest";
import { ConnectOutcomes } from "../../checks/probe/connect-outcomes.js";
import { connectTcp } from "../../checks/probe/tcp.js";
import { closedPort, tcpOrigin } from "./helpers/origins.js";

const SHARED = /one attempt for every target at this address and port/;
const HOST = "127.0.0.1";

describe("ConnectOutcomes (real loopback sockets)", () => {
  it("gives every later target at a refusing address and port the first attempt's outcome", async () => {
    const port = await closedPort();
    const outcomes = new ConnectOutcomes();
    let attempts = 0;
    const open = () => {
      attempts++;
      return connectTcp(HOST, port, 1000);
    };
    const results = await Promise.all([1, 2, 3, 4].map(() => outcomes.connect(HOST, port, open)));
    expect(results.map((r) => (r.ok ? "ok" : r.code))).toEqual(Array(4).fill("ECONNREFUSED"));
    expect(attempts).toBe(1);
    expect(results.filter((r) => !r.ok && SHARED.test(r.message))).toHaveLength(3);
    const later = await outcomes.connect(HOST, port, open);
    expect(later.ok ? "" : later.message).toMatch(SHARED);
    expect(attempts).toBe(1);
    expect(outcomes.failures).toBe(1);
  });

  it("never shares a failure at an address and port that answered earlier in the run", async () => {
    const origin = await tcpOrigin((socket) => socket.destroy(), HOST);
    const outcomes = new ConnectOutcomes();
    const first = await outcomes.connect(HOST, origin.port, () => connectTcp(HOST, origin.port, 1000));
    expect(first.ok).toBe(true);
    if (first.ok) first.socket.destroy();
    await origin.close();
    let attempts = 0;
    const open = () => {
      attempts++;
      return connectTcp(HOST, origin.port, 1000);
    };
    const later = [
      await outcomes.connect(HOST, origin.port, open),
      await outcomes.connect(HOST, origin.port, open),
    ];
    expect(attempts).toBe(2);
    expect(later.map((r) => (r.ok ? "ok" : r.code))).toEqual(["ECONNREFUSED", "ECONNREFUSED"]);
    expect(later.some((r) => !r.ok && SHARED.test(r.message))).toBe(false);
  });

  it("keeps apart different ports of one address", async () => {
    const refusing = await closedPort();
    const origin = await tcpOrigin((socket) => socket.destroy(), HOST);
    try {
      const outcomes = new ConnectOutcomes();
      const refused = await outcomes.connect(HOST, refusing, () => connectTcp(HOST, refusing, 1000));
      const open = await outcomes.connect(HOST, origin.port, () => connectTcp(HOST, origin.port, 1000));
      expect(refused.ok).toBe(false);
      expect(open.ok).toBe(true);
      if (open.ok) open.socket.destroy();
    } finally {
      await origin.close();
    }
  });

  it("never shares an interrupted attempt", async () => {
    const port = await closedPort();
    const outcomes = new ConnectOutcomes();
    const interrupted = await outcomes.connect(HOST, port, () =>
      connectTcp(HOST, port, 1000, AbortSignal.abort()),
    );
    expect(interrupted.ok ? "ok" : interrupted.code).toBe("ABORT_ERR");
    const next = await outcomes.connect(HOST, port, () => connectTcp(HOST, port, 1000));
    expect(next.ok ? "ok" : next.code).toBe("ECONNREFUSED");
    expect(next.ok ? "" : next.message).not.toMatch(SHARED);
    expect(outcomes.failures).toBe(1);
  });
});
