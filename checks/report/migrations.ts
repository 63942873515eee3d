import type { Finding } from "../model/finding.js";
import type {
  MigrationEndpoint,
  MigrationReason,
  MigrationSummary,
  MigrationVerdict,
} from "../model/migration.js";
import type { Report } from "./report.js";

/** The words every reporter uses for a migration's verdict. */
const VERDICT_WORD: Readonly<Record<MigrationVerdict, string>> = {
  ready: "READY",
  blocked: "BLOCKED",
  unverified: "UNVERIFIED",
  "not-probed": "NOT PROBED",
};

const REASON_WORD: Readonly<Record<MigrationReason, string>> = {
  address: "address",
  "cname-target": "CNAME target",
  "origin-port": "origin port",
  "origin-host": "origin host",
  "ssl-mode": "SSL mode",
};

/** "READY", "BLOCKED", "UNVERIFIED" or "NOT PROBED". */
export function verdictWord(verdict: MigrationVerdict): string {
  return VERDICT_WORD[verdict];
}

/**
 * The level a CI system shows a migration at: a blocked one is an error, one that could not be
 * verified (or was not probed) a warning, a ready one a note.
 */
export function migrationLevel(verdict: MigrationVerdict): "error" | "warning" | "note" {
  if (verdict === "blocked") return "error";
  if (verdict === "ready") return "note";
  return "warning";
}

/**
 * One side of a migration as one label: `old (198.18.1.2, 2001:2::2) port 443 https`. The SSL mode
 * is added (`, SSL strict`) when asked, which `routeLabels` does when the two sides differ in it.
 */
export function endpointLabel(endpoint: MigrationEndpoint, options: { sslMode?: boolean } = {}): string {
  const addresses = endpoint.addresses.join(", ");
  const where = endpoint.origin
    ? addresses
      ? `${endpoint.origin} (${addresses})`
      : endpoint.origin
    : addresses || "(no address)";
  const ports =
    endpoint.ports.length === 0
      ? ""
      : ` ${endpoint.ports.length === 1 ? "port" : "ports"} ${endpoint.ports.join(", ")}`;
  const ssl = options.sslMode && endpoint.sslMode ? `, SSL ${endpoint.sslMode}` : "";
  return `${where}${ports} ${endpoint.scheme}${ssl}`;
}

/** Both sides of a migration, naming the SSL mode when that is part of what moves. */
export function routeLabels(migration: MigrationSummary): { readonly from: string; readonly to: string } {
  const sslMode = migration.from.sslMode !== migration.to.sslMode;
  return {
    from: endpointLabel(migration.from, { sslMode }),
    to: endpointLabel(migration.to, { sslMode }),
  };
}

/** `www.example.com (address, origin port)`. */
export function movingHostnameLabel(moving: MigrationSummary["hostnames"][number]): string {
  const reasons = moving.reasons.map((r) => REASON_WORD[r]).join(", ");
  return reasons ? `${moving.hostname} (${reasons})` : moving.hostname;
}

/** Every moving hostname with its reasons, comma-separated. */
export function hostnamesLabel(migration: MigrationSummary): string {
  return migration.hostnames.map(movingHostnameLabel).join(", ");
}

/** `1 failed, 0 warning(s), 0 unknown, 4 passed`. */
export function checksLabel(migration: MigrationSummary): string {
  const c = migration.checks;
  return `${c.failed} failed, ${c.warnings} warning(s), ${c.unknown} unknown, ${c.passed} passed`;
}

/** One sentence for annotations and test cases: verdict, hostnames, route and counts. */
export function migrationSentence(migration: MigrationSummary): string {
  const route = routeLabels(migration);
  const hosts = migration.hostnames.map((h) => h.hostname).join(", ");
  return `${verdictWord(migration.verdict)}: ${hosts || "no hostnames"} from ${route.from} to ${route.to}; ${checksLabel(migration)}`;
}

/**
 * The findings that explain a migration's verdict: unacknowledged findings carrying its id that
 * block, fail or could not be verified, in the report's order.
 */
export function migrationFindings(report: Report, id: string): Finding[] {
  return report.findings.filter(
    (f) =>
      f.migration === id && !f.acknowledged && (f.blocking || f.status === "fail" || f.status === "unknown"),
  );
}
