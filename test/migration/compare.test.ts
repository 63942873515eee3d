import { describe, expect, it } from "vitest";
import {
  COMPARED_FIELDS,
  compareResponses,
  fastest,
  hstsSummary,
  mediaType,
  normalizeLocation,
  responseMs,
  tooSlow,
} from "../../checks/migration/compare.js";
import type { ParitySample } from "../../checks/migration/parity.js";
import { DEFAULT_MIGRATION_POLICY } from "../../checks/model/migration.js";
import type { ProbeResult, ProbeTarget } from "../../checks/probe/result.js";

const HOST = "www.example.com";

const TARGET: ProbeTarget = {
  zone: "example.com",
  hostname: HOST,
  recordType: "A",
  origin: { kind: "ip", address: "192.0.2.1", family: 4 },
  port: 443,
  scheme: "https",
  sslMode: "strict",
  sni: HOST,
  hostHeader: HOST,
  certificate: "enforce",
};

/** A probe result that answered HTTP 200 (override what a case needs). */
function answered(extra: Partial<ProbeResult> = {}): ProbeResult {
  return {
    target: TARGET,
    status: "ok",
    predicts: null,
    phase: "http",
    code: null,
    message: "answers",
    port: 443,
    timings: { tcp: 1, tls: 2, http: 3 },
    bytesRead: 100,
    httpStatus: 200,
    ...extra,
  };
}

function refused(): ProbeResult {
  return {
    target: TARGET,
    status: "fail",
    predicts: "521",
    phase: "tcp",
    code: "ECONNREFUSED",
    message: "refused",
    port: 443,
    timings: { tcp: 1 },
    bytesRead: 0,
  };
}

describe("normalizeLocation", () => {
  it("resolves a relative target against the requested https URL", () => {
    expect(normalizeLocation("/login", HOST, "/")).toBe("https://www.example.com/login");
    expect(normalizeLocation("next", HOST, "/a/b")).toBe("https://www.example.com/a/next");
    expect(normalizeLocation("?page=2", HOST, "/list")).toBe("https://www.example.com/list?page=2");
  });

  it("makes a relative and the equivalent absolute target equal", () => {
    expect(normalizeLocation("/login", HOST, "/")).toBe(
      normalizeLocation("https://WWW.example.com/login", HOST, "/"),
    );
    expect(normalizeLocation("https://www.example.com", HOST, "/")).toBe("https://www.example.com/");
  });

  it("keeps what differs: scheme, host, path", () => {
    expect(normalizeLocation("http://www.example.com/login", HOST, "/")).not.toBe(
      normalizeLocation("/login", HOST, "/"),
    );
    expect(normalizeLocation("https://other.example.com/login", HOST, "/")).toBe(
      "https://other.example.com/login",
    );
    expect(normalizeLocation("//cdn.example.net/x", HOST, "/")).toBe("https://cdn.example.net/x");
  });

  it("passes undefined through and keeps a target URL cannot parse, trimmed", () => {
    expect(normalizeLocation(undefined, HOST, "/")).toBeUndefined();
    expect(normalizeLocation(" http://[broken ", HOST, "/")).toBe("http://[broken");
  });
});

describe("mediaType", () => {
  it("drops parameters and case", () => {
    expect(mediaType("text/html; charset=utf-8")).toBe("text/html");
    expect(mediaType("Text/HTML;charset=ISO-8859-1")).toBe("text/html");
    expect(mediaType("application/json")).toBe("application/json");
  });

  it("gives undefined for a missing or empty type", () => {
    expect(mediaType(undefined)).toBeUndefined();
    expect(mediaType("")).toBeUndefined();
    expect(mediaType("  ; charset=utf-8")).toBeUndefined();
  });
});

describe("hstsSummary", () => {
  it("keeps max-age and the flags, in one spelling", () => {
    expect(hstsSummary("max-age=31536000; includeSubDomains; preload")).toBe(
      "max-age=31536000; includesubdomains; preload",
    );
    expect(hstsSummary('MAX-AGE = "600"')).toBe("max-age=600");
    expect(hstsSummary("includeSubDomains")).toBe("max-age=?; includesubdomains");
  });

  it("treats max-age=0 (HSTS turned off) like no header", () => {
    expect(hstsSummary("max-age=0")).toBeUndefined();
    expect(hstsSummary("max-age=0; includeSubDomains")).toBeUndefined();
    expect(hstsSummary(undefined)).toBeUndefined();
  });

  it("tells a short max-age from a long one", () => {
    expect(hstsSummary("max-age=300")).not.toBe(hstsSummary("max-age=31536000"));
  });
});

