import { describe, expect, it } from "vitest";
import { mergeClass, vantageDependentRules } from "../../checks/merge/classify.js";
import { mergeFindings, type VantageFindings } from "../../checks/merge/merge-findings.js";
import type { Finding } from "../../checks/model/finding.js";
import type { AddressFamily } from "../../checks/model/vantage.js";
import { acknowledgementUnused } from "../../checks/rules/acknowledgements.js";
import { changeThreshold } from "../../checks/rules/change-threshold.js";
import { originExposed, originHttp, originTcp } from "../../checks/rules/origin-probe-rules.js";
import { catalogue } from "../../checks/rules/registry.js";
import { finding } from "../../checks/rules/rule.js";

const WWW = {
  zone: "example.com",
  hostname: "www.example.com",
  type: "A",
  address: "203.0.113.10",
  port: 443,
};
const V6 = {
  zone: "example.com",
  hostname: "www.example.com",
  type: "AAAA",
  address: "2001:db8::10",
  port: 443,
};

function timedOut(subject = WWW, vantage = "x"): Finding {
  return finding(
    originTcp,
    "fail",
    subject,
    `https://www.example.com via ${subject.address}:443: 522 (timed out)`,
    {
      phase: "tcp",
      code: "ETIMEDOUT",
      seenFrom: vantage,
    },
  );
}
function unreachable(subject = WWW): Finding {
  return finding(
    originTcp,
    "fail",
    subject,
    "523 (no route)",
    { phase: "tcp", code: "ENETUNREACH" },
    {
      predicts: "523",
    },
  );
}
function passed(subject = WWW, vantage = "x"): Finding {
  return finding(
    originHttp,
    "pass",
    subject,
    "HTTP 200 in 12 ms",
    { phase: "http", httpStatus: 200, seenFrom: vantage },
    {
      predicts: null,
    },
  );
}

function report(
  vantage: string,
  findings: Finding[],
  options: { shard?: number; families?: AddressFamily[]; probed?: boolean } = {},
): VantageFindings {
  return {
    who: `${vantage} ${options.shard ?? 1}/1`,
    vantage,
    families: options.families ?? ["ipv4", "ipv6"],
    probed: options.probed ?? true,
    findings,
  };
}

