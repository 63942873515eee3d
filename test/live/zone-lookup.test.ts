import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import { ZONES_PAGE_SIZE } from "../../checks/live/index.js";
import { TOKEN } from "../emulator/fixtures.js";
import { liveReader } from "./live-helpers.js";

/**
 * Finding many zones with one listing of the token's zones instead of one lookup each, and falling
 * back to lookups where the listing would cost more (or did not find a zone).
 */

let emu: Emulator;
const live = liveReader(() => emu);
const zoneLookups = () => emu.requests().filter((r) => r.path === "/zones");

beforeAll(async () => {
  emu = await startEmulator({ token: TOKEN, seed: { zones: [] } });
  // 120 zones: "z000.test" … "z119.test"; the API lists them by name, 50 to a page.
  for (let i = 0; i < 120; i++) emu.state.addZone({ name: `z${String(i).padStart(3, "0")}.test` });
});

afterEach(() => {
  emu.clearRequests();
});

afterAll(async () => {
  live.expectNoToken();
  await emu?.close();
});

describe("one listing for many zones", () => {
  it("finds zones of the first page with one request, in the order asked", async () => {
    const names = ["z007.test", "Z003.TEST.", "z049.test"];
    const state = await live.read({ zones: names.map((name) => ({ name })) });
    expect(state.zones.map((z) => z.name)).toEqual(["z007.test", "z003.test", "z049.test"]);
    expect(zoneLookups().map((r) => r.query)).toEqual([{ per_page: String(ZONES_PAGE_SIZE), page: "1" }]);
  });

  it("reads further pages while they cost no more than the lookups they replace", async () => {
    const state = await live.read({ zones: [{ name: "z101.test" }, { name: "z110.test" }] });
    expect(state.zones.map((z) => z.name)).toEqual(["z101.test", "z110.test"]);
    // Two zones still to find on page 1, two pages left: the listing goes on to page 3.
    expect(zoneLookups().map((r) => r.query.page)).toEqual(["1", "2", "3"]);
    expect(zoneLookups().every((r) => r.query.name === undefined)).toBe(true);
  });

  it("looks a zone up by name when the pages left outnumber the zones left to find", async () => {
    const state = await live.read({ zones: [{ name: "z001.test" }, { name: "z119.test" }] });
    expect(state.zones.map((z) => z.name)).toEqual(["z001.test", "z119.test"]);
    expect(zoneLookups().map((r) => r.query.name ?? `page ${r.query.page}`)).toEqual(["page 1", "z119.test"]);
  });

  it("matches a zone asked for by id", async () => {
    const zone = emu.state.zoneByName("z010.test")!;
    const state = await live.read({ zones: [{ id: zone.id, name: "z010.test" }, { name: "z011.test" }] });
    expect(state.zones.map((z) => z.id)).toEqual([zone.id, emu.state.zoneByName("z011.test")!.id]);
    expect(zoneLookups()).toHaveLength(1);
    expect(emu.requests().some((r) => r.path === `/zones/${zone.id}`)).toBe(false);
  });

  it("looks one zone up by name, without listing", async () => {
    await live.read({ zones: [{ name: "z005.test" }] });
    expect(zoneLookups().map((r) => r.query.name)).toEqual(["z005.test"]);
  });
});

describe("zones that are not there fail closed, as a single lookup would", () => {
  it("a zone the token cannot see", async () => {
    const error = await live.failure({ zones: [{ name: "z001.test" }, { name: "absent.test" }] });
    expect(error.message).toMatch(/zone absent\.test does not exist, or the API token cannot see it/);
  });

  it("an id that is another zone than the code says", async () => {
    const zone = emu.state.zoneByName("z020.test")!;
    const error = await live.failure({ zones: [{ id: zone.id, name: "z021.test" }, { name: "z022.test" }] });
    expect(error.message).toMatch(
      new RegExp(`zone id ${zone.id} is z020\\.test, not z021\\.test as the code says`),
    );
  });
});
