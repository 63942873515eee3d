import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { KeyPair } from "./certificates.js";

/** A local origin the demo starts on loopback. */
export interface DemoOrigin {
  readonly port: number;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<DemoOrigin> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An HTTPS origin answering every request after `delayMs`, with 404 on the `missing` paths. */
export function httpsOrigin(
  pair: KeyPair,
  name: string,
  delayMs = 0,
  missing: readonly string[] = [],
): Promise<DemoOrigin> {
  const server = createHttpsServer({ key: pair.key, cert: pair.cert }, (req, res) => {
    const timer = setTimeout(() => {
      const found = !missing.includes(req.url ?? "/");
      res.writeHead(found ? 200 : 404, { "content-type": "text/plain", "x-origin": name });
      res.end(found ? `${name} origin: ${req.headers.host}\n` : "not found\n");
    }, delayMs);
    res.on("close", () => clearTimeout(timer));
  });
  return listen(server);
}

/** A port nothing listens on any more: connecting to it is refused (a 521). */
export async function refusingPort(): Promise<DemoOrigin> {
  const origin = await listen(createHttpServer());
  await origin.close();
  return { port: origin.port, close: async () => {} };
}
