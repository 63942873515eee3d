import type { TcpConnectResult } from "./tcp.js";

type TcpFailure = Extract<TcpConnectResult, { ok: false }>;

/**
 * One run's view of which origin addresses and ports refuse or ignore connections. Whether a TCP
 * connection opens depends on the address and port only, never on the hostname that led there, so
 * every target behind an address and port whose connection attempt failed shares that attempt's
 * outcome instead of making its own: a host that was shut down in a migration is waited out once
 * (one connect timeout), not once per hostname pointing at it, and it is sent one SYN, not hundreds.
 *
 * Targets that arrive while the first attempt to an address and port is still opening wait for it.
 * Once an attempt to an address and port has succeeded, every target there connects on its own (each
 * needs its own connection), and a later failure there is that target's alone: an origin that
 * answers some attempts and not others is flaky, and each of its targets reports what it met. An
 * interrupted attempt (ABORT_ERR) is never shared.
 *
 * The limit of this: until an attempt succeeds, the first failed one stands for every target at
 * that address and port for the rest of the run, so an origin that failed its first attempt and
 * would have answered a later one (a load balancer with one dead backend, a local error such as
 * running out of ports) is reported failing for all of them. Every shared outcome is a failure or
 * an unknown, never a pass.
 */
export class ConnectOutcomes {
  private readonly opening = new Map<string, Promise<TcpFailure | undefined>>();
  private readonly failed = new Map<string, TcpFailure>();
  private readonly reached = new Set<string>();

  async connect(
    address: string,
    port: number,
    open: () => Promise<TcpConnectResult>,
  ): Promise<TcpConnectResult> {
    const key = `${address} ${port}`;
    if (this.reached.has(key)) return open();
    const known = this.failed.get(key);
    // In the attempt's own words: a target's finding does not depend on which target attempted
    // first (shards of one run and the whole run give the same findings).
    if (known !== undefined) return known;
    const first = this.opening.get(key);
    if (first !== undefined) {
      const failure = await first;
      return failure !== undefined ? failure : open();
    }
    const attempt = open();
    this.opening.set(
      key,
      // A rejected attempt (none today: connectTcp reports failures as values) is shared with nobody.
      attempt.then(
        (result) => (result.ok || result.code === "ABORT_ERR" ? undefined : result),
        () => undefined,
      ),
    );
    let result: TcpConnectResult;
    try {
      result = await attempt;
    } finally {
      this.opening.delete(key);
    }
    if (result.ok) this.reached.add(key);
    else if (result.code !== "ABORT_ERR") this.failed.set(key, result);
    return result;
  }

  /** Addresses and ports whose connection attempt failed in this run. */
  get failures(): number {
    return this.failed.size;
  }
}
