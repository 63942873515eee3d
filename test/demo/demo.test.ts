import { describe, expect, it } from "vitest";
import { explainFindings, runDemo } from "../../checks/demo/run-demo.js";

describe("the demo", () => {
  it("shows each of its problems with the error it predicts, the drift, and only GET requests", async () => {
    const result = await runDemo(() => {});
    const failing = result.report.findings
      .filter((f) => f.blocking)
      .map((f) => [f.rule, f.predicts, f.subject.hostname ?? f.subject.zone]);
    expect(failing).toEqual(
      expect.arrayContaining([
        ["origin-certificate", "526", "api.example.com"],
        ["origin-tcp", "521", "legacy.example.com"],
        ["origin-http", "524", "reports.example.com"],
        ["allowlist-missing-ranges", "522", "example.com"],
        ["migration-http-parity", null, "www.example.com"],
      ]),
    );
    expect(failing).toHaveLength(5);
    // www moves from the old host (still live) to the web origin, which lacks /health.
    expect(result.report.migrations).toEqual([
      expect.objectContaining({
        zone: "example.com",
        to: expect.objectContaining({ origin: "web" }),
        hostnames: [{ hostname: "www.example.com", reasons: ["address"] }],
        verdict: "blocked",
      }),
    ]);
    const parity = result.report.findings.find((f) => f.rule === "migration-http-parity" && f.blocking);
    expect(parity?.evidence).toMatchObject({
      path: "/health",
      old: { httpStatus: 200 },
      new: { httpStatus: 404 },
    });
    const healthy = result.report.findings.filter((f) => f.status === "pass").map((f) => f.subject.hostname);
    expect(healthy).toEqual(
      expect.arrayContaining(["example.com", "www.example.com", "partner.example.com"]),
    );
    // The zone is Full: api's expired certificate is a 526 only through its Configuration Rule.
    expect(result.report.inputs?.zones[0]).toMatchObject({ sslMode: "full", configRules: 1 });
    const expired = result.report.findings.find((f) => f.rule === "origin-certificate" && f.blocking);
    expect(expired?.message).toContain("SSL mode strict from configuration rule 'api strict'");
    // app routes through a tunnel the API reports healthy: passed from the route, never probed or resolved.
    const app = result.report.findings.filter((f) => f.subject.hostname === "app.example.com");
    expect(app.map((f) => [f.rule, f.status])).toEqual([["tunnel-route", "pass"]]);
    expect(app[0]?.message).toContain("routes to tunnel demo-app");
    expect(result.report.drift.dns.map((c) => [c.action, c.fqdn])).toEqual([
      ["delete", "staging.example.com"],
      ["update", "www.example.com"],
    ]);
    expect(result.checkExit).toBe(1);
    expect(result.driftExit).toBe(4);
    expect(result.methods).toEqual(["GET"]);
    expect(explainFindings(result.report)).toContain("origin-certificate (526)");
    expect(explainFindings(result.report)).toContain(
      "tunnel-route: app.example.com routes to tunnel demo-app",
    );
  });
});
