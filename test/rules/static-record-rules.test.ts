import { describe, expect, it } from "vitest";
import { cnameCoexists } from "../../checks/rules/cname-coexists.js";
import { duplicateRecord } from "../../checks/rules/duplicate-record.js";
import { mixedProxyStatus } from "../../checks/rules/mixed-proxy-status.js";
import { proxiedTargetProhibited } from "../../checks/rules/proxied-target-prohibited.js";
import { proxiedTtlNotAuto } from "../../checks/rules/proxied-ttl-not-auto.js";
import { proxiedTypeNotProxiable } from "../../checks/rules/proxied-type-not-proxiable.js";
import { contextFor } from "../helpers/rule-context.js";
import { zoneWithRecords } from "../helpers/tf-json.js";

const run = async (
  rule: { evaluate: typeof proxiedTypeNotProxiable.evaluate },
  records: Record<string, Record<string, unknown>>,
  extra: Record<string, unknown> = {},
) => rule.evaluate(await contextFor(zoneWithRecords(records, extra)));

describe("proxied-type-not-proxiable", () => {
  it("fails when a TXT record is proxied, predicting 9004", async () => {
    const [f, ...rest] = await run(proxiedTypeNotProxiable, {
      t: { name: "example.com", type: "TXT", content: "hello", proxied: true },
    });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      status: "fail",
      blocking: true,
      predicts: "9004",
      subject: { hostname: "example.com", type: "TXT" },
    });
    expect(f!.subject.terraformAddress).toBe("cloudflare_dns_record.t");
  });
  it("passes when only A, AAAA and CNAME are proxied", async () => {
    expect(
      await run(proxiedTypeNotProxiable, {
        a: { name: "a.example.com", type: "A", content: "192.0.2.1", proxied: true },
        c: { name: "c.example.com", type: "CNAME", content: "a.example.com", proxied: true },
        t: { name: "example.com", type: "TXT", content: "hello", proxied: false },
      }),
    ).toEqual([]);
  });
});

describe("proxied-target-prohibited", () => {
  it.each([
    ["10.0.0.5", "10.0.0.0/8"],
    ["127.0.0.1", "127.0.0.0/8"],
    ["100.64.1.1", "100.64.0.0/10"],
    ["169.254.10.1", "169.254.0.0/16"],
    ["192.168.1.1", "192.168.0.0/16"],
  ])("fails when a proxied A record points at %s (9003)", async (address, range) => {
    const findings = await run(proxiedTargetProhibited, {
      a: { name: "a.example.com", type: "A", content: address, proxied: true },
    });
    expect(findings).toEqual([
      expect.objectContaining({
        status: "fail",
        predicts: "9003",
        evidence: expect.objectContaining({ range }),
      }),
    ]);
  });
  it("fails when a proxied AAAA record points at unique local space (9003)", async () => {
    const findings = await run(proxiedTargetProhibited, {
      a: { name: "a.example.com", type: "AAAA", content: "fd00::1", proxied: true },
    });
    expect(findings).toMatchObject([{ predicts: "9003" }]);
  });
  it("fails when a proxied record points at a Cloudflare address (1000)", async () => {
    const findings = await run(proxiedTargetProhibited, {
      a: { name: "a.example.com", type: "A", content: "104.16.1.1", proxied: true },
    });
    expect(findings).toMatchObject([{ predicts: "1000", evidence: { range: "104.16.0.0/13" } }]);
  });
  it("passes when the target is public, DNS-only private, or 172.64.0.0/13 is not mistaken for private", async () => {
    expect(
      await run(
        proxiedTargetProhibited,
        {
          pub: { name: "a.example.com", type: "A", content: "192.0.2.10", proxied: true },
          dnsOnly: { name: "b.example.com", type: "A", content: "10.0.0.5", proxied: false },
          tfRef: {
            name: "c.example.com",
            type: "A",
            content: "${aws_instance.web.public_ip}",
            proxied: true,
          },
        },
        { aws_instance: { web: { ami: "ami-0123" } } },
      ),
    ).toEqual([]);
  });
});

describe("proxied-ttl-not-auto", () => {
  it("warns when a proxied record sets a TTL", async () => {
    expect(
      await run(proxiedTtlNotAuto, {
        a: { name: "a.example.com", type: "A", content: "192.0.2.1", proxied: true, ttl: 300 },
      }),
    ).toMatchObject([{ status: "warn", blocking: false, evidence: { ttl: "300" } }]);
  });
  it("passes when proxied records are automatic and DNS-only ones set any TTL", async () => {
    expect(
      await run(proxiedTtlNotAuto, {
        a: { name: "a.example.com", type: "A", content: "192.0.2.1", proxied: true, ttl: 1 },
        b: { name: "b.example.com", type: "A", content: "192.0.2.1", proxied: false, ttl: 300 },
      }),
    ).toEqual([]);
  });
});

