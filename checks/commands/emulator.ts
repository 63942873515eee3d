import { randomBytes } from "node:crypto";
import { type ParseArgsConfig, parseArgs } from "node:util";
import type { Io } from "../cli/io.js";
import { EXIT, type ExitCode, UsageError } from "../errors.js";

/** What `emulator` accepts (its `--help` lists each; a test keeps the two in step). */
export const EMULATOR_OPTIONS = {
  seed: { type: "string" },
  port: { type: "string" },
  token: { type: "string" },
} as const satisfies ParseArgsConfig["options"];

/** Run the local API emulator on loopback until interrupted. */
export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  let values: { seed?: string; port?: string; token?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: EMULATOR_OPTIONS,
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(`emulator: ${(error as Error).message}`);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port: expected a port number from 0 to 65535, got "${values.port}"`);
  const fromEnv = io.env.CLOUDFLARE_API_TOKEN?.trim();
  const token = values.token ?? (fromEnv || `emulator-${randomBytes(12).toString("hex")}`);
  const { startEmulator } = await import("../emulator/index.js");
  const emulator = await startEmulator({
    port,
    token,
    ...(values.seed !== undefined ? { seed: values.seed } : {}),
  });
  const zones = emulator.state.zones().length;
  io.stdout(
    [
      `Cloudflare API emulator listening on ${emulator.url} (loopback only), ${zones} zone(s)`,
      "Point cf-preflight at it:",
      `  export CLOUDFLARE_API_BASE_URL=${emulator.url}`,
      values.token !== undefined || !fromEnv
        ? `  export CLOUDFLARE_API_TOKEN=${token}`
        : "  (it accepts the CLOUDFLARE_API_TOKEN already set in this shell)",
      "Press Ctrl-C to stop.",
      "",
    ].join("\n"),
  );
  // Runs until interrupted: the interruption is how it is meant to stop, so it exits 0.
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    else io.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  await emulator.close();
  io.stdout("emulator stopped\n");
  return EXIT.ok;
}
