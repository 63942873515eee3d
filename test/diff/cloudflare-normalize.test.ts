import { describe, expect, it } from "vitest";
import {
  effectiveTtl,
  normalizeAddress,
  normalizeContent,
  normalizeName,
  normalizeTags,
  normalizeTxt,
} from "../../checks/diff/cloudflare-normalize.js";
import { diffRecords } from "../../checks/diff/records.js";
import { record, tfRef } from "./helpers.js";

const zone = "example.com";

describe("fqdn case and trailing dot", () => {
  it("passes when the names differ only in case and the trailing dot", () => {
    expect(normalizeName("WWW.Example.COM.")).toBe("www.example.com");
    expect(
      diffRecords(
        zone,
        [record("WWW.Example.com.", "A", "192.0.2.1")],
        [record("www.example.com", "A", "192.0.2.1")],
      ),
    ).toEqual([]);
  });
  it("fails when the names differ in more than that", () => {
    const changes = diffRecords(
      zone,
      [record("www2.example.com", "A", "192.0.2.1")],
      [record("www.example.com", "A", "192.0.2.1")],
    );
    expect(changes.map((c) => c.action)).toEqual(["delete", "create"]);
  });
});

describe("proxied means TTL auto", () => {
  it("passes when a proxied record is declared with ttl 300 and stored with ttl 1", () => {
    expect(effectiveTtl("A", true, 300)).toBe(1);
    const desired = [record("www.example.com", "A", "192.0.2.1", { proxied: true, ttl: 300 })];
    const live = [record("www.example.com", "A", "192.0.2.1", { proxied: true, ttl: 1 })];
    expect(diffRecords(zone, desired, live)).toEqual([]);
  });
  it("fails when a DNS-only record's ttl differs", () => {
    const desired = [record("www.example.com", "A", "192.0.2.1", { proxied: false, ttl: 300 })];
    const live = [record("www.example.com", "A", "192.0.2.1", { proxied: false, ttl: 3600 })];
    const [change] = diffRecords(zone, desired, live);
    expect(change?.fields).toEqual([{ field: "ttl", from: 3600, to: 300 }]);
  });
  it("reports the ttl becoming auto when a record turns proxied", () => {
    const desired = [record("www.example.com", "A", "192.0.2.1", { proxied: true, ttl: 300 })];
    const live = [record("www.example.com", "A", "192.0.2.1", { proxied: false, ttl: 300 })];
    expect(diffRecords(zone, desired, live)[0]?.fields).toEqual([
      { field: "proxied", from: false, to: true },
      { field: "ttl", from: 300, to: 1 },
    ]);
  });
  it("passes when a type that cannot be proxied is declared proxied (stored DNS-only)", () => {
    const desired = [
      record("example.com", "MX", "mx.example.net", { proxied: true, ttl: 300, priority: 10 }),
    ];
    const live = [record("example.com", "MX", "mx.example.net", { proxied: false, ttl: 300, priority: 10 })];
    expect(diffRecords(zone, desired, live)).toEqual([]);
  });
});

describe("IPv6 content in canonical form", () => {
  it("passes when the same address is written long-hand and upper-case", () => {
    expect(normalizeAddress("2001:DB8:0:0:0:0:0:1")).toBe("2001:db8::1");
    const desired = [record("www.example.com", "AAAA", "2001:DB8:0000:0:0::0001")];
    const live = [record("www.example.com", "AAAA", "2001:db8::1")];
    expect(diffRecords(zone, desired, live)).toEqual([]);
  });
  it("fails when the addresses differ", () => {
    const desired = [record("www.example.com", "AAAA", "2001:db8::2")];
    const live = [record("www.example.com", "AAAA", "2001:db8::1")];
    expect(diffRecords(zone, desired, live)[0]?.fields).toEqual([
      { field: "content", from: "2001:db8::1", to: "2001:db8::2" },
    ]);
  });
});

describe("CNAME and MX targets: case-insensitive, trailing dot", () => {
  it("passes when a CNAME target differs only in case and the final dot", () => {
    expect(normalizeContent("CNAME", "Origin.Example.NET.")).toBe("origin.example.net");
    const desired = [record("www.example.com", "CNAME", "Origin.Example.NET.")];
    const live = [record("www.example.com", "CNAME", "origin.example.net")];
    expect(diffRecords(zone, desired, live)).toEqual([]);
  });
  it("passes when an MX target differs only in case and the final dot", () => {
    const desired = [record("example.com", "MX", "MX1.example.com.", { priority: 10 })];
    const live = [record("example.com", "MX", "mx1.example.com", { priority: 10 })];
    expect(diffRecords(zone, desired, live)).toEqual([]);
  });
  it("fails when the target is another host", () => {
    const desired = [record("www.example.com", "CNAME", "origin2.example.net")];
    const live = [record("www.example.com", "CNAME", "origin.example.net")];
    expect(diffRecords(zone, desired, live)[0]?.action).toBe("update");
  });
  it("fails when an MX priority differs", () => {
    const desired = [record("example.com", "MX", "mx1.example.com", { priority: 20 })];
    const live = [record("example.com", "MX", "mx1.example.com", { priority: 10 })];
    expect(diffRecords(zone, desired, live)[0]?.fields).toEqual([{ field: "priority", from: 10, to: 20 }]);
  });
});

