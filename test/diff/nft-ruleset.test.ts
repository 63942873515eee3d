import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { admittedOn, uncertainOn } from "../../checks/diff/enforced-firewall.js";
import { parseNftRuleset } from "../../checks/diff/nft-ruleset.js";
import { InputError } from "../../checks/errors.js";

const fixture = fileURLToPath(new URL("./fixtures/origin-firewall.nft.json", import.meta.url));
/** Exported with `nft -j list ruleset` from a namespace loaded with fixtures/origin-firewall.nft (nftables 1.0.6). */
const exported = readFileSync(fixture, "utf8");

function ruleset(
  chainPolicy: string,
  rules: unknown[][],
  extra: unknown[] = [],
  after: unknown[] = [],
): string {
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
      ...after,
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
  it("names what it cannot model and where, with the ports and sources it leaves in doubt", () => {
    const limit = { limit: { rate: 10, per: "second" } };
    const fw = parseNftRuleset(ruleset("drop", [[dport(443), limit, { accept: null }]]), { file: "fw.json" });
    const cause =
      "nftables[3] (inet filter input handle 2): limit (passes or stops packets by rate or count)";
    expect(fw.unknowns).toEqual([cause]);
    expect(admittedOn(fw, 443)).toEqual([]);
    expect(uncertainOn(fw, 443)).toEqual({ cidrs: ["0.0.0.0/0", "::/0"], causes: [cause] });
    // Port 80 is not touched by the rule: certain, and nothing in doubt.
    expect(uncertainOn(fw, 80)).toEqual({ cidrs: [], causes: [] });
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
  it("rejects an export with no table at all", () => {
    const error = thrown(
      JSON.stringify({ nftables: [{ metainfo: { version: "1.0.6", json_schema_version: 1 } }] }),
    );
    expect(error).toMatchObject({ file: "origin.json", path: "nftables" });
    expect(error.expected).toMatch(/^at least one table/);
  });
  it("rejects an export whose tables filter nothing (no rule, no dropping chain)", () => {
    const error = thrown(ruleset("accept", []));
    expect(error.expected).toMatch(/^at least one rule or dropping base chain/);
  });
  it("accepts a dropping chain without rules (it drops everything)", () => {
    expect(admittedOn(parseNftRuleset(ruleset("drop", []), { file: "fw.json" }), 443)).toEqual([]);
  });
  it("names a port number out of range", () => {
    const error = thrown(ruleset("drop", [[dport(70000), { accept: null }]]));
    expect(error.path).toBe("nftables[3].rule.expr[0].match.right");
  });
});

/** Cloudflare's 173.245.48.0/20 accepted on 443 through one extra statement; what the parser makes of it. */
function through(statement: unknown, extra: unknown[] = [], after: unknown[] = []) {
  const cloudflare = saddr({ prefix: { addr: "173.245.48.0", len: 20 } });
  return parseNftRuleset(
    ruleset("drop", [[dport(443), cloudflare, statement, { accept: null }]], extra, after),
    {
      file: "fw.json",
      ports: [443],
    },
  );
}
const match = (left: unknown, right: unknown, op = "==") => ({ match: { op, left, right } });
const WHERE = "nftables[3] (inet filter input handle 2)";

describe("parseNftRuleset: what it cannot decide is unknown, never a match or a miss", () => {
  const cases: [string, unknown, RegExp][] = [
    [
      "an xt match (iptables-nft's multiport)",
      { xt: { type: "match", name: "multiport" } },
      /iptables match multiport \(an xt expression, whose options nft -j does not print\)/,
    ],
    ["an xt target that redirects", { xt: { type: "target", name: "DNAT" } }, /iptables target DNAT/],
    [
      "a rate limit",
      { limit: { rate: 5, per: "second" } },
      /limit \(passes or stops packets by rate or count\)/,
    ],
    ["a quota", { quota: { val: 10, val_unit: "mbytes" } }, /quota/],
    [
      "an input interface other than lo",
      match({ meta: { key: "iifname" } }, "eth0"),
      /input interface "eth0"/,
    ],
    ["a meta mark", match({ meta: { key: "mark" } }, 1), /match on meta mark/],
    ["a ct mark", match({ ct: { key: "mark" } }, 1), /match on ct mark/],
    ["a fib lookup", match({ fib: { result: "oif", flags: ["saddr", "iif"] } }, false), /match \{"fib"/],
    ["a source port", match({ payload: { protocol: "tcp", field: "sport" } }, 1024), /source port/],
    [
      "a destination address",
      match({ payload: { protocol: "ip", field: "daddr" } }, "192.0.2.10"),
      /destination address/,
    ],
    ["a set the export does not hold", saddr("@gone"), /source in set @gone, which is not in the export/],
    [
      "an operator it does not know",
      match({ payload: { protocol: "ip", field: "saddr" } }, "1.2.3.4", "&"),
      /operator &/,
    ],
    [
      "a queue to user space",
      { queue: { num: 1 } },
      /queue \(the packet goes where the checker does not follow\)/,
    ],
    [
      "a statement it has never seen",
      { frobnicate: {} },
      /frobnicate statement, which the checker does not model/,
    ],
    [
      "a header rewrite",
      { mangle: { key: { payload: { protocol: "tcp", field: "dport" } }, value: 8443 } },
      /rewrites/,
    ],
    [
      "tcp flags that depend on ECN",
      match({ payload: { protocol: "tcp", field: "flags" } }, "syn"),
      /depends on ECN/,
    ],
  ];
  for (const [name, statement, note] of cases) {
    it(`${name}: the sources it touches on 443 are uncertain, and the rule is named`, () => {
      const fw = through(statement);
      expect(admittedOn(fw, 443)).toEqual([]);
      const doubt = uncertainOn(fw, 443);
      expect(doubt.cidrs).toEqual(["173.245.48.0/20"]);
      expect(doubt.causes).toHaveLength(1);
      expect(doubt.causes[0]?.startsWith(`${WHERE}: `)).toBe(true);
      expect(doubt.causes[0]).toMatch(note);
    });
  }

  it("a set the ruleset fills from traffic", () => {
    const set = {
      set: { family: "inet", table: "filter", name: "seen", type: "ipv4_addr", flags: ["timeout"] },
    };
    const update = {
      rule: {
        family: "inet",
        table: "filter",
        chain: "input",
        handle: 9,
        expr: [
          { set: { op: "update", elem: { payload: { protocol: "ip", field: "saddr" } }, set: "@seen" } },
        ],
      },
    };
    const fw = through(saddr("@seen"), [set], [update]);
    expect(uncertainOn(fw, 443)).toEqual({
      cidrs: ["173.245.48.0/20"],
      causes: [
        "nftables[4] (inet filter input handle 2): source in set @seen, which the ruleset fills from traffic",
      ],
    });
  });

  it("a DNAT in a nat prerouting chain makes the port it rewrites unknown for everyone", () => {
    const natChain = {
      chain: {
        family: "ip",
        table: "nat",
        name: "pre",
        type: "nat",
        hook: "prerouting",
        prio: -100,
        policy: "accept",
      },
    };
    const dnat = {
      rule: {
        family: "ip",
        table: "nat",
        chain: "pre",
        handle: 3,
        expr: [dport(443), { dnat: { addr: "10.0.0.2", port: 8443 } }],
      },
    };
    const natTable = { table: { family: "ip", name: "nat", handle: 2 } };
    const fw = parseNftRuleset(
      ruleset("accept", [[dport(22), { drop: null }]], [natTable, natChain], [dnat]),
      { file: "fw.json", ports: [80, 443] },
    );
    expect(admittedOn(fw, 80)).toEqual(["0.0.0.0/0", "::/0"]);
    expect(uncertainOn(fw, 443)).toEqual({
      cidrs: ["0.0.0.0/0"],
      causes: [
        expect.stringMatching(
          /^nftables\[\d+\] \(ip nat pre handle 3\): dnat \(the packet goes where the checker does not follow\)$/,
        ),
      ],
    });
  });

  it("an ingress chain bound to a device applies to that device's traffic only: its drops are uncertain", () => {
    const netdev = { table: { family: "netdev", name: "edge", handle: 3 } };
    const ingress = {
      chain: {
        family: "netdev",
        table: "edge",
        name: "ing",
        type: "filter",
        hook: "ingress",
        prio: 0,
        policy: "accept",
        dev: "eth0",
      },
    };
    const drop = {
      rule: {
        family: "netdev",
        table: "edge",
        chain: "ing",
        handle: 2,
        expr: [saddr({ prefix: { addr: "173.245.48.0", len: 24 } }), { drop: null }],
      },
    };
    const fw = parseNftRuleset(
      ruleset(
        "drop",
        [[dport(443), saddr({ prefix: { addr: "173.245.48.0", len: 20 } }), { accept: null }]],
        [netdev, ingress],
        [drop],
      ),
      { file: "fw.json", ports: [443] },
    );
    expect(admittedOn(fw, 443)).toEqual([
      "173.245.49.0/24",
      "173.245.50.0/23",
      "173.245.52.0/22",
      "173.245.56.0/21",
    ]);
    expect(uncertainOn(fw, 443).cidrs).toEqual(["173.245.48.0/24"]);
    expect(uncertainOn(fw, 443).causes[0]).toMatch(/only traffic through device eth0/);
  });

  it("a notrack rule that may touch the SYN makes ct state matches unknown; one for UDP does not", () => {
    const raw = { table: { family: "inet", name: "raw", handle: 4 } };
    const rawChain = {
      chain: {
        family: "inet",
        table: "raw",
        name: "pre",
        type: "filter",
        hook: "prerouting",
        prio: -300,
        policy: "accept",
      },
    };
    const notrack = (expr: unknown[]) => ({
      rule: { family: "inet", table: "raw", chain: "pre", handle: 2, expr },
    });
    const newOnly = match({ ct: { key: "state" } }, "new");
    const rules = [[dport(443), newOnly, { accept: null }]];
    const udp = parseNftRuleset(
      ruleset(
        "drop",
        rules,
        [raw, rawChain],
        [notrack([match({ payload: { protocol: "udp", field: "dport" } }, 53), { notrack: null }])],
      ),
      { file: "fw.json" },
    );
    expect(admittedOn(udp, 443)).toEqual(["0.0.0.0/0", "::/0"]);
    const tcp = parseNftRuleset(
      ruleset("drop", rules, [raw, rawChain], [notrack([dport(443), { notrack: null }])]),
      {
        file: "fw.json",
      },
    );
    expect(admittedOn(tcp, 443)).toEqual([]);
    expect(uncertainOn(tcp, 443).causes[0]).toMatch(
      /ct state, while nftables\[\d+\] \(inet raw pre handle 2\) marks some traffic untracked/,
    );
  });

  it("an unknown rule whose sources a later rule decides anyway leaves no doubt", () => {
    const fw = parseNftRuleset(
      ruleset("drop", [
        [dport(443), { xt: { type: "match", name: "multiport" } }, { accept: null }],
        [dport(443), { accept: null }],
      ]),
      { file: "fw.json" },
    );
    expect(admittedOn(fw, 443)).toEqual(["0.0.0.0/0", "::/0"]);
    expect(uncertainOn(fw, 443)).toEqual({ cidrs: [], causes: [] });
    expect(fw.unknowns).toHaveLength(1);
  });

  it("a drop behind an unknown match leaves the sources it may drop in doubt", () => {
    const fw = parseNftRuleset(
      ruleset("accept", [
        [
          match({ meta: { key: "iifname" } }, "eth1"),
          saddr({ prefix: { addr: "10.0.0.0", len: 8 } }),
          { drop: null },
        ],
      ]),
      { file: "fw.json" },
    );
    expect(admittedOn(fw, 443)).not.toContain("0.0.0.0/0");
    expect(uncertainOn(fw, 443).cidrs).toEqual(["10.0.0.0/8"]);
  });
});

describe("parseNftRuleset: what it decides exactly about a SYN from Cloudflare", () => {
  const flags = { payload: { protocol: "tcp", field: "flags" } };
  const cases: [string, unknown, "admits" | "drops"][] = [
    ["tcp flags syn (any of them set)", match(flags, "syn", "in"), "admits"],
    [
      "tcp flags & (fin|syn|rst|ack) == syn",
      match({ "&": [flags, ["fin", "syn", "rst", "ack"]] }, "syn"),
      "admits",
    ],
    [
      "tcp flags & (fin|syn|rst|ack) != syn",
      match({ "&": [flags, ["fin", "syn", "rst", "ack"]] }, "syn", "!="),
      "drops",
    ],
    ["tcp flags ack (not a SYN)", match(flags, "ack", "in"), "drops"],
    ["meta pkttype host", match({ meta: { key: "pkttype" } }, "host"), "admits"],
    ["meta pkttype broadcast", match({ meta: { key: "pkttype" } }, "broadcast"), "drops"],
    ["ct direction original", match({ ct: { key: "direction" } }, "original"), "admits"],
    ["ct direction reply", match({ ct: { key: "direction" } }, "reply"), "drops"],
    ["ct state new", match({ ct: { key: "state" } }, "new"), "admits"],
    [
      "ct state established,related",
      match({ ct: { key: "state" } }, ["established", "related"], "in"),
      "drops",
    ],
    ["iifname != lo", match({ meta: { key: "iifname" } }, "lo", "!="), "admits"],
    ["meta l4proto udp", match({ meta: { key: "l4proto" } }, "udp"), "drops"],
    ["an xt comment", { xt: { type: "match", name: "comment" } }, "admits"],
    ["a counter and a log", { counter: { packets: 0, bytes: 0 } }, "admits"],
    ["setting a mark", { mangle: { key: { meta: { key: "mark" } }, value: 1 } }, "admits"],
  ];
  for (const [name, statement, outcome] of cases) {
    it(`${name} ${outcome}, with nothing in doubt`, () => {
      const fw = through(statement);
      expect(uncertainOn(fw, 443)).toEqual({ cidrs: [], causes: [] });
      expect(admittedOn(fw, 443)).toEqual(outcome === "admits" ? ["173.245.48.0/20"] : []);
    });
  }

  it("reads concatenated source . port sets", () => {
    const set = {
      set: {
        family: "inet",
        table: "filter",
        name: "allowed",
        type: ["ipv4_addr", "inet_service"],
        flags: ["interval"],
        elem: [
          { concat: [{ prefix: { addr: "173.245.48.0", len: 20 } }, 443] },
          { concat: [{ prefix: { addr: "103.21.244.0", len: 22 } }, { range: [80, 81] }] },
        ],
      },
    };
    const concat = match(
      {
        concat: [
          { payload: { protocol: "ip", field: "saddr" } },
          { payload: { protocol: "tcp", field: "dport" } },
        ],
      },
      "@allowed",
    );
    const fw = parseNftRuleset(ruleset("drop", [[concat, { accept: null }]], [set]), {
      file: "fw.json",
      ports: [80, 443],
    });
    expect(admittedOn(fw, 443)).toEqual(["173.245.48.0/20"]);
    expect(admittedOn(fw, 80)).toEqual(["103.21.244.0/22"]);
    expect(uncertainOn(fw, 443).cidrs).toEqual([]);
  });

  it("reads a named verdict map", () => {
    const map = {
      map: {
        family: "inet",
        table: "filter",
        name: "ports",
        type: "inet_service",
        map: "verdict",
        elem: [
          [443, { accept: null }],
          [22, { drop: null }],
        ],
      },
    };
    const fw = parseNftRuleset(
      ruleset(
        "drop",
        [[{ vmap: { key: { payload: { protocol: "tcp", field: "dport" } }, data: "@ports" } }]],
        [map],
      ),
      { file: "fw.json" },
    );
    expect(admittedOn(fw, 443)).toEqual(["0.0.0.0/0", "::/0"]);
    expect(admittedOn(fw, 22)).toEqual([]);
  });
});
