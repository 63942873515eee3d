import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import { UsageError } from "../../checks/errors.js";
import { createReadOnlyClient, DEFAULT_API_BASE_URL, liveConfigFromEnv } from "../../checks/live/index.js";
import { TOKEN } from "../emulator/fixtures.js";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ token: TOKEN, seed: { zones: [{ name: "example.com" }] } });
});
afterAll(async () => {
  await emu?.close();
});

describe("the read-only client", () => {
  it("refuses to send anything but GET, before it reaches the network", async () => {
    const client = createReadOnlyClient({ token: TOKEN, baseURL: emu.url });
    const zoneId = emu.state.zoneByName("example.com")!.id;
    // The SDK wraps what its fetch threw as a connection error, with the refusal as the cause.
    const cause = (error: unknown) => String((error as { cause?: Error }).cause?.message);
    const create = await client.sdk.dns.records
      .create({ zone_id: zoneId, name: "x", type: "A", content: "192.0.2.1", ttl: 1 })
      .catch((error: unknown) => error);
    expect(cause(create)).toMatch(/reads only; it refused a POST request/);
    const edit = await client.sdk.zones.settings
      .edit("ssl", { zone_id: zoneId, value: "off" } as never)
      .catch((error: unknown) => error);
    expect(cause(edit)).toMatch(/refused a PATCH request/);
    expect(emu.requests()).toEqual([]);
    expect(client.requestCount()).toBe(0);
    await client.sdk.zones.get({ zone_id: zoneId });
    expect(client.requestCount()).toBe(1);
    expect(emu.requests().map((r) => r.method)).toEqual(["GET"]);
  });
});

describe("liveConfigFromEnv", () => {
  it("reads the token and base URL, defaulting to Cloudflare's API", () => {
    expect(liveConfigFromEnv({ CLOUDFLARE_API_TOKEN: " t0ken " })).toEqual({
      token: "t0ken",
      baseURL: DEFAULT_API_BASE_URL,
    });
    expect(liveConfigFromEnv({ CLOUDFLARE_API_TOKEN: "t", CLOUDFLARE_API_BASE_URL: emu.url }).baseURL).toBe(
      emu.url,
    );
    expect(() => liveConfigFromEnv({})).toThrow(UsageError);
  });
});
