import { describe, expect, it } from "vitest";
import type { ProbeResult } from "../../checks/probe/result.js";
import { allowlistAdmits, applyVantage } from "../../checks/probe/vantage.js";
import { targetFor } from "./helpers/targets.js";

const guarded = targetFor("198.18.3.2", 443, "strict", {
  allowlist: { kind: "cloudflare" },
  originName: "web-1",
});
const cidrGuarded = targetFor("198.18.3.2", 443, "strict", {
  allowlist: { kind: "cidrs", cidrs: ["10.9.0.0/16"] },
});
const open = targetFor("198.18.3.2", 443, "strict", { allowlist: { kind: "none" } });

function fail(predicts: "521" | "522" | "523" | "524", code: string): ProbeResult {
  return {
    target: guarded,
    status: "fail",
    predicts,
    phase: predicts === "524" ? "http" : "tcp",
    code,
    message: "probe",
    address: "198.18.3.2",
    port: 443,
    timings: {},
    bytesRead: 0,
  };
}

const ok: ProbeResult = {
  ...fail("524", "x"),
  status: "ok",
  predicts: null,
  phase: "http",
  code: null,
  httpStatus: 200,
};

describe("allowlistAdmits", () => {
  it("reads each kind of allowlist", () => {
    expect(allowlistAdmits({ kind: "none" }, undefined)).toBe(true);
    expect(allowlistAdmits({ kind: "cloudflare" }, "198.18.3.1")).toBe(false);
    expect(allowlistAdmits({ kind: "cidrs", cidrs: ["10.9.0.0/16"] }, "10.9.1.1")).toBe(true);
    expect(allowlistAdmits({ kind: "cidrs", cidrs: ["10.9.0.0/16"] }, "::ffff:10.9.1.1")).toBe(true);
    expect(allowlistAdmits({ kind: "cidrs", cidrs: ["10.9.0.0/16"] }, "10.8.1.1")).toBe(false);
    expect(allowlistAdmits({ kind: "cidrs", cidrs: ["10.9.0.0/16"] }, undefined)).toBeUndefined();
  });
});

describe("applyVantage", () => {
  it("turns a timeout behind an allowlist that does not admit us into 'unknown: blocked by design'", () => {
    const r = applyVantage(fail("522", "ETIMEDOUT"), guarded, "unknown");
    expect(r).toMatchObject({
      status: "unknown",
      predicts: null,
      withoutVantage: { status: "fail", predicts: "522" },
    });
    expect(r.message).toMatch(/^unknown: blocked by design/);
    expect(applyVantage(fail("522", "ETIMEDOUT"), guarded, "outside").status).toBe("unknown");
    expect(applyVantage(fail("521", "ECONNREFUSED"), cidrGuarded, "unknown", "10.8.0.1").status).toBe(
      "unknown",
    );
  });

  it("keeps the failure when the vantage is allowed, the allowlist admits us, or there is none", () => {
    expect(applyVantage(fail("522", "ETIMEDOUT"), guarded, "allowed")).toMatchObject({
      status: "fail",
      predicts: "522",
    });
    expect(applyVantage(fail("522", "ETIMEDOUT"), cidrGuarded, "unknown", "10.9.0.5")).toMatchObject({
      predicts: "522",
    });
    expect(applyVantage(fail("522", "ETIMEDOUT"), open, "unknown")).toMatchObject({ predicts: "522" });
  });

  it("leaves failures after the connection alone (524 is the origin's, not the firewall's)", () => {
    expect(applyVantage(fail("524", "ETIMEDOUT"), guarded, "outside")).toMatchObject({
      status: "fail",
      predicts: "524",
      exposed: true,
    });
  });

  it("warns that an origin answering a vantage declared outside its allowlist is exposed", () => {
    const r = applyVantage(ok, guarded, "outside");
    expect(r).toMatchObject({ status: "warn", exposed: true });
    expect(r.message).toMatch(/anyone can reach it without Cloudflare/);
    expect(applyVantage(ok, guarded, "unknown")).toEqual(ok);
    expect(applyVantage(ok, guarded, "allowed")).toEqual(ok);
    expect(applyVantage(ok, open, "outside")).toEqual(ok);
  });
});
