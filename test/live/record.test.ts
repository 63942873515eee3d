import type { RecordResponse } from "cloudflare/resources/dns/records";
import { describe, expect, it } from "vitest";
import { toDnsRecord } from "../../checks/live/record.js";

const base = { id: "r1", created_on: "", modified_on: "", proxiable: true, meta: {}, settings: {}, tags: [] };

describe("toDnsRecord", () => {
  it("normalises the name and keeps ttl 1 as auto for proxied records", () => {
    const record: RecordResponse = {
      ...base,
      name: "WWW.Example.COM.",
      type: "A",
      content: "192.0.2.1",
      proxied: true,
      ttl: 1,
    };
    expect(toDnsRecord(record)).toEqual({
      id: "r1",
      fqdn: "www.example.com",
      type: "A",
      content: "192.0.2.1",
      proxied: true,
      ttl: 1,
      readOnly: false,
    });
  });

  it("keeps MX and SRV targets with their priority apart", () => {
    const mx: RecordResponse = {
      ...base,
      name: "example.com",
      type: "MX",
      content: "Mail.example.com.",
      priority: 5,
      ttl: 300,
    };
    expect(toDnsRecord(mx)).toMatchObject({
      content: "mail.example.com",
      priority: 5,
      proxied: false,
      ttl: 300,
    });
    const srv: RecordResponse = {
      ...base,
      name: "_sip._tcp.example.com",
      type: "SRV",
      content: "5 5060 sip.example.com",
      data: { priority: 10, weight: 5, port: 5060, target: "sip.example.com" },
      ttl: 300,
    };
    expect(toDnsRecord(srv)).toMatchObject({ content: "sip.example.com", priority: 10 });
  });

  it("marks records the API says are read-only, and keeps comments and tags", () => {
    const record = {
      ...base,
      name: "x.example.com",
      type: "TXT",
      content: "v",
      ttl: 300,
      comment: "why",
      tags: ["team:web"],
      meta: { read_only: true },
    } as RecordResponse;
    expect(toDnsRecord(record)).toMatchObject({ readOnly: true, comment: "why", tags: ["team:web"] });
    const locked = {
      ...base,
      name: "y.example.com",
      type: "TXT",
      content: "v",
      ttl: 300,
      locked: true,
    } as RecordResponse;
    expect(toDnsRecord(locked)?.readOnly).toBe(true);
  });
});