describe("TXT quoting", () => {
  it("passes when one side is quoted and the other is not", () => {
    expect(normalizeTxt('"v=spf1 include:_spf.example.net -all"')).toBe(
      "v=spf1 include:_spf.example.net -all",
    );
    const desired = [record("example.com", "TXT", "v=spf1 -all")];
    const live = [record("example.com", "TXT", '"v=spf1 -all"')];
    expect(diffRecords(zone, desired, live)).toEqual([]);
  });
  it("passes when a long value is split into several quoted strings", () => {
    const long = "k=rsa; p=" + "A".repeat(300);
    const split = `"${long.slice(0, 255)}" "${long.slice(255)}"`;
    expect(
      diffRecords(
        zone,
        [record("d._domainkey.example.com", "TXT", long)],
        [record("d._domainkey.example.com", "TXT", split)],
      ),
    ).toEqual([]);
  });
  it("keeps escaped quotes inside a quoted string", () => {
    expect(normalizeTxt('"say \\"hi\\""')).toBe('say "hi"');
  });
  it("fails when the text differs", () => {
    const desired = [record("example.com", "TXT", "v=spf1 ~all")];
    const live = [record("example.com", "TXT", '"v=spf1 -all"')];
    expect(diffRecords(zone, desired, live)[0]?.action).toBe("update");
  });
});

describe("read-only, Cloudflare-managed records", () => {
  it("passes when the only live record not in code is read-only", () => {
    const live = [
      record("www.example.com", "A", "192.0.2.1"),
      record("cdn.example.com", "CNAME", "public.r2.dev", { readOnly: true }),
    ];
    expect(diffRecords(zone, [record("www.example.com", "A", "192.0.2.1")], live)).toEqual([]);
  });
  it("fails when a live record not in code is editable", () => {
    const live = [
      record("www.example.com", "A", "192.0.2.1"),
      record("cdn.example.com", "CNAME", "public.r2.dev"),
    ];
    expect(
      diffRecords(zone, [record("www.example.com", "A", "192.0.2.1")], live).map((c) => c.action),
    ).toEqual(["delete"]);
  });
});

describe("comment and tags compared only when the code sets them", () => {
  it("passes when the code sets no comment or tags and live has some", () => {
    const live = [record("www.example.com", "A", "192.0.2.1", { comment: "by hand", tags: ["team:web"] })];
    expect(diffRecords(zone, [record("www.example.com", "A", "192.0.2.1")], live)).toEqual([]);
  });
  it("fails when the code sets a comment that differs", () => {
    const live = [record("www.example.com", "A", "192.0.2.1", { comment: "by hand" })];
    const desired = [record("www.example.com", "A", "192.0.2.1", { comment: "managed by cdktf" })];
    expect(diffRecords(zone, desired, live)[0]?.fields).toEqual([
      { field: "comment", from: "by hand", to: "managed by cdktf" },
    ]);
  });
  it("passes when the tags are the same in another order", () => {
    expect(normalizeTags(["b:2", "a:1"])).toEqual(["a:1", "b:2"]);
    const live = [record("www.example.com", "A", "192.0.2.1", { tags: ["env:prod", "team:web"] })];
    const desired = [record("www.example.com", "A", "192.0.2.1", { tags: ["team:web", "env:prod"] })];
    expect(diffRecords(zone, desired, live)).toEqual([]);
  });
  it("fails when the code sets tags that differ", () => {
    const live = [record("www.example.com", "A", "192.0.2.1", { tags: ["env:prod"] })];
    const desired = [record("www.example.com", "A", "192.0.2.1", { tags: ["env:prod", "team:web"] })];
    expect(diffRecords(zone, desired, live)[0]?.fields.map((f) => f.field)).toEqual(["tags"]);
  });
  it("passes when the code sets an empty comment and live has none", () => {
    expect(
      diffRecords(
        zone,
        [record("www.example.com", "A", "192.0.2.1", { comment: "" })],
        [record("www.example.com", "A", "192.0.2.1")],
      ),
    ).toEqual([]);
  });
});

describe("unresolved desired values", () => {
  it("marks a proxied state that is a Terraform reference instead of guessing", () => {
    const desired = [record("www.example.com", "A", "192.0.2.1", { proxied: tfRef("var.proxied") })];
    const [change] = diffRecords(zone, desired, [
      record("www.example.com", "A", "192.0.2.1", { proxied: true }),
    ]);
    expect(change?.unresolved).toEqual(["proxied", "ttl"]);
    expect(change?.fields[0]).toEqual({ field: "proxied", from: true, to: tfRef("var.proxied") });
  });
});