describe("cname-coexists", () => {
  it("fails when a CNAME shares its name with an A record (81053)", async () => {
    const findings = await run(cnameCoexists, {
      c: { name: "www.example.com", type: "CNAME", content: "example.com", proxied: true },
      a: { name: "www.example.com", type: "A", content: "192.0.2.1", proxied: true },
    });
    expect(findings).toMatchObject([
      { status: "fail", predicts: "81053", subject: { hostname: "www.example.com", type: "CNAME" } },
    ]);
  });
  it("passes when the CNAME is alone and other names hold several records", async () => {
    expect(
      await run(cnameCoexists, {
        c: { name: "www.example.com", type: "CNAME", content: "example.com" },
        a: { name: "example.com", type: "A", content: "192.0.2.1" },
        m: { name: "example.com", type: "MX", content: "mail.example.com", priority: 10 },
      }),
    ).toEqual([]);
  });
  it("passes when an apex CNAME sits beside MX and TXT records (Cloudflare flattens it)", async () => {
    expect(
      await run(cnameCoexists, {
        c: { name: "example.com", type: "CNAME", content: "site.example.net", proxied: true },
        m: { name: "example.com", type: "MX", content: "mail.example.net", priority: 10 },
        t: { name: "example.com", type: "TXT", content: "v=spf1 -all" },
      }),
    ).toEqual([]);
  });
  it("fails when an apex CNAME sits beside an A record, and names only the A", async () => {
    expect(
      await run(cnameCoexists, {
        c: { name: "@", type: "CNAME", content: "site.example.net", proxied: true },
        a: { name: "example.com", type: "A", content: "192.0.2.1", proxied: true },
        t: { name: "example.com", type: "TXT", content: "v=spf1 -all" },
      }),
    ).toMatchObject([{ predicts: "81053", message: expect.stringContaining("1 other record(s): A") }]);
  });
});

describe("mixed-proxy-status", () => {
  it("warns when proxied and DNS-only A/AAAA records share a name", async () => {
    expect(
      await run(mixedProxyStatus, {
        a: { name: "www.example.com", type: "A", content: "192.0.2.1", proxied: true },
        b: { name: "www.example.com", type: "AAAA", content: "2001:db8::1", proxied: false },
      }),
    ).toMatchObject([{ status: "warn", subject: { hostname: "www.example.com", type: "AAAA" } }]);
  });
  it("passes when every A/AAAA of a name agrees", async () => {
    expect(
      await run(mixedProxyStatus, {
        a: { name: "www.example.com", type: "A", content: "192.0.2.1", proxied: true },
        b: { name: "www.example.com", type: "AAAA", content: "2001:db8::1", proxied: true },
        t: { name: "www.example.com", type: "TXT", content: "x", proxied: false },
      }),
    ).toEqual([]);
  });
});

describe("duplicate-record", () => {
  it("fails when a record is declared twice, even with a trailing dot or other case (81058)", async () => {
    const findings = await run(duplicateRecord, {
      one: { name: "www.example.com", type: "CNAME", content: "Origin.example.net" },
      two: { name: "WWW.example.com.", type: "CNAME", content: "origin.example.net." },
    });
    expect(findings).toMatchObject([
      { predicts: "81058", subject: { terraformAddress: "cloudflare_dns_record.two" } },
    ]);
  });
  it("fails when the content is the same as Cloudflare stores it: IPv6 spelled out, TXT quoted", async () => {
    const findings = await run(duplicateRecord, {
      one: { name: "www.example.com", type: "AAAA", content: "2001:db8::1" },
      two: { name: "www.example.com", type: "AAAA", content: "2001:DB8:0:0::1" },
      three: { name: "example.com", type: "TXT", content: "v=spf1 -all" },
      four: { name: "example.com", type: "TXT", content: '"v=spf1 -all"' },
    });
    expect(findings).toMatchObject([
      { predicts: "81058", subject: { terraformAddress: "cloudflare_dns_record.two" } },
      { predicts: "81058", subject: { terraformAddress: "cloudflare_dns_record.four" } },
    ]);
  });
  it("passes when records differ in content", async () => {
    expect(
      await run(duplicateRecord, {
        one: { name: "www.example.com", type: "A", content: "192.0.2.1" },
        two: { name: "www.example.com", type: "A", content: "192.0.2.2" },
      }),
    ).toEqual([]);
  });
});
