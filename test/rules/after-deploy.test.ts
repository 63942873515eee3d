import { describe, expect, it } from "vitest";
import type { Drift, RecordChange, SettingChange } from "../../checks/model/change.js";
import { NO_DRIFT } from "../../checks/model/change.js";
import type { LiveState } from "../../checks/model/zone.js";
import { SNAPSHOT_RANGES } from "../../checks/preflight.js";
import { afterDeploy } from "../../checks/rules/after-deploy.js";
import type { RuleContext } from "../../checks/rules/rule.js";
import { liveZone, record, tfRef } from "../diff/helpers.js";

const LIVE: LiveState = {
  zones: [liveZone("example.com"), liveZone("example.org")],
  ranges: SNAPSHOT_RANGES,
  ipLists: [],
  requestCount: 0,
};

function context(drift: Drift | undefined, after = true): RuleContext {
  return {
    desired: { files: [], zones: [], ipLists: [] },
    ranges: SNAPSHOT_RANGES,
    vantage: "unknown",
    now: new Date("2026-11-21T00:00:00Z"),
    live: LIVE,
    after,
    ...(drift ? { drift } : {}),
  };
}

const created: RecordChange = {
  action: "create",
  zone: "example.com",
  fqdn: "new.example.com",
  type: "A",
  desired: record("new.example.com", "A", "198.51.100.1"),
  fields: [],
};

const updated: RecordChange = {
  action: "update",
  zone: "example.com",
  fqdn: "www.example.com",
  type: "A",
  desired: record("www.example.com", "A", "198.51.100.1", { proxied: true }),
  live: record("www.example.com", "A", "192.0.2.1", { proxied: true }),
  fields: [{ field: "content", from: "192.0.2.1", to: "198.51.100.1" }],
};

const deleted: RecordChange = {
  action: "delete",
  zone: "example.org",
  fqdn: "stray.example.org",
  type: "TXT",
  live: record("stray.example.org", "TXT", "left by hand"),
  fields: [],
};

const ssl: SettingChange = { zone: "example.com", setting: "ssl", desired: "strict", live: "flexible" };

describe("after-deploy", () => {
  it("says nothing without --after, whatever the drift", () => {
    expect(afterDeploy.evaluate(context({ ...NO_DRIFT, dns: [created, updated, deleted] }, false))).toEqual(
      [],
    );
    expect(afterDeploy.evaluate({ ...context(NO_DRIFT), after: undefined })).toEqual([]);
  });

  it("says nothing without a drift (no live state)", () => {
    expect(afterDeploy.evaluate(context(undefined))).toEqual([]);
  });

  it("fails, blocking, for a record in the code but not live", () => {
    const findings = afterDeploy.evaluate(context({ ...NO_DRIFT, dns: [created] }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: "after-deploy",
      status: "fail",
      blocking: true,
      subject: { zone: "example.com", hostname: "new.example.com", type: "A" },
      evidence: { action: "create" },
    });
    expect(findings[0]?.message).toBe("after the deploy, A new.example.com is in the code but not live");
  });

  it("fails, blocking, for a record that differs live, naming the fields", () => {
    const findings = afterDeploy.evaluate(context({ ...NO_DRIFT, dns: [updated] }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: "fail", blocking: true, evidence: { action: "update" } });
    expect(findings[0]?.message).toBe(
      'after the deploy, A www.example.com differs live: content "192.0.2.1" live, "198.51.100.1" in code',
    );
  });

  it("names an unresolved value by its expression", () => {
    const ref = tfRef("aws_instance.web.public_ip");
    const findings = afterDeploy.evaluate(
      context({
        ...NO_DRIFT,
        dns: [{ ...updated, fields: [{ field: "content", from: "192.0.2.1", to: ref }] }],
      }),
    );
    expect(findings[0]?.message).toContain("unresolved ${aws_instance.web.public_ip} in code");
  });

  it("fails, blocking, for a setting that differs live", () => {
    const findings = afterDeploy.evaluate(context({ ...NO_DRIFT, settings: [ssl] }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: "fail", blocking: true, subject: { zone: "example.com" } });
    expect(findings[0]?.message).toBe(
      'after the deploy, the ssl setting is "flexible" live, "strict" in code',
    );
  });

  it("only warns for a live record the code does not declare", () => {
    const findings = afterDeploy.evaluate(context({ ...NO_DRIFT, dns: [deleted] }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      status: "warn",
      blocking: false,
      subject: { zone: "example.org", hostname: "stray.example.org", type: "TXT" },
    });
    expect(findings[0]?.message).toContain('"left by hand"');
  });

  it("reports every change, and no pass, when there are several", () => {
    const findings = afterDeploy.evaluate(
      context({ ...NO_DRIFT, dns: [deleted, created, updated], settings: [ssl] }),
    );
    expect(findings.map((f) => f.status)).toEqual(["warn", "fail", "fail", "fail"]);
  });

  it("passes once per live zone when the live zones match the code", () => {
    const findings = afterDeploy.evaluate(context(NO_DRIFT));
    expect(findings.map((f) => [f.status, f.subject.zone])).toEqual([
      ["pass", "example.com"],
      ["pass", "example.org"],
    ]);
  });

  it("ignores firewall drift: it is the firewall rules' to report", () => {
    const findings = afterDeploy.evaluate(
      context({
        ...NO_DRIFT,
        firewall: [
          {
            origin: "web",
            kind: "missing-cloudflare-ranges",
            cidrs: ["173.245.48.0/20"],
            message: "misses a range",
            predicts: "522",
          },
        ],
      }),
    );
    expect(findings.map((f) => f.status)).toEqual(["pass", "pass"]);
  });

  it("is unknown, not failed, when the only differences are Terraform expressions in the code", () => {
    const viaExpression: RecordChange = {
      ...updated,
      desired: record("www.example.com", "A", tfRef("aws_eip.web.public_ip"), { proxied: true }),
      fields: [{ field: "content", from: "192.0.2.1", to: tfRef("aws_eip.web.public_ip") }],
      unresolved: ["content"],
    };
    const findings = afterDeploy.evaluate(context({ ...NO_DRIFT, dns: [viaExpression] }));
    expect(findings.map((f) => [f.status, f.blocking])).toEqual([["unknown", false]]);
  });
});
