import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { CORPUS_DIR, corpus } from "./corpus.js";

/** Every fixture of the corpus follows test/fixtures/real/expectations.schema.json. */
describe("the corpus fixtures", () => {
  const schema = JSON.parse(readFileSync(join(CORPUS_DIR, "expectations.schema.json"), "utf8"));
  const validate = new Ajv2020({ allErrors: true }).compile(schema);

  it.each(
    corpus().map((f) => [f.slug] as const),
  )("%s/fixture.json follows the expectations schema", (slug) => {
    const fixture = JSON.parse(readFileSync(join(CORPUS_DIR, slug, "fixture.json"), "utf8"));
    validate(fixture);
    expect(validate.errors ?? []).toEqual([]);
  });

  it("rejects a fixture that breaks the schema (the check can fail)", () => {
    const fixture = JSON.parse(readFileSync(join(CORPUS_DIR, "danacr-dns", "fixture.json"), "utf8"));
    expect(validate({ ...fixture, kind: "yaml" })).toBe(false);
  });

  it("keeps records by type summing to the total in every expected zone", () => {
    for (const fixture of corpus())
      for (const zone of fixture.expected.zones) {
        const sum = Object.values(zone.records.byType).reduce((a, b) => a + b, 0);
        expect(`${fixture.slug} ${zone.name ?? zone.id}: ${sum}`).toBe(
          `${fixture.slug} ${zone.name ?? zone.id}: ${zone.records.total}`,
        );
      }
  });
});
