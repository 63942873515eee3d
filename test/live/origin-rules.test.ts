import { describe, expect, it } from "vitest";
import { toOriginRules } from "../../checks/live/origin-rules.js";
import { hostnamesOfExpression as hostnamesOf } from "../../checks/model/origin-rule.js";

describe("hostnamesOf", () => {
  it("reads the simple host forms", () => {
    expect(hostnamesOf('http.host eq "API.example.com"')).toEqual(["api.example.com"]);
    expect(hostnamesOf('http.host == "a.example.com"')).toEqual(["a.example.com"]);
    expect(hostnamesOf('http.host in {"a.example.com" "b.example.com"}')).toEqual([
      "a.example.com",
      "b.example.com",
    ]);
    expect(hostnamesOf('(http.host eq "a.test")')).toEqual(["a.test"]);
    expect(hostnamesOf('(http.host eq "a.test") or (http.host in {"b.test" "a.test"})')).toEqual([
      "a.test",
      "b.test",
    ]);
  });

  it("answers undefined for anything it cannot be sure of", () => {
    for (const expression of [
      'http.host eq "a.test" and http.request.uri.path eq "/x"',
      'not http.host eq "a.test"',
      'http.host ne "a.test"',
      'http.host contains "a.test"',
      'starts_with(http.host, "a")',
      'http.request.uri.path eq "/"',
      "true",
      'http.host eq "a.test" or ssl',
      '(http.host eq "a.test"',
    ]) {
      expect(hostnamesOf(expression), expression).toBeUndefined();
    }
  });
});

describe("toOriginRules", () => {
  it("keeps route rules with their port and host, and skips other actions", () => {
    expect(
      toOriginRules([
        {
          action: "route",
          expression: 'http.host eq "x.test"',
          enabled: true,
          action_parameters: { origin: { port: 8443 } },
        },
        { action: "rewrite", expression: "true", enabled: true },
        {
          action: "route",
          expression: "true",
          enabled: false,
          action_parameters: { origin: { host: "o.test" } },
        },
      ]),
    ).toEqual([
      { expression: 'http.host eq "x.test"', hostnames: ["x.test"], enabled: true, port: 8443 },
      { expression: "true", hostnames: undefined, enabled: false, host: "o.test" },
    ]);
  });
});

describe("toOriginRules: what the edge sends to the origin", () => {
  it("keeps the Host header, the SNI and the description", () => {
    expect(
      toOriginRules([
        {
          action: "route",
          expression: 'http.host eq "api.test"',
          description: "api to backend",
          action_parameters: {
            origin: { host: "backend.test" },
            host_header: "backend.test",
            sni: { value: "sni.backend.test" },
          },
        },
        {
          action: "route",
          expression: 'http.host eq "h.test"',
          action_parameters: { host_header: "h2.test" },
        },
      ]),
    ).toEqual([
      {
        expression: 'http.host eq "api.test"',
        hostnames: ["api.test"],
        enabled: true,
        host: "backend.test",
        hostHeader: "backend.test",
        sni: "sni.backend.test",
        description: "api to backend",
      },
      { expression: 'http.host eq "h.test"', hostnames: ["h.test"], enabled: true, hostHeader: "h2.test" },
    ]);
  });
});
