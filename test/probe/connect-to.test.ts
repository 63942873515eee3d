import { describe, expect, it } from "vitest";
import { findConnectTo, parseConnectTo, parseConnectToList } from "../../checks/probe/connect-to.js";

describe("parseConnectTo", () => {
  it("parses curl's HOST:PORT:ADDR:PORT", () => {
    expect(parseConnectTo("www.example.com:443:127.0.0.1:8443")).toEqual({
      ok: true,
      value: {
        host: "www.example.com",
        port: 443,
        address: "127.0.0.1",
        toPort: 8443,
        spec: "www.example.com:443:127.0.0.1:8443",
      },
    });
  });

  it("takes an IPv6 address in brackets and empty fields", () => {
    expect(parseConnectTo("::[::1]:")).toMatchObject({
      ok: true,
      value: { host: undefined, port: undefined, address: "::1", toPort: undefined },
    });
    expect(parseConnectTo("WWW.Example.com.:80:[2001:2::0:1]:8080")).toMatchObject({
      ok: true,
      value: { host: "www.example.com", address: "2001:2::1" },
    });
  });

  it.each([
    ["www.example.com:443:127.0.0.1", /expected HOST:PORT:ADDR:PORT/],
    ["www.example.com:443:::1:8443", /expected HOST:PORT:ADDR:PORT/],
    ["www.example.com:https:127.0.0.1:8443", /PORT must be a port/],
    ["www.example.com:443:127.0.0.1:70000", /second PORT must be a port/],
    ["www.example.com:443:backend.internal:8443", /ADDR must be an IP address/],
    ["www.example.com:443:[::1:8443", /expected HOST:PORT:ADDR:PORT/],
    ["www.example.com:443::", /maps nothing/],
    ["www example:443:127.0.0.1:1", /HOST must be a hostname/],
    ["www.example.com:443:127.1:8443", /dotted IPv4/],
  ])("returns an error for %s", (spec, message) => {
    const parsed = parseConnectTo(spec);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });

  it("collects every error of a list", () => {
    const parsed = parseConnectToList(["a:1:127.0.0.1:2", "bad", "x:y:z:w"]);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.split("\n")).toHaveLength(2);
  });
});

describe("findConnectTo", () => {
  it("returns the first mapping covering host and port", () => {
    const list = parseConnectToList([
      "a.example.com:443:127.0.0.1:1",
      ":443:127.0.0.2:2",
      "b.example.com:443:127.0.0.3:3",
    ]);
    if (!list.ok) throw new Error(list.error);
    expect(findConnectTo(list.value, "a.example.com", 443)?.address).toBe("127.0.0.1");
    expect(findConnectTo(list.value, "b.example.com", 443)?.address).toBe("127.0.0.2");
    expect(findConnectTo(list.value, "b.example.com", 80)).toBeUndefined();
  });
});
