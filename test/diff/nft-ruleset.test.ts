import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { admittedOn } from "../../checks/diff/enforced-firewall.js";
import { parseNftRuleset } from "../../checks/diff/nft-ruleset.js";
import { InputError } from "../../checks/errors.js";

const fixture = fileURLToPath(new URL("./fixtures/origin-firewall.nft.json", import.meta.url));
/** Exported with `nft -j list ruleset` from a namespace loaded with fixtures/origin-firewall.nft (nftables 1.0.6). */
const exported = readFileSync(fixture, "utf8");

function ruleset(chainPolicy: string, rules: unknown[][], extra: unknown[] = []): string {
  return JSON.stringify({
    nftables: [
      { metainfo: { version: "1.0.6", json_schema_version: 1 } },
      { table: { family: "inet", name: "filter", handle: 1 } },
      ...extra,
      {
        chain: {
          family: "inet",
          table: "filter",
          name: "input",
          handle: 1,
          type: "filter",
          hook: "input",
          prio: 0,
          policy: chainPolicy,
        },
      },
      ...rules.map((expr, i) => ({
        rule: { family: "inet", table: "filter", chain: "input", handle: i + 2, expr },
      })),
    ],
  });
}
const dport = (right: unknown) => ({
  match: { op: "==", left: { payload: { protocol: "tcp", field: "dport" } }, right },
});
const saddr = (right: unknown, protocol = "ip", op = "==") => ({
  match: { op, left: { payload: { protocol, field: "saddr" } }, right },
});

describe("parseNftRuleset on a real export", () => {
  const fw = parseNftRuleset(exported, { file: fixture, ports: [80, 443] });

  it("reads the input chain's drop policy", () => {
    expect(fw.defaultPolicy).toBe("drop");
  });
  it("admits on 443 the named Cloudflare sets, the monitoring range and the audited addresses", () => {
    const on443 = admittedOn(fw, 443);
    expect(on443).toContain("173.245.48.0/20");
    expect(on443).toContain("2400:cb00::/32");
    expect(on443).toContain("198.51.100.10/31"); // range element 198.51.100.10-198.51.100.20
    expect(on443).toContain("198.51.100.20/32");
    expect(on443).toContain("192.0.2.7/32"); // through `jump audit`, which accepts
    expect(on443).not.toContain("131.0.72.0/22"); // not in the set
  });
  it("admits on 80 the Cloudflare sets only", () => {
    const on80 = admittedOn(fw, 80);
    expect(on80).toContain("104.16.0.0/13");
    expect(on80.some((cidr) => cidr.startsWith("198.51.100."))).toBe(false);
  });
  it("evaluates the ports accept rules name (22 from the office) and admits nothing elsewhere", () => {
    expect(admittedOn(fw, 22)).toEqual(["203.0.113.0/24"]);
    expect(admittedOn(fw, 8443)).toEqual([]);
  });
  it("has nothing it could not model", () => {
    expect(fw.unknowns).toEqual([]);
  });
});

