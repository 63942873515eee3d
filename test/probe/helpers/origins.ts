import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import net from "node:net";

/** A server listening on loopback, closed by the test's afterAll. */
export interface TestOrigin {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

const openSockets = new WeakMap<net.Server, Set<net.Socket>>();

function track(server: net.Server): void {
  const sockets = new Set<net.Socket>();
  openSockets.set(server, sockets);
  server.on("connection", (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
  });
  server.on("secureConnection", (socket: net.Socket) => socket.on("error", () => {}));
  server.on("tlsClientError", () => {});
}

async function listen(server: net.Server, host: string): Promise<TestOrigin> {
  track(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of openSockets.get(server) ?? []) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

const ok: Handler = (_request, response) => {
  response.writeHead(200, { "content-type": "text/plain" });
  response.end("ok\n");
};

export function httpOrigin(handler: Handler = ok, host = "127.0.0.1"): Promise<TestOrigin> {
  return listen(http.createServer(handler), host);
}

export function httpsOrigin(
  pair: { key: string; cert: string },
  handler: Handler = ok,
  host = "127.0.0.1",
): Promise<TestOrigin> {
  return listen(https.createServer({ key: pair.key, cert: pair.cert }, handler), host);
}

/** A raw TCP origin: `onConnection` decides what (if anything) the origin says. */
export function tcpOrigin(
  onConnection: (socket: net.Socket) => void,
  host = "127.0.0.1",
): Promise<TestOrigin> {
  return listen(net.createServer(onConnection), host);
}

/** A loopback port with nothing listening (bound once, then released). */
export async function closedPort(host = "127.0.0.1"): Promise<number> {
  const origin = await tcpOrigin(() => {}, host);
  await origin.close();
  return origin.port;
}

/** Calls `then` once the request's headers have arrived. */
export function afterRequest(socket: net.Socket, then: () => void): void {
  let seen = "";
  const onData = (chunk: Buffer): void => {
    seen += chunk.toString("latin1");
    if (seen.includes("\r\n\r\n")) {
      socket.off("data", onData);
      then();
    }
  };
  socket.on("data", onData);
}
