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

  it("takes a hostname in Unicode as the Punycode name its record has", () => {
    expect(parseConnectTo("Bücher.example.com:443:127.0.0.1:8443")).toMatchObject({
      ok: true,
      value: { host: "xn--bcher-kva.example.com", port: 443, address: "127.0.0.1" },
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

describe("--connect-to by origin address (host migrations)", () => {
  it("parses an IPv4 or bracketed IPv6 HOST as an origin address, canonical", () => {
    expect(parseConnectTo("192.0.2.99:443:127.0.0.1:9443")).toMatchObject({
      ok: true,
      value: { host: "192.0.2.99", hostIsAddress: true, port: 443, address: "127.0.0.1", toPort: 9443 },
    });
    expect(parseConnectTo("[2001:DB8:0::10]::[::1]:9443")).toMatchObject({
      ok: true,
      value: { host: "2001:db8::10", hostIsAddress: true, port: undefined },
    });
    expect(parseConnectTo("www.example.com:443:127.0.0.1:1")).toMatchObject({
      ok: true,
      value: { host: "www.example.com" },
    });
    const byName = parseConnectTo("www.example.com:443:127.0.0.1:1");
    expect(byName.ok && byName.value.hostIsAddress).toBeFalsy();
  });

  it("matches the connection to that address whatever the hostname, and never by hostname", () => {
    const byAddress = parseConnectToList([
      "192.0.2.99:443:127.0.0.1:9443",
      "www.example.com:443:127.0.0.1:8443",
    ]);
    if (!byAddress.ok) throw new Error(byAddress.error);
    expect(findConnectTo(byAddress.value, "www.example.com", 443, "192.0.2.99")?.toPort).toBe(9443);
    expect(findConnectTo(byAddress.value, "app.example.com", 443, "192.0.2.99")?.toPort).toBe(9443);
    expect(findConnectTo(byAddress.value, "www.example.com", 443, "192.0.2.10")?.toPort).toBe(8443);
    expect(findConnectTo(byAddress.value, "www.example.com", 80, "192.0.2.99")).toBeUndefined();
    expect(findConnectTo(byAddress.value, "192.0.2.99", 443)).toBeUndefined();
  });
});
