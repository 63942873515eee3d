import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { readDesiredSources } from "../../checks/desired/read.js";
import type { InputsSummary, InputZoneSummary } from "../../checks/model/zone.js";

/** The corpus of real public configurations in test/fixtures/real (see its README). */
export const CORPUS_DIR = join(import.meta.dirname, "..", "fixtures", "real");

export interface ExpectedZone {
  readonly name: string | null;
  readonly id: string | null;
  readonly records: { readonly total: number; readonly byType: Readonly<Record<string, number>> };
  readonly sslMode: string | null;
  readonly originRules: number;
  readonly configRules: number;
  readonly pageRules: number;
  readonly tunnels: number;
  readonly authenticatedOriginPulls?: boolean;
}

export interface Fixture {
  readonly slug: string;
  readonly source: { readonly repository: string; readonly commit: string };
  readonly kind: string;
  readonly provider: string;
  readonly input: string;
  /** The repository root for get_repo_root(): read from a copy that is a git repository. */
  readonly gitRoot?: string;
  readonly expected: {
    readonly zones: readonly ExpectedZone[];
    readonly recordsUnknown: number;
    readonly unresolved: readonly { readonly address: string; readonly attribute: string }[];
    readonly resourcesNotUnderstood: readonly string[];
  };
}

export function corpus(): Fixture[] {
  return readdirSync(CORPUS_DIR)
    .filter((slug) => statSync(join(CORPUS_DIR, slug)).isDirectory())
    .sort()
    .map((slug) => ({ slug, ...JSON.parse(readFileSync(join(CORPUS_DIR, slug, "fixture.json"), "utf8")) }));
}

const RECORD_TYPES = new Set(["cloudflare_record", "cloudflare_dns_record"]);

/** Whether an unresolved address is a record resource (any instance of it). */
function isRecordAddress(address: string): boolean {
  const parts = address.replace(/\[[^\]]*\]/g, "").split(".");
  return parts.some((p) => RECORD_TYPES.has(p));
}

/** The address as a pattern: an expectation's address matches with or without instance keys. */
function sameAddress(expected: string, actual: string): boolean {
  return actual === expected || actual.replace(/\[[^\]]*\]$/, "") === expected.replace(/\[[^\]]*\]$/, "");
}

/** Differences between what the reader found and what the fixture expects (empty: read right). */
export function compareFixture(fixture: Fixture, inputs: InputsSummary): string[] {
  const problems: string[] = [];
  const actual = [...inputs.zones];
  for (const want of fixture.expected.zones) {
    const index = actual.findIndex(
      (z) =>
        (want.name !== null && z.name === want.name) ||
        (want.name === null && want.id !== null && z.id === want.id) ||
        (want.name === null && want.id === null && z.name === null && z.id === null),
    );
    if (index < 0) {
      // A zone known only through resources whose instances are unknown has no facts to show.
      const empty =
        want.name === null &&
        want.id === null &&
        want.records.total === 0 &&
        want.sslMode === null &&
        want.originRules + want.configRules + want.pageRules === 0;
      if (!empty) problems.push(`zone ${want.name ?? want.id ?? "(unnamed)"} not found`);
      continue;
    }
    const got = actual.splice(index, 1)[0]!;
    compareZone(want, got, problems);
  }
  for (const extra of actual)
    if (extra.records.total > 0 || extra.sslMode !== null)
      problems.push(
        `unexpected zone ${extra.name ?? extra.id ?? "(unnamed)"} with ${extra.records.total} records`,
      );
  const recordsUnknown = new Set(
    inputs.unresolved
      .filter((u) => (u.attribute === "for_each" || u.attribute === "count") && isRecordAddress(u.address))
      .map((u) => u.address),
  ).size;
  if (recordsUnknown !== fixture.expected.recordsUnknown)
    problems.push(`recordsUnknown ${recordsUnknown}, expected ${fixture.expected.recordsUnknown}`);
  for (const want of fixture.expected.unresolved) {
    const found = inputs.unresolved.some(
      (u) =>
        sameAddress(want.address, u.address) &&
        (u.attribute === want.attribute ||
          u.attribute.startsWith(`${want.attribute}.`) ||
          u.attribute.startsWith(`${want.attribute}[`)),
    );
    if (!found) problems.push(`not listed as unresolved: ${want.address} ${want.attribute}`);
  }
  for (const address of fixture.expected.resourcesNotUnderstood) {
    if (!inputs.unresolved.some((u) => sameAddress(address, u.address) && u.attribute === "(resource)"))
      problems.push(`not listed as not understood: ${address}`);
  }
  return problems;
}

function compareZone(want: ExpectedZone, got: InputZoneSummary, problems: string[]): void {
  const label = want.name ?? want.id ?? "(unnamed)";
  const check = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b))
      problems.push(`${label}: ${what} ${JSON.stringify(a)}, expected ${JSON.stringify(b)}`);
  };
  check("records", got.records.total, want.records.total);
  const types = new Set([...Object.keys(got.records.byType), ...Object.keys(want.records.byType)]);
  for (const t of types) check(`${t} records`, got.records.byType[t] ?? 0, want.records.byType[t] ?? 0);
  check("sslMode", got.sslMode, want.sslMode);
  if (want.id !== null) check("id", got.id, want.id);
  check("originRules", got.originRules, want.originRules);
  check("configRules", got.configRules, want.configRules);
  check("pageRules", got.pageRules, want.pageRules);
  check("tunnels", got.tunnels, want.tunnels);
}

/**
 * Read one fixture the way `check --synth` does. A fixture with `gitRoot` is read from a copy of
 * that folder made a git repository (`git init`), as its checkout would be: inside this repository
 * git would answer this repository's root.
 */
export async function readFixture(fixture: Fixture): Promise<InputsSummary> {
  const folder = join(CORPUS_DIR, fixture.slug);
  if (fixture.gitRoot === undefined) {
    const desired = await readDesiredSources({ synth: join(folder, fixture.input) });
    return desired.inputs!;
  }
  const checkout = mkdtempSync(join(tmpdir(), `cfpl-corpus-${fixture.slug}-`));
  try {
    cpSync(join(folder, fixture.gitRoot), checkout, { recursive: true });
    execFileSync("git", ["init", "--quiet"], { cwd: checkout, stdio: "ignore" });
    const input = join(checkout, relative(join(folder, fixture.gitRoot), join(folder, fixture.input)));
    const desired = await readDesiredSources({ synth: input });
    return desired.inputs!;
  } finally {
    rmSync(checkout, { recursive: true, force: true });
  }
}
