import net from "node:net";

export type TcpConnectResult =
  | { readonly ok: true; readonly socket: net.Socket; readonly ms: number }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly ms: number };

/**
 * Open a TCP connection to an IP address within `timeoutMs`. A timeout is reported as ETIMEDOUT
 * (no SYN+ACK), every other failure with the socket's own error code.
 */
export function connectTcp(address: string, port: number, timeoutMs: number): Promise<TcpConnectResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port, noDelay: true });
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
