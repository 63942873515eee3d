import { describe, expect, it } from "vitest";
import { diffRecords } from "../../checks/diff/records.js";
import { record, tfRef } from "./helpers.js";

const zone = "example.com";

describe("diffRecords", () => {
  it("passes when desired and live are the same records in another order", () => {
    const records = [
      record("a.example.com", "A", "192.0.2.1"),
      record("a.example.com", "A", "192.0.2.2"),
      record("b.example.com", "TXT", "hello"),
    ];
    expect(diffRecords(zone, records, [...records].reverse())).toEqual([]);
  });

  it("orders all deletes, then creates, then updates, each by fqdn, type and content", () => {
    const desired = [
      record("z.example.com", "A", "192.0.2.9"),
      record("b.example.com", "A", "192.0.2.1", { ttl: 60 }),
      record("a.example.com", "TXT", "new"),
      record("a.example.com", "A", "192.0.2.5"),
      record("m.example.com", "AAAA", "2001:db8::1", { ttl: 60 }),
    ];
    const live = [
      record("y.example.com", "A", "192.0.2.8"),
      record("b.example.com", "A", "192.0.2.1", { ttl: 300 }),
      record("c.example.com", "CNAME", "x.example.net"),
      record("m.example.com", "AAAA", "2001:db8::1", { ttl: 300 }),
    ];
    const plan = diffRecords(zone, desired, live).map((c) => `${c.action} ${c.fqdn} ${c.type}`);
    expect(plan).toEqual([
      "delete c.example.com CNAME",
      "delete y.example.com A",
      "create a.example.com A",
      "create a.example.com TXT",
      "create z.example.com A",
      "update b.example.com A",
      "update m.example.com AAAA",
    ]);
  });

  it("pairs records with equal content first, then the rest as updates in content order", () => {
    const desired = [
      record("www.example.com", "A", "192.0.2.3"),
      record("www.example.com", "A", "192.0.2.1"),
      record("www.example.com", "A", "192.0.2.4"),
    ];
    const live = [record("www.example.com", "A", "192.0.2.1"), record("www.example.com", "A", "192.0.2.2")];
    const changes = diffRecords(zone, desired, live);
    expect(changes.map((c) => c.action)).toEqual(["create", "update"]);
    expect(changes[0]?.desired?.content).toBe("192.0.2.4");
    expect(changes[1]?.fields).toEqual([{ field: "content", from: "192.0.2.2", to: "192.0.2.3" }]);
    expect(changes[1]?.live?.content).toBe("192.0.2.2");
  });

  it("fails when a record's content changed and names both values", () => {
    const [change] = diffRecords(
      zone,
      [record("www.example.com", "A", "198.51.100.7")],
      [record("www.example.com", "A", "192.0.2.1", { id: "rec1" })],
    );
    expect(change).toMatchObject({
      action: "update",
      zone,
      fqdn: "www.example.com",
      type: "A",
      live: { id: "rec1" },
    });
    expect(change?.fields).toEqual([{ field: "content", from: "192.0.2.1", to: "198.51.100.7" }]);
  });

  it("fails when proxied differs", () => {
    const [change] = diffRecords(
      zone,
      [record("www.example.com", "CNAME", "o.example.net", { proxied: true })],
      [record("www.example.com", "CNAME", "o.example.net", { proxied: false })],
    );
    expect(change?.fields).toEqual([{ field: "proxied", from: false, to: true }]);
  });

  it("treats records of the same name and another type as unrelated", () => {
    const changes = diffRecords(
      zone,
      [record("www.example.com", "AAAA", "2001:db8::1")],
      [record("www.example.com", "A", "192.0.2.1")],
    );
    expect(changes.map((c) => `${c.action} ${c.type}`)).toEqual(["delete A", "create AAAA"]);
  });

  it("reports an update whose content is unresolved rather than guessing it equal", () => {
    const ref = tfRef("aws_instance.web.public_ip");
    const [change] = diffRecords(
      zone,
      [record("www.example.com", "A", ref)],
      [record("www.example.com", "A", "192.0.2.1")],
    );
    expect(change?.action).toBe("update");
    expect(change?.fields).toEqual([{ field: "content", from: "192.0.2.1", to: ref }]);
    expect(change?.unresolved).toEqual(["content"]);
  });

  it("pairs a resolved desired record by equal content before the unresolved one takes a leftover", () => {
    const ref = tfRef("aws_instance.web.public_ip");
    const desired = [record("www.example.com", "A", ref), record("www.example.com", "A", "192.0.2.1")];
    const live = [record("www.example.com", "A", "192.0.2.1"), record("www.example.com", "A", "192.0.2.2")];
    const changes = diffRecords(zone, desired, live);
    expect(changes).toHaveLength(1);
    expect(changes[0]?.live?.content).toBe("192.0.2.2");
    expect(changes[0]?.unresolved).toEqual(["content"]);
  });

  it("marks a create whose content is unresolved", () => {
    const [change] = diffRecords(zone, [record("new.example.com", "A", tfRef("x.ip"))], []);
    expect(change).toMatchObject({ action: "create", unresolved: ["content"], fields: [] });
  });

  it("leaves no unresolved marker when every desired value is known", () => {
    const [change] = diffRecords(zone, [record("new.example.com", "A", "192.0.2.1")], []);
    expect(change && "unresolved" in change).toBe(false);
  });

  it("handles 100,000 records per side and finds exactly the planted differences", () => {
    const n = 100_000;
    const desired = [];
    const live = [];
    for (let i = 0; i < n; i++) {
      const name = `host${i}.example.com`;
      desired.push(
        record(name, "A", `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, { proxied: true, ttl: 300 }),
      );
      live.push(
        record(name.toUpperCase(), "A", `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, {
          proxied: true,
          ttl: 1,
        }),
      );
    }
    live[17] = record("host17.example.com", "A", "192.0.2.1", { proxied: true });
    live.push(record("stale.example.com", "TXT", "old"));
    desired.push(record("fresh.example.com", "TXT", "new"));
    const changes = diffRecords(zone, desired, live);
    expect(changes.map((c) => `${c.action} ${c.fqdn}`)).toEqual([
      "delete stale.example.com",
      "create fresh.example.com",
      "update host17.example.com",
    ]);
  });
});
