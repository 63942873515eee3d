import { Faults } from "./faults.js";
import type { Permission } from "./permissions.js";
import { loadSeedFile, parseSeed, type Seed } from "./seed.js";
import { API_PREFIX, createEmulatorServer, listen, type RequestLogEntry } from "./server.js";
import { EmulatorState } from "./state.js";

export { DEFAULT_IPS } from "./default-ips.js";
export { type Fault, type FaultMatch, Faults } from "./faults.js";
export * from "./limits.js";
export { PERMISSIONS, type Permission } from "./permissions.js";
export { loadSeedFile, parseSeed, type Seed } from "./seed.js";
export { ADMIN_PREFIX, API_PREFIX, type RequestLogEntry } from "./server.js";
export { EmulatorState } from "./state.js";

export interface EmulatorOptions {
  /** Loopback only; default 127.0.0.1. */
  readonly host?: "127.0.0.1" | "::1" | "localhost";
  /** 0 (default): any free port. */
  readonly port?: number;
  /** The token the emulator accepts (with `permissions`); further tokens via `state.grantToken`. */
  readonly token?: string;
  /** Permissions of `token`; all when omitted. */
  readonly permissions?: readonly Permission[];
  /** A seed object, or the path of a seed JSON file (validated either way). */
  readonly seed?: Seed | string;
}

export interface Emulator {
  /** Base URL for the SDK, e.g. `http://127.0.0.1:PORT/client/v4`. */
  readonly url: string;
  readonly state: EmulatorState;
  readonly faults: Faults;
  /** Every API request so far (admin requests excluded). */
  requests(): readonly RequestLogEntry[];
  clearRequests(): void;
  close(): Promise<void>;
}

/** Start the local stand-in for the Cloudflare v4 API on loopback. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const state = new EmulatorState();
  if (options.token !== undefined) state.grantToken(options.token, options.permissions);
  if (typeof options.seed === "string") state.seed(await loadSeedFile(options.seed));
  else if (options.seed !== undefined) state.seed(parseSeed(options.seed));
  const faults = new Faults();
  const log: RequestLogEntry[] = [];
  const server = createEmulatorServer({ state, faults, log });
  const host = options.host ?? "127.0.0.1";
  const address = await listen(server, host, options.port ?? 0);
  const hostPart = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostPart}:${address.port}${API_PREFIX}`,
    state,
    faults,
    requests: () => log.map((entry) => ({ ...entry })),
    clearRequests: () => {
      log.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
