import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DnsRecord } from "@cdktf/provider-cloudflare/lib/dns-record/index.js";
import { App } from "cdktf";
import { describe, expect, it } from "vitest";
import { readDesired } from "../../checks/desired/read.js";
import { known } from "../../checks/model/value.js";
import { EXAMPLE_SITE, ExampleStack } from "../../stacks/example.js";

/** What stacks declare is what checks see: synth in-process, read back, compare with the constructs. */
const outdir = mkdtempSync(join(tmpdir(), "cfpl-example-"));
const app = new App({ outdir });
const stack = new ExampleStack(app, "example");
app.synth();
const desired = await readDesired(outdir);

describe("the example stack, synthesized and read back", () => {
  it("reads one zone, named and found through a data source", () => {
    expect(desired.zones).toHaveLength(1);
    const zone = desired.zones[0]!;
    expect(zone.name).toBe("example.com");
    expect(zone.id).toMatchObject({
      unresolved: expect.stringMatching(/^\$\{data\.cloudflare_zone\..+\.zone_id\}$/),
    });
    expect(zone.sslMode).toBe(EXAMPLE_SITE.sslMode);
  });

  it("reads every DnsRecord construct, field for field, with its construct path", () => {
    const declared = stack.node
      .findAll()
      .filter((c): c is DnsRecord => c instanceof DnsRecord)
      .map((r) => ({
        fqdn: r.nameInput,
        type: r.typeInput,
        content: r.contentInput,
        proxied: r.proxiedInput,
        ttl: r.ttlInput,
        constructPath: r.node.path,
      }))
      .sort((a, b) => a.constructPath.localeCompare(b.constructPath));
    const read = desired.zones[0]!.records.map((r) => ({
      fqdn: r.fqdn,
      type: r.type,
      content: known(r.content),
      proxied: known(r.proxied),
      ttl: known(r.ttl),
      constructPath: r.source?.constructPath,
    })).sort((a, b) => a.constructPath!.localeCompare(b.constructPath!));
    expect(declared.length).toBe(9);
    expect(read).toEqual(declared);
  });

  it("reads the origins with their addresses, ports and allowlists", () => {
    const origins = desired.zones[0]!.origins;
    expect(origins.map((o) => o.name)).toEqual(Object.keys(EXAMPLE_SITE.origins!));
    for (const origin of origins) {
      const props = EXAMPLE_SITE.origins![origin.name]!;
      expect(origin.ipv4).toEqual(props.ipv4 ?? []);
      expect(origin.ipv6).toEqual(props.ipv6 ?? []);
      expect(origin.ports).toEqual(
        props.ports ?? [
          { port: 443, scheme: "https" },
          { port: 80, scheme: "http" },
        ],
      );
      expect(origin.allowlist).toEqual({ kind: "cloudflare" });
    }
  });

  it("reads the routed hostnames and the origin rule for api on 8443", () => {
    const zone = desired.zones[0]!;
    expect(zone.hostnames.map((h) => [h.fqdn, h.origin, h.proxied, h.originPort])).toEqual([
      ["example.com", "web", true, undefined],
      ["www.example.com", "web", true, undefined],
      ["api.example.com", "api", true, 8443],
    ]);
    expect(zone.originRules).toEqual([
      expect.objectContaining({ hostnames: ["api.example.com"], port: 8443, enabled: true }),
    ]);
  });
});