describe("parseNftRuleset semantics", () => {
  it("admits everyone when the input chain's policy is accept and nothing drops", () => {
    const fw = parseNftRuleset(
      ruleset("accept", [
        [dport(443), saddr({ prefix: { addr: "173.245.48.0", len: 20 } }), { accept: null }],
      ]),
      { file: "fw.json" },
    );
    expect(fw.defaultPolicy).toBe("accept");
    expect(admittedOn(fw, 443)).toEqual(["0.0.0.0/0", "::/0"]);
  });
  it("restricts a port under an accept policy with `saddr != @set drop`", () => {
    const set = {
      set: {
        family: "inet",
        table: "filter",
        name: "cf",
        type: "ipv4_addr",
        flags: ["interval"],
        elem: [{ prefix: { addr: "173.245.48.0", len: 20 } }],
      },
    };
    const fw = parseNftRuleset(
      ruleset("accept", [[dport(443), saddr("@cf", "ip", "!="), { drop: null }]], [set]),
      { file: "fw.json" },
    );
    expect(admittedOn(fw, 443)).toEqual(["173.245.48.0/20", "::/0"]);
    expect(admittedOn(fw, 80)).toEqual(["0.0.0.0/0", "::/0"]);
  });
  it("follows rule order: an earlier drop wins over a later accept", () => {
    const fw = parseNftRuleset(
      ruleset("drop", [
        [saddr({ prefix: { addr: "173.245.48.0", len: 24 } }), { drop: null }],
        [
          dport({ set: [80, 443] }),
          saddr({ set: [{ prefix: { addr: "173.245.48.0", len: 20 } }, "192.0.2.1"] }),
          { accept: null },
        ],
      ]),
      { file: "fw.json" },
    );
    expect(admittedOn(fw, 443)).toEqual([
      "173.245.49.0/24",
      "173.245.50.0/23",
      "173.245.52.0/22",
      "173.245.56.0/21",
      "192.0.2.1/32",
    ]);
  });
  it("does not let established/related or loopback rules admit new connections", () => {
    const fw = parseNftRuleset(
      ruleset("drop", [
        [
          { match: { op: "in", left: { ct: { key: "state" } }, right: ["established", "related"] } },
          { accept: null },
        ],
        [{ match: { op: "==", left: { meta: { key: "iif" } }, right: "lo" } }, { accept: null }],
      ]),
      { file: "fw.json" },
    );
    expect(admittedOn(fw, 443)).toEqual([]);
  });
  it("ignores udp rules for TCP ports", () => {
    const udp = { match: { op: "==", left: { payload: { protocol: "udp", field: "dport" } }, right: 443 } };
    expect(
      admittedOn(parseNftRuleset(ruleset("drop", [[udp, { accept: null }]]), { file: "fw.json" }), 443),
    ).toEqual([]);
  });
  it("reads port ranges and verdict maps", () => {
    const vmap = {
      vmap: {
        key: { payload: { protocol: "tcp", field: "dport" } },
        data: {
          set: [
            [22, { drop: null }],
            [{ range: [400, 500] }, { accept: null }],
          ],
        },
      },
    };
    const fw = parseNftRuleset(ruleset("drop", [[vmap]]), { file: "fw.json" });
    expect(admittedOn(fw, 443)).toEqual(["0.0.0.0/0", "::/0"]);
    expect(admittedOn(fw, 22)).toEqual([]);
  });
  it("notes what it cannot model and names where", () => {
    const limit = { limit: { rate: 10, per: "second" } };
    const fw = parseNftRuleset(ruleset("drop", [[dport(443), limit, { accept: null }]]), { file: "fw.json" });
    expect(fw.unknowns).toEqual([
      "nftables[3] (inet filter input handle 2): limit statement; treated as matching",
    ]);
  });
});

describe("parseNftRuleset bad input", () => {
  const thrown = (text: string): InputError => {
    try {
      parseNftRuleset(text, { file: "origin.json" });
    } catch (error) {
      if (error instanceof InputError) return error;
      throw error;
    }
    throw new Error("no error");
  };
  it("names the file when it is not JSON", () => {
    expect(thrown("table inet filter {").message).toMatch(
      /^origin\.json: expected the JSON output of `nft -j list ruleset`/,
    );
  });
  it("names the path when the top level is wrong", () => {
    expect(thrown("{}")).toMatchObject({ file: "origin.json", path: "nftables" });
  });
  it("names the path of a bad prefix", () => {
    const error = thrown(
      ruleset("drop", [[saddr({ prefix: { addr: "300.1.1.0", len: 24 } }), { accept: null }]]),
    );
    expect(error.path).toBe("nftables[3].rule.expr[0].match.right.prefix");
    expect(error.expected).toMatch(/IPv4 address, prefix/);
  });
  it("names a set that the export does not contain", () => {
    const error = thrown(ruleset("drop", [[saddr("@missing"), { accept: null }]]));
    expect(error.expected).toBe('a set named "missing" in table inet filter');
  });
});
