import { describe, expect, it } from "vitest";
import { accountZonesAfter, desiredEdgeZones } from "../../checks/edge/zones.js";
import { SNAPSHOT_RANGES } from "../../checks/preflight.js";
import { planRoutes } from "../../checks/probe/plan.js";
import { originNameResolution, tunnelCnameProxied } from "../../checks/rules/route-rules.js";
import type { RuleContext } from "../../checks/rules/rule.js";
import { contextFor } from "../helpers/rule-context.js";
import { zoneWithRecords } from "../helpers/tf-json.js";

async function withRoutes(records: Record<string, Record<string, unknown>>): Promise<RuleContext> {
  const context = await contextFor(zoneWithRecords(records));
  const zones = desiredEdgeZones(context.desired, undefined).map((z) => ({ ...z, sslMode: "full" as const }));
  const { routes } = planRoutes({
    zones,
    accountZones: accountZonesAfter(zones, undefined),
    ranges: SNAPSHOT_RANGES,
  });
  return { ...context, routes };
}

describe("origin-name-resolution", () => {
  it("fails when a proxied CNAME inside the zone ends at a name with no record (1016)", async () => {
    const findings = originNameResolution.evaluate(
      await withRoutes({
        app: { name: "app.example.com", type: "CNAME", content: "gone.example.com", proxied: true },
      }),
    );
    expect(findings).toMatchObject([
      {
        status: "fail",
        blocking: true,
        predicts: "1016",
        subject: { hostname: "app.example.com", terraformAddress: "cloudflare_dns_record.app" },
        message: expect.stringContaining("ends at gone.example.com"),
      },
    ]);
  });
  it("fails when the chain loops", async () => {
    const findings = originNameResolution.evaluate(
      await withRoutes({
        a: { name: "a.example.com", type: "CNAME", content: "b.example.com", proxied: true },
        b: { name: "b.example.com", type: "CNAME", content: "a.example.com" },
      }),
    );
    expect(findings.map((f) => f.message)).toContainEqual(expect.stringContaining("loops"));
  });
  it("passes when the chain ends at an address created in the same change, or leaves the account", async () => {
    expect(
      originNameResolution.evaluate(
        await withRoutes({
          app: { name: "app.example.com", type: "CNAME", content: "new.example.com", proxied: true },
          fresh: { name: "new.example.com", type: "A", content: "192.0.2.40" },
          ext: { name: "ext.example.com", type: "CNAME", content: "origin.example.net", proxied: true },
        }),
      ),
    ).toEqual([]);
  });
});

describe("tunnel-cname-proxied", () => {
  it("fails when a CNAME to a tunnel is DNS-only", async () => {
    const findings = tunnelCnameProxied.evaluate(
      await withRoutes({
        t: {
          name: "t.example.com",
          type: "CNAME",
          content: "6ff42ae2-765d-4adf-8112-31c55c1551ef.cfargotunnel.com",
          proxied: false,
        },
      }),
    );
    expect(findings).toMatchObject([
      { status: "fail", blocking: true, subject: { hostname: "t.example.com" } },
    ]);
  });
  it("passes when it is proxied", async () => {
    expect(
      tunnelCnameProxied.evaluate(
        await withRoutes({
          t: {
            name: "t.example.com",
            type: "CNAME",
            content: "6ff42ae2-765d-4adf-8112-31c55c1551ef.cfargotunnel.com",
            proxied: true,
          },
        }),
      ),
    ).toEqual([]);
  });
});
