import { describe, expect, it } from "vitest";
import type { MigrationSummary } from "../../checks/model/migration.js";
import {
  checksLabel,
  endpointLabel,
  hostnamesLabel,
  migrationFindings,
  migrationLevel,
  migrationSentence,
  routeLabels,
  verdictWord,
} from "../../checks/report/migrations.js";
import { sampleMigrationReport } from "./sample-report.js";

const summary: MigrationSummary = {
  id: "example.com: old -> new",
  zone: "example.com",
  from: { origin: "old", addresses: ["198.18.211.2"], ports: [443], scheme: "https", sslMode: "strict" },
  to: {
    origin: "new",
    addresses: ["198.18.212.2", "2001:2:0:d4::2"],
    ports: [443],
    scheme: "https",
    sslMode: "strict",
  },
  hostnames: [{ hostname: "www.example.com", reasons: ["address"] }],
  verdict: "blocked",
  checks: { failed: 1, warnings: 0, unknown: 0, passed: 4 },
};

describe("migration labels", () => {
  it("name an endpoint by origin, addresses, ports and scheme", () => {
    expect(
      endpointLabel({ origin: "old", addresses: ["198.18.1.2", "2001:2::2"], ports: [443], scheme: "https" }),
    ).toBe("old (198.18.1.2, 2001:2::2) port 443 https");
    expect(endpointLabel({ addresses: ["lb.example.net"], ports: [80, 443], scheme: "mixed" })).toBe(
      "lb.example.net ports 80, 443 mixed",
    );
    expect(endpointLabel({ origin: "web", addresses: [], ports: [], scheme: "http" })).toBe("web http");
    expect(endpointLabel({ addresses: [], ports: [443], scheme: "https" })).toBe(
      "(no address) port 443 https",
    );
  });

  it("show the SSL mode only when it is part of what moves", () => {
    expect(routeLabels(summary)).toEqual({
      from: "old (198.18.211.2) port 443 https",
      to: "new (198.18.212.2, 2001:2:0:d4::2) port 443 https",
    });
    const ssl = { ...summary, from: { ...summary.to, sslMode: "full" } };
    expect(routeLabels(ssl)).toEqual({
      from: "new (198.18.212.2, 2001:2:0:d4::2) port 443 https, SSL full",
      to: "new (198.18.212.2, 2001:2:0:d4::2) port 443 https, SSL strict",
    });
  });

  it("word hostnames, counts, verdicts and the one-line sentence", () => {
    expect(
      hostnamesLabel({
        ...summary,
        hostnames: [{ hostname: "a.example.com", reasons: ["cname-target", "ssl-mode"] }],
      }),
    ).toBe("a.example.com (CNAME target, SSL mode)");
    expect(checksLabel(summary)).toBe("1 failed, 0 warning(s), 0 unknown, 4 passed");
    expect(["ready", "blocked", "unverified", "not-probed"].map((v) => verdictWord(v as never))).toEqual([
      "READY",
      "BLOCKED",
      "UNVERIFIED",
      "NOT PROBED",
    ]);
    expect(migrationSentence(summary)).toBe(
      "BLOCKED: www.example.com from old (198.18.211.2) port 443 https to new (198.18.212.2, 2001:2:0:d4::2) port 443 https; 1 failed, 0 warning(s), 0 unknown, 4 passed",
    );
  });

  it("map a verdict to a CI level", () => {
    expect(migrationLevel("blocked")).toBe("error");
    expect(migrationLevel("unverified")).toBe("warning");
    expect(migrationLevel("not-probed")).toBe("warning");
    expect(migrationLevel("ready")).toBe("note");
  });
});

describe("migrationFindings", () => {
  it("lists the failing and unverified findings that carry the id, not passes or other findings", () => {
    const report = sampleMigrationReport();
    expect(migrationFindings(report, "example.com: old -> new").map((f) => f.rule)).toEqual([
      "origin-certificate",
    ]);
    expect(migrationFindings(report, "example.net: web (full) -> web (strict)").map((f) => f.rule)).toEqual([
      "migration-port-parity",
    ]);
    expect(migrationFindings(report, "example.org: lb-old.example.net -> lb-new.example.net")).toEqual([]);
  });

  it("leaves acknowledged findings out", () => {
    const report = sampleMigrationReport();
    const acked = {
      ...report,
      findings: report.findings.map((f) => ({ ...f, acknowledged: { reason: "known" } })),
    };
    expect(migrationFindings(acked, "example.com: old -> new")).toEqual([]);
  });
});
