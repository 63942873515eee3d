import { describe, expect, it } from "vitest";
import { compareFixture, corpus, readFixture } from "./corpus.js";

/**
 * Real public Cloudflare configurations (test/fixtures/real, each pinned to a repository commit)
 * with expectations written by hand from the source: what the reader must find in each, and what
 * it must list as unknown instead of guessing.
 */
const fixtures = corpus();

describe("the corpus of real configurations", () => {
  it("holds at least 20 configurations, each pinned to a commit", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
    for (const f of fixtures) expect(f.source.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it.each(
    fixtures.map((f) => [f.slug, f] as const),
  )("reads %s as its expectations say", async (_slug, fixture) => {
    const inputs = await readFixture(fixture);
    expect(compareFixture(fixture, inputs)).toEqual([]);
  });

  it("notices when a reading differs from the expectation (the comparison can fail)", async () => {
    const fixture = fixtures.find((f) => f.slug === "jtalk-me")!;
    const inputs = await readFixture(fixture);
    const [first, ...rest] = fixture.expected.zones;
    const wrong = {
      ...fixture,
      expected: {
        ...fixture.expected,
        zones: [
          { ...first!, records: { total: 10, byType: { ...first!.records.byType, A: 2 } }, sslMode: "full" },
          ...rest,
        ],
        unresolved: [
          ...fixture.expected.unresolved,
          { address: "cloudflare_record.nowhere", attribute: "value" },
        ],
      },
    };
    expect(compareFixture(wrong, inputs)).toEqual([
      "jtalk.uk: records 9, expected 10",
      "jtalk.uk: A records 1, expected 2",
      'jtalk.uk: sslMode "strict", expected "full"',
      "not listed as unresolved: cloudflare_record.nowhere value",
    ]);
  });
});
