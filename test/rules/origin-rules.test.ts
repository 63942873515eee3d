import { describe, expect, it } from "vitest";
import { applyAcknowledgements } from "../../checks/rules/acknowledgements.js";
import { edgePortNotProxied } from "../../checks/rules/edge-port-not-proxied.js";
import { originPortScheme } from "../../checks/rules/origin-port-scheme.js";
import { runRules } from "../../checks/rules/registry.js";
import type { Rule } from "../../checks/rules/rule.js";
import { contextFor, site, ZONE_REF } from "../helpers/rule-context.js";
import { zoneWithRecords } from "../helpers/tf-json.js";

function doc(ssl: string | undefined, zone: Record<string, unknown>) {
  const settings = ssl
    ? { cloudflare_zone_setting: { ssl: { zone_id: ZONE_REF, setting_id: "ssl", value: ssl } } }
    : {};
  return {
    ...zoneWithRecords(
      { www: { name: "www.example.com", type: "A", content: "192.0.2.1", proxied: true } },
      settings,
    ),
    ...site(zone),
  };
}

const web = (ports: { port: number; scheme: string }[]) => ({ name: "web", ipv4: ["192.0.2.1"], ports });
const route = (extra: Record<string, unknown> = {}) => ({
  fqdn: "www.example.com",
  origin: "web",
  proxied: true,
  ...extra,
});

describe("origin-port-scheme", () => {
  it("fails when Flexible meets an origin with no HTTP port (521)", async () => {
    const f = originPortScheme.evaluate(
      await contextFor(
        doc("flexible", { origins: [web([{ port: 443, scheme: "https" }])], hostnames: [route()] }),
      ),
    );
    expect(f).toMatchObject([
      { status: "fail", predicts: "521", subject: { hostname: "www.example.com", port: 80 } },
    ]);
  });
  it("fails when Full (strict) meets an origin with no HTTPS port (521)", async () => {
    const f = originPortScheme.evaluate(
      await contextFor(
        doc("strict", { origins: [web([{ port: 80, scheme: "http" }])], hostnames: [route()] }),
      ),
    );
    expect(f).toMatchObject([{ predicts: "521", subject: { port: 443 } }]);
  });
  it("fails with 525 when Full speaks TLS to a port the origin serves as plain HTTP", async () => {
    const f = originPortScheme.evaluate(
      await contextFor(
        doc("full", {
          origins: [web([{ port: 8080, scheme: "http" }])],
          hostnames: [route({ originPort: 8080 })],
        }),
      ),
    );
    expect(f).toMatchObject([{ predicts: "525", subject: { port: 8080 } }]);
  });
  it("follows an origin rule from the ruleset when the route does not name a port", async () => {
    const document = doc("strict", {
      origins: [web([{ port: 8443, scheme: "https" }])],
      hostnames: [route()],
    });
    (document.resource as Record<string, unknown>).cloudflare_ruleset = {
      r: {
        zone_id: ZONE_REF,
        kind: "zone",
        phase: "http_request_origin",
        rules: [
          {
            expression: '(http.host eq "www.example.com")',
            action: "route",
            action_parameters: { origin: { port: 8443 } },
          },
        ],
      },
    };
    expect(originPortScheme.evaluate(await contextFor(document))).toEqual([]);
  });
  it("answers unknown when the SSL mode is neither in code nor read live", async () => {
    const f = originPortScheme.evaluate(
      await contextFor(
        doc(undefined, { origins: [web([{ port: 443, scheme: "https" }])], hostnames: [route()] }),
      ),
    );
    expect(f).toMatchObject([{ status: "unknown", blocking: false }]);
  });
  it("passes when the origin serves the mode's port and scheme", async () => {
    expect(
      originPortScheme.evaluate(
        await contextFor(
          doc("strict", { origins: [web([{ port: 443, scheme: "https" }])], hostnames: [route()] }),
        ),
      ),
    ).toEqual([]);
  });
});

describe("edge-port-not-proxied", () => {
  it("fails when a proxied hostname serves edge port 3000", async () => {
    const f = edgePortNotProxied.evaluate(
      await contextFor(
        doc("strict", {
          origins: [web([{ port: 443, scheme: "https" }])],
          hostnames: [route({ edgePorts: [443, 3000] })],
        }),
      ),
    );
    expect(f).toMatchObject([{ status: "fail", subject: { port: 3000 } }]);
  });
  it("passes for proxied ports and for DNS-only hostnames on any port", async () => {
    const f = edgePortNotProxied.evaluate(
      await contextFor(
        doc("strict", {
          origins: [web([{ port: 443, scheme: "https" }])],
          hostnames: [
            route({ edgePorts: [443, 8443, 2053] }),
            { ...route({ edgePorts: [3000] }), fqdn: "direct.example.com", proxied: false },
          ],
        }),
      ),
    );
    expect(f).toEqual([]);
  });
});

describe("acknowledgements", () => {
  const failing = async (acks: unknown[]) => {
    const context = await contextFor(
      doc("flexible", {
        origins: [web([{ port: 443, scheme: "https" }])],
        hostnames: [route()],
        acknowledgements: acks,
      }),
    );
    return applyAcknowledgements(originPortScheme.evaluate(context), context.desired, context.now);
  };
  it("accepts a finding with a reason: it no longer blocks", async () => {
    const [f, ...rest] = await failing([
      {
        rule: "origin-port-scheme",
        hostname: "www.example.com",
        reason: "origin gets port 80 in next week's change",
      },
    ]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      blocking: false,
      acknowledged: { reason: "origin gets port 80 in next week's change" },
    });
  });
  it("fails when the reason is shorter than 10 characters, and does not apply it", async () => {
    const findings = await failing([{ rule: "origin-port-scheme", reason: "ok" }]);
    expect(findings.map((f) => [f.rule, f.blocking])).toEqual([
      ["origin-port-scheme", true],
      ["acknowledgement-invalid", true],
    ]);
  });
  it("warns when it expired, and the finding counts again", async () => {
    const findings = await failing([
      { rule: "origin-port-scheme", reason: "temporary during the move", expires: "2026-01-01" },
    ]);
    expect(findings.map((f) => [f.rule, f.status, f.blocking])).toEqual([
      ["origin-port-scheme", "fail", true],
      ["acknowledgement-expired", "warn", false],
    ]);
  });
  it("warns when it matches nothing", async () => {
    const findings = await failing([
      { rule: "origin-port-scheme", reason: "known and accepted for now" },
      { rule: "duplicate-record", reason: "this one matches nothing at all" },
    ]);
    expect(findings.map((f) => f.rule)).toEqual(["origin-port-scheme", "acknowledgement-unused"]);
  });
});

describe("the rule engine", () => {
  it("turns a rule that throws into an unknown finding instead of a crash", async () => {
    const broken: Rule = {
      ...edgePortNotProxied,
      id: "broken",
      evaluate: () => {
        throw new Error("boom");
      },
    };
    expect(runRules([broken], await contextFor(doc("strict", {})))).toMatchObject([
      { rule: "rule-error", status: "unknown", message: "rule broken failed: boom" },
    ]);
  });
});
