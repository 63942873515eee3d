import type { Finding } from "../model/finding.js";
import type { Migration, MigrationSummary, MigrationVerdict } from "../model/migration.js";
import type { MigrationParity } from "./parity.js";

/** Firewall rules whose findings about the new origin are part of its readiness. */
const FIREWALL_RULES = new Set(["allowlist-missing-ranges", "allowlist-exposed", "firewall-enforcement"]);

/** hostname -> the migrations that move it (a hostname moves in at most one per zone). */
type HostIndex = ReadonlyMap<string, readonly Migration[]>;

function indexHostnames(migrations: readonly Migration[]): HostIndex {
  const index = new Map<string, Migration[]>();
  for (const m of migrations)
    for (const h of m.hostnames) index.set(h.hostname, [...(index.get(h.hostname) ?? []), m]);
  return index;
}

/** The migration a finding from another rule is about, if any (pure). */
function migrationOf(f: Finding, migrations: readonly Migration[], hosts: HostIndex): string | undefined {
  if (f.rule.startsWith("origin-") && f.subject.hostname !== undefined) {
    return hosts
      .get(f.subject.hostname)
      ?.find((m) => f.subject.zone === undefined || f.subject.zone === m.zone)?.id;
  }
  if (FIREWALL_RULES.has(f.rule)) return migrations.find((m) => aboutNewOrigin(f, m))?.id;
  return undefined;
}

/** Whether a firewall finding is about the origin `m` moves to. */
function aboutNewOrigin(f: Finding, m: Migration): boolean {
  return (
    FIREWALL_RULES.has(f.rule) &&
    m.to.origin !== undefined &&
    f.evidence.origin === m.to.origin &&
    (f.subject.zone === undefined || f.subject.zone === m.zone)
  );
}

/**
 * Tie the findings of the origin probes (which probe the desired state: the new origin) and of the
 * firewall rules (about the new origin) to the migration they decide, so reports can show a
 * migration with everything that blocks it. Findings the migration rules made keep their tag.
 */
export function tagMigrationFindings(
  findings: readonly Finding[],
  migrations: readonly Migration[],
): Finding[] {
  if (migrations.length === 0) return [...findings];
  const hosts = indexHostnames(migrations);
  return findings.map((f) => {
    if (f.migration !== undefined) return f;
    const id = migrationOf(f, migrations, hosts);
    return id === undefined ? f : { ...f, migration: id };
  });
}

/** Each migration with its verdict and the counts of the findings about it (pure). */
export function summarizeMigrations(
  parities: readonly MigrationParity[],
  findings: readonly Finding[],
): MigrationSummary[] {
  const byMigration = new Map<string, Finding[]>();
  const firewall: Finding[] = [];
  for (const f of findings) {
    if (f.acknowledged !== undefined) continue;
    if (FIREWALL_RULES.has(f.rule)) firewall.push(f);
    if (f.migration === undefined) continue;
    const list = byMigration.get(f.migration) ?? [];
    list.push(f);
    byMigration.set(f.migration, list);
  }
  return parities.map(({ migration, probed }) => {
    // A finding carries one migration id; the new origin's firewall decides every migration to it.
    const shared = firewall.filter((f) => f.migration !== migration.id && aboutNewOrigin(f, migration));
    const mine = [...(byMigration.get(migration.id) ?? []), ...shared];
    const checks = {
      failed: mine.filter((f) => f.status === "fail").length,
      warnings: mine.filter((f) => f.status === "warn").length,
      unknown: mine.filter((f) => f.status === "unknown").length,
      passed: mine.filter((f) => f.status === "pass").length,
    };
    let verdict: MigrationVerdict = "ready";
    if (mine.some((f) => f.blocking)) verdict = "blocked";
    else if (!probed) verdict = "not-probed";
    else if (checks.unknown > 0 || checks.passed === 0) verdict = "unverified";
    return {
      id: migration.id,
      zone: migration.zone,
      from: migration.from,
      to: migration.to,
      hostnames: migration.hostnames.map((h) => ({ hostname: h.hostname, reasons: h.reasons })),
      verdict,
      checks,
    };
  });
}