describe("merging findings from many vantages", () => {
  it("turns a failure from some vantages into one blocking finding with each vantage's evidence", () => {
    const merged = mergeFindings([
      report("fra", [timedOut(WWW, "fra")]),
      report("iad", [passed(WWW, "iad")]),
      report("sin", [timedOut(WWW, "sin")]),
      report("lon", [passed(WWW, "lon")]),
      report("nyc", [passed(WWW, "nyc")]),
    ]);
    expect(merged.findings).toHaveLength(1);
    const [f] = merged.findings;
    expect(f).toMatchObject({
      rule: "origin-tcp",
      status: "fail",
      blocking: true,
      predicts: "522",
      subject: WWW,
    });
    expect(f!.message).toMatch(
      /^522 from 2 of 5 vantages \(fra, sin\); passed from 3 of 5 vantages \(iad, lon, nyc\)\. fra: https:\/\/www/,
    );
    const vantages = f!.evidence.byVantage as Record<
      string,
      { status: string; message: string; evidence?: { seenFrom: string } }
    >;
    expect(Object.keys(vantages)).toEqual(["fra", "iad", "lon", "nyc", "sin"]);
    // Each failing vantage's own evidence; of the passes, the first by name in full, the others' messages.
    expect(vantages.fra!.evidence!.seenFrom).toBe("fra");
    expect(vantages.sin!.evidence!.seenFrom).toBe("sin");
    expect(vantages.iad).toMatchObject({ status: "pass", evidence: { seenFrom: "iad" } });
    expect(vantages.lon).toEqual({
      rule: "origin-http",
      status: "pass",
      predicts: null,
      message: "HTTP 200 in 12 ms",
    });
    expect(f!.evidence.vantages).toEqual(["fra", "iad", "lon", "nyc", "sin"]);
  });

  it("keeps the error of a target failing from every vantage, saying so", () => {
    const merged = mergeFindings([report("fra", [timedOut()]), report("sin", [timedOut()])]);
    expect(merged.findings).toHaveLength(1);
    expect(merged.findings[0]).toMatchObject({
      rule: "origin-tcp",
      status: "fail",
      blocking: true,
      predicts: "522",
    });
    expect(merged.findings[0]!.message).toContain("(the same from all 2 vantages)");
  });

  it("names every answer when vantages fail differently, the worst first", () => {
    const merged = mergeFindings([
      report("fra", [timedOut()]),
      report("sin", [unreachable()]),
      report("iad", [unreachable()]),
    ]);
    expect(merged.findings[0]!.predicts).toBe("523");
    expect(merged.findings[0]!.message).toMatch(
      /^523 from 2 of 3 vantages \(iad, sin\); 522 from 1 of 3 vantages \(fra\)\./,
    );
  });

  it("makes a partial failure a warning under --partial warn, and only a partial one", () => {
    const partial = mergeFindings([report("fra", [timedOut()]), report("sin", [passed()])], {
      partial: "warn",
    });
    expect(partial.findings[0]).toMatchObject({ status: "warn", blocking: false, predicts: "522" });
    const everywhere = mergeFindings([report("fra", [timedOut()]), report("sin", [timedOut()])], {
      partial: "warn",
    });
    expect(everywhere.findings[0]).toMatchObject({ status: "fail", blocking: true });
  });

  it("does not count a failure to reach IPv6 from a vantage without IPv6 when another vantage has it", () => {
    const merged = mergeFindings([
      report("fra", [passed(V6)], { families: ["ipv4", "ipv6"] }),
      report("gha", [unreachable(V6)], { families: ["ipv4"] }),
    ]);
    expect(merged.findings[0]).toMatchObject({ rule: "origin-http", status: "pass", blocking: false });
    expect(merged.findings[0]!.message).toContain("not judged from gha (no IPv6 route there)");
    // With no vantage able to use IPv6, the failure stands: nothing else can judge it.
    const none = mergeFindings([
      report("gha", [unreachable(V6)], { families: ["ipv4"] }),
      report("gcp", [unreachable(V6)], { families: ["ipv4"] }),
    ]);
    expect(none.findings[0]).toMatchObject({ status: "fail", blocking: true, predicts: "523" });
    // IPv4 targets are judged from both.
    const v4 = mergeFindings([
      report("fra", [passed()], { families: ["ipv4", "ipv6"] }),
      report("gha", [timedOut()], { families: ["ipv4"] }),
    ]);
    expect(v4.findings[0]).toMatchObject({ status: "fail", blocking: true });
  });

  it("judges the family by the address the probe connected to (after --connect-to)", () => {
    const mapped = (f: Finding): Finding => ({
      ...f,
      evidence: { ...f.evidence, connectedTo: "127.0.0.1:8080" },
    });
    const merged = mergeFindings([
      report("fra", [mapped(passed(V6))], { families: ["ipv4", "ipv6"] }),
      report("gha", [mapped(timedOut(V6))], { families: ["ipv4"] }),
    ]);
    // Connected over IPv4 from both: gha's failure counts.
    expect(merged.findings[0]).toMatchObject({ status: "fail", blocking: true, predicts: "522" });
    expect(merged.findings[0]!.message).not.toContain("not judged");
  });

  it("gives the same merged finding whatever order the reports come in", () => {
    const a = [
      report("sin", [passed(WWW, "sin")]),
      report("fra", [passed(WWW, "fra")]),
      report("iad", [timedOut()]),
    ];
    const forward = mergeFindings(a);
    const backward = mergeFindings([...a].reverse());
    expect(backward).toEqual(forward);
    const agree = mergeFindings([report("sin", [passed(WWW, "sin")]), report("fra", [passed(WWW, "fra")])]);
    expect(agree.findings[0]!.evidence.seenFrom).toBe("fra");
    expect(agree.findings[0]!.message).toBe("HTTP 200 in 12 ms (the same from all 2 vantages)");
  });

  it("keeps an acknowledged failure acknowledged and not blocking", () => {
    const acked = { ...timedOut(), blocking: false, acknowledged: { reason: "retiring the host, OPS-7" } };
    const merged = mergeFindings([report("fra", [acked]), report("sin", [passed()])]);
    expect(merged.findings[0]).toMatchObject({
      rule: "origin-tcp",
      blocking: false,
      acknowledged: acked.acknowledged,
    });
    expect(merged.findings[0]!.message).toMatch(/^522 \(acknowledged\) from 1 of 2 vantages \(fra\); passed/);
  });

  it("reports an exposure seen from some vantages of the target with the others", () => {
    const exposed = finding(
      originExposed,
      "warn",
      WWW,
      "origin accepted a connection from outside its allowlist",
    );
    const merged = mergeFindings([report("fra", [passed(), exposed]), report("sin", [passed()])]);
    const e = merged.findings.find((f) => f.rule === "origin-exposed")!;
    expect(e.status).toBe("warn");
    expect(e.message).toMatch(
      /^exposed from 1 of 2 vantages \(fra\); not reported from 1 of 2 vantages \(sin\)\./,
    );
  });

  it("passes the findings of one vantage's shards through unchanged", () => {
    const other = { ...WWW, hostname: "api.example.com" };
    const a = [timedOut(WWW)];
    const b = [passed(other)];
    const merged = mergeFindings([report("fra", a, { shard: 1 }), report("fra", b, { shard: 2 })]);
    expect(merged.findings).toEqual([...a, ...b]);
    expect(merged.disagreements).toEqual([]);
  });

  it("keeps an unused acknowledgement only when no report used it", () => {
    const unused = finding(
      acknowledgementUnused,
      "warn",
      { zone: "example.com", hostname: "www.example.com" },
      "unused",
    );
    const usedSomewhere = mergeFindings([report("fra", [unused]), report("fra", [], { shard: 2 })]);
    expect(usedSomewhere.findings).toEqual([]);
    expect(usedSomewhere.disagreements).toEqual([]);
    const usedNowhere = mergeFindings([report("fra", [unused]), report("sin", [unused])]);
    expect(usedNowhere.findings).toEqual([unused]);
  });

  it("keeps static findings once, ignoring the checkout path, and reports those that differ", () => {
    const here = finding(
      changeThreshold,
      "fail",
      { zone: "example.com", file: "/home/runner/work/a/main.tf.json" },
      "41% of records change",
    );
    const there = { ...here, subject: { ...here.subject, file: "/opt/runner/_work/a/main.tf.json" } };
    const same = mergeFindings([report("fra", [here]), report("sin", [there])]);
    expect(same.findings).toEqual([here]);
    expect(same.disagreements).toEqual([]);

    const differ = mergeFindings([report("fra", [here]), report("sin", [])]);
    expect(differ.findings).toHaveLength(1);
    expect(differ.findings[0]).toMatchObject({ rule: "change-threshold", blocking: true });
    expect(differ.findings[0]!.evidence.merge).toEqual({ seenIn: ["fra 1/1"], missingFrom: ["sin 1/1"] });
    expect(differ.disagreements).toHaveLength(1);
  });
});

describe("which findings depend on where the probes ran", () => {
  it("places every rule that needs probes among them", () => {
    const dependent = new Set(vantageDependentRules());
    for (const rule of catalogue()) {
      if (rule.needs.includes("probes")) expect(dependent.has(rule.id), rule.id).toBe(true);
      expect(["target", "exposure", "vantage", "every-report", "shared"]).toContain(mergeClass(rule.id));
    }
    for (const id of dependent)
      expect(
        catalogue().some((r) => r.id === id),
        id,
      ).toBe(true);
    expect(mergeClass("origin-tcp")).toBe("target");
    expect(mergeClass("change-threshold")).toBe("shared");
  });
});
