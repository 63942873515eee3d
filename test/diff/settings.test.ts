import { describe, expect, it } from "vitest";
import { diffSettings } from "../../checks/diff/settings.js";
import { desiredZone, liveZone, tfRef } from "./helpers.js";

describe("diffSettings (SSL mode)", () => {
  it("fails when the code sets a mode that differs from live", () => {
    expect(
      diffSettings(
        "example.com",
        desiredZone("example.com", { sslMode: "strict" }),
        liveZone("example.com", { sslMode: "flexible" }),
      ),
    ).toEqual([{ zone: "example.com", setting: "ssl", desired: "strict", live: "flexible" }]);
  });
  it("passes when the modes are equal", () => {
    expect(
      diffSettings(
        "example.com",
        desiredZone("example.com", { sslMode: "full" }),
        liveZone("example.com", { sslMode: "full" }),
      ),
    ).toEqual([]);
  });
  it("passes when the code does not set a mode", () => {
    expect(
      diffSettings("example.com", desiredZone("example.com"), liveZone("example.com", { sslMode: "off" })),
    ).toEqual([]);
  });
  it("reports an unresolved mode with the Unresolved value, not a guess", () => {
    const mode = tfRef("var.ssl");
    expect(
      diffSettings("example.com", desiredZone("example.com", { sslMode: mode }), liveZone("example.com"))[0]
        ?.desired,
    ).toEqual(mode);
  });
});
