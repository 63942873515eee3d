import { describe, expect, it } from "vitest";
import { nameZonesFromLive } from "../../checks/desired/live-names.js";
import { readDesiredSources } from "../../checks/desired/read.js";
import type { LiveState } from "../../checks/model/zone.js";
import { tfFolder } from "./tf-folder.js";

const ZONE_ID = "0123456789abcdef0123456789abcdef";

describe("names of a zone the code knows only by id, once the API names the zone", () => {
  it("qualifies relative names with dots as the API does, and keeps full names", async () => {
    const dir = tfFolder({
      "main.tf": ["www", "_dmarc.mail", "example.org", "api.example.org"]
        .map(
          (name, i) =>
            `resource "cloudflare_record" "r${i}" {\n  zone_id = "${ZONE_ID}"\n  name = "${name}"\n  type = "TXT"\n  value = "x"\n}\n`,
        )
        .join(""),
    });
    const desired = await readDesiredSources({ synth: dir });
    const live = {
      zones: [
        {
          id: ZONE_ID,
          name: "example.org",
          status: "active",
          sslMode: "full",
          records: [],
          originRules: [],
        },
      ],
      ipLists: [],
      requestCount: 1,
    } as unknown as LiveState;
    const named = nameZonesFromLive(desired, live);
    expect(named.zones[0]!.records.map((r) => r.fqdn)).toEqual([
      "www.example.org",
      "_dmarc.mail.example.org",
      "example.org",
      "api.example.org",
    ]);
    expect(named.inputs!.unresolved.filter((u) => u.attribute === "name")).toEqual([]);
  });
});