describe("compareResponses", () => {
  it("finds nothing when the answers match (relative vs absolute Location, charset spelling)", () => {
    const old = answered({
      httpStatus: 301,
      location: "/login",
      headers: { contentType: "text/html; charset=UTF-8", strictTransportSecurity: "max-age=600" },
    });
    const next = answered({
      httpStatus: 301,
      location: "https://www.example.com/login",
      headers: { contentType: "text/html", strictTransportSecurity: "max-age=600" },
    });
    expect(compareResponses(old, next, HOST, "/")).toEqual([]);
  });

  it("reports a different status as blocking", () => {
    expect(compareResponses(answered(), answered({ httpStatus: 404 }), HOST, "/health")).toEqual([
      { field: "status", old: "200", new: "404", blocking: true },
    ]);
  });

  it("reports a different or missing Location as blocking", () => {
    const old = answered({ httpStatus: 302, location: "/login" });
    expect(compareResponses(old, answered({ httpStatus: 302, location: "/signin" }), HOST, "/")).toEqual([
      {
        field: "location",
        old: "https://www.example.com/login",
        new: "https://www.example.com/signin",
        blocking: true,
      },
    ]);
    expect(compareResponses(old, answered({ httpStatus: 302 }), HOST, "/")).toEqual([
      { field: "location", old: "https://www.example.com/login", new: undefined, blocking: true },
    ]);
  });

  it("reports a different or missing Content-Type as blocking", () => {
    const old = answered({ headers: { contentType: "text/html; charset=utf-8" } });
    expect(compareResponses(old, answered({ headers: { contentType: "text/plain" } }), HOST, "/")).toEqual([
      { field: "content-type", old: "text/html", new: "text/plain", blocking: true },
    ]);
    expect(compareResponses(old, answered(), HOST, "/")).toEqual([
      { field: "content-type", old: "text/html", new: undefined, blocking: true },
    ]);
  });

  it("reports HSTS differences as not blocking; max-age=0 and no header are alike", () => {
    const on = answered({ headers: { strictTransportSecurity: "max-age=31536000" } });
    expect(compareResponses(on, answered(), HOST, "/")).toEqual([
      { field: "strict-transport-security", old: "max-age=31536000", new: undefined, blocking: false },
    ]);
    const off = answered({ headers: { strictTransportSecurity: "max-age=0" } });
    expect(compareResponses(on, off, HOST, "/")).toEqual([
      { field: "strict-transport-security", old: "max-age=31536000", new: undefined, blocking: false },
    ]);
    expect(compareResponses(off, answered(), HOST, "/")).toEqual([]);
  });

  it("reports several differences at once, in field order", () => {
    const old = answered({ headers: { contentType: "text/html" } });
    const next = answered({ httpStatus: 500, headers: { contentType: "application/json" } });
    expect(compareResponses(old, next, HOST, "/").map((d) => d.field)).toEqual(["status", "content-type"]);
  });

  it("compares a result without a status as (none)", () => {
    expect(compareResponses(answered(), refused(), HOST, "/")).toEqual([
      { field: "status", old: "200", new: undefined, blocking: true },
    ]);
  });

  it("blocks on status, Location and Content-Type only", () => {
    expect(COMPARED_FIELDS).toEqual({
      status: true,
      location: true,
      "content-type": true,
      "strict-transport-security": false,
    });
  });
});

describe("responseMs and fastest", () => {
  it("adds connect, TLS and time to headers; leaves out DNS", () => {
    expect(responseMs(answered({ timings: { dns: 500, tcp: 4, tls: 6, http: 10 } }))).toBe(20);
    expect(responseMs(answered({ timings: { http: 7 } }))).toBe(7);
  });

  it("is undefined without an HTTP answer", () => {
    expect(responseMs(refused())).toBeUndefined();
    expect(responseMs(answered({ timings: { tcp: 1 } }))).toBeUndefined();
  });

  it("picks the fastest answer of one side, skipping samples that did not answer", () => {
    const sample = (oldMs: number | undefined, newMs: number | undefined): ParitySample => ({
      path: "/",
      old: oldMs === undefined ? refused() : answered({ timings: { http: oldMs } }),
      new: newMs === undefined ? refused() : answered({ timings: { http: newMs } }),
    });
    const samples = [sample(30, undefined), sample(10, 300), sample(20, 250)];
    expect(fastest(samples, "old")).toBe(10);
    expect(fastest(samples, "new")).toBe(250);
    expect(fastest([sample(undefined, undefined)], "old")).toBeUndefined();
    expect(fastest([], "new")).toBeUndefined();
  });
});

describe("tooSlow", () => {
  const policy = { ...DEFAULT_MIGRATION_POLICY, latencyFactor: 2, latencySlackMs: 50 };

  it("is slow only over the factor and over the slack", () => {
    expect(tooSlow(10, 300, policy)).toBe(true);
    expect(tooSlow(100, 250, policy)).toBe(true);
  });

  it("is not slow over the factor but within the slack (noise on fast origins)", () => {
    expect(tooSlow(2, 40, policy)).toBe(false);
    expect(tooSlow(10, 60, policy)).toBe(false);
  });

  it("is not slow over the slack but within the factor (slow origins)", () => {
    expect(tooSlow(1000, 1900, policy)).toBe(false);
    expect(tooSlow(1000, 2000, policy)).toBe(false);
    expect(tooSlow(1000, 2001, policy)).toBe(true);
  });

  it("is never slow when the new origin is faster", () => {
    expect(tooSlow(300, 10, policy)).toBe(false);
  });
});

describe("compareResponses on redirects", () => {
  it("ignores a Content-Type sent on one side only when the answers are not 2xx", () => {
    const old = answered({ httpStatus: 301, location: "/new", headers: {} });
    const next = answered({ httpStatus: 301, location: "/new", headers: { contentType: "text/html" } });
    expect(compareResponses(old, next, HOST, "/old")).toEqual([]);
  });

  it("still compares Content-Type when both redirects send one", () => {
    const old = answered({ httpStatus: 301, location: "/new", headers: { contentType: "text/plain" } });
    const next = answered({ httpStatus: 301, location: "/new", headers: { contentType: "text/html" } });
    expect(compareResponses(old, next, HOST, "/old").map((d) => d.field)).toEqual(["content-type"]);
  });
});
