import { describe, expect, it } from "vitest";
import type { Finding } from "../../checks/model/finding.js";
import { sortFindings } from "../../checks/report/build.js";

/** Findings are ordered as `localeCompare` orders their subjects, plain names without ICU. */
describe("sortFindings", () => {
  it("orders plain names exactly as localeCompare does, and anything else by localeCompare", () => {
    const chars = "abz09.-:_A";
    let seed = 11;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const name = () => Array.from({ length: next() % 7 }, () => chars[next() % chars.length]).join("");
    const findings: Finding[] = Array.from({ length: 3_000 }, () => ({
      rule: "origin-tcp",
      status: "fail",
      blocking: true,
      predicts: "521",
      subject: { zone: name(), hostname: name(), address: name() },
      message: "m",
      evidence: {},
      fix: "f",
    }));
    const byLocale = [...findings].sort(
      (a, b) =>
        (a.subject.zone ?? "").localeCompare(b.subject.zone ?? "") ||
        (a.subject.hostname ?? "").localeCompare(b.subject.hostname ?? "") ||
        (a.subject.address ?? "").localeCompare(b.subject.address ?? ""),
    );
    expect(sortFindings(findings)).toEqual(byLocale);
  });
});
