import { describe, expect, it } from "vitest";
import { ConnectOutcomes } from "../../checks/probe/connect-outcomes.js";
import { connectTcp, type TcpConnectResult } from "../../checks/probe/tcp.js";
import { closedPort, tcpOrigin } from "./helpers/origins.js";

const HOST = "127.0.0.1";

/** An opener of real loopback connections that counts its attempts. */
function counted(port: number, signal?: AbortSignal) {
  const opener = {
    attempts: 0,
    open: (): Promise<TcpConnectResult> => {
      opener.attempts++;
      return connectTcp(HOST, port, 1000, signal);
    },
  };
  return opener;
}

const codeOf = (r: TcpConnectResult) => (r.ok ? "ok" : r.code);

describe("ConnectOutcomes (real loopback sockets)", () => {
  it("gives every later target at a refusing address and port the first attempt's outcome, in its words", async () => {
    const port = await closedPort();
    const outcomes = new ConnectOutcomes();
    const opener = counted(port);
    const results = await Promise.all([1, 2, 3, 4].map(() => outcomes.connect(HOST, port, opener.open)));
    expect(results.map(codeOf)).toEqual(Array(4).fill("ECONNREFUSED"));
    expect(opener.attempts).toBe(1);
    // The same message for each: a finding does not depend on which target attempted first.
    expect(new Set(results.map((r) => (r.ok ? "" : r.message))).size).toBe(1);
    const later = await outcomes.connect(HOST, port, opener.open);
    expect(codeOf(later)).toBe("ECONNREFUSED");
    expect(opener.attempts).toBe(1);
    expect(outcomes.failures).toBe(1);
  });

  it("never shares a failure at an address and port that answered earlier in the run", async () => {
    const origin = await tcpOrigin((socket) => socket.destroy(), HOST);
    const outcomes = new ConnectOutcomes();
    const first = await outcomes.connect(HOST, origin.port, () => connectTcp(HOST, origin.port, 1000));
    expect(first.ok).toBe(true);
    if (first.ok) first.socket.destroy();
    await origin.close();
    const opener = counted(origin.port);
    const later = [
      await outcomes.connect(HOST, origin.port, opener.open),
      await outcomes.connect(HOST, origin.port, opener.open),
    ];
    expect(opener.attempts).toBe(2);
    expect(later.map(codeOf)).toEqual(["ECONNREFUSED", "ECONNREFUSED"]);
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
    const interrupted = await outcomes.connect(HOST, port, counted(port, AbortSignal.abort()).open);
    expect(codeOf(interrupted)).toBe("ABORT_ERR");
    const opener = counted(port);
    const next = await outcomes.connect(HOST, port, opener.open);
    expect(codeOf(next)).toBe("ECONNREFUSED");
    expect(opener.attempts).toBe(1);
    expect(outcomes.failures).toBe(1);
  });
});
