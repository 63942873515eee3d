import net from "node:net";

export type TcpConnectResult =
  | { readonly ok: true; readonly socket: net.Socket; readonly ms: number }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly ms: number };

/**
 * Open a TCP connection to an IP address within `timeoutMs`. A timeout is reported as ETIMEDOUT
 * (no SYN+ACK), every other failure with the socket's own error code. An aborted `signal`
 * destroys the socket, now or later in its life (ABORT_ERR).
 */
export function connectTcp(
  address: string,
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<TcpConnectResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port, noDelay: true });
    if (signal !== undefined) {
      // Not net's own `signal` option: it leaves a listener on the signal for every socket.
      const abort = () =>
        socket.destroy(Object.assign(new Error("probe interrupted"), { code: "ABORT_ERR" }));
      if (signal.aborted) abort();
      else {
        signal.addEventListener("abort", abort, { once: true });
        socket.once("close", () => signal.removeEventListener("abort", abort));
      }
    }
    let settled = false;
    const finish = (result: TcpConnectResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners("connect");
      socket.removeAllListeners("error");
      if (!result.ok) socket.destroy();
      else socket.on("error", () => {});
      resolve(result);
    };
    const elapsed = (): number => Math.round(performance.now() - started);
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          code: "ETIMEDOUT",
          message: `no answer to the connection attempt within ${timeoutMs} ms`,
          ms: elapsed(),
        }),
      timeoutMs,
    );
    socket.once("connect", () => finish({ ok: true, socket, ms: elapsed() }));
    socket.once("error", (error: NodeJS.ErrnoException) =>
      finish({ ok: false, code: error.code ?? "EUNKNOWN", message: error.message, ms: elapsed() }),
    );
  });
}
