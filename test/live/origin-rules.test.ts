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
  it("keeps route rules with their port and host, and another action as what it does not model", () => {
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
      { expression: "true", hostnames: undefined, enabled: true, unmodelled: 'has the action "rewrite"' },
      { expression: "true", hostnames: undefined, enabled: false, host: "o.test" },
    ]);
  });

  it("keeps parameters it does not model, and ignores unset ones (null, empty blocks)", () => {
    const [rule] = toOriginRules([
      {
        action: "route",
        expression: 'http.host eq "x.test"',
        enabled: true,
        action_parameters: {
          origin: { port: 8443, scheme: "http" },
          cache: null,
          edge_ttl: {},
          future_option: "on",
        } as never,
      },
    ]);
    expect(rule?.unmodelled).toBe("sets future_option, origin.scheme");
    expect(
      toOriginRules([
        {
          action: "route",
          expression: "true",
          action_parameters: { origin: { port: 8443 }, cache: null, edge_ttl: {} } as never,
        },
      ])[0]?.unmodelled,
    ).toBeUndefined();
  });
});
