import type { Migration, MigrationEndpoint, MigrationReason, MovingHostname } from "../model/migration.js";
import { type DnsRecord, normalizeFqdn } from "../model/record.js";
import { describeValue } from "../model/value.js";
import type { ConnectToMapping } from "../probe/connect-to.js";
import { buildProbePlan, type ProbePlanZone } from "../probe/plan.js";
import type { ProbeTarget } from "../probe/result.js";
import { targetAddress } from "../probe/result.js";

/** One zone as it is (live) and as the code wants it (desired), ready for planning. */
export interface MigrationZoneInput {
  readonly name: string;
  /** The live zone, with the declared origins (so old addresses get their declared names). */
  readonly live: ProbePlanZone;
  readonly desired: ProbePlanZone;
}

/** Where a target connects, as one comparable key. */
function targetKey(target: ProbeTarget): string {
  return `${targetAddress(target)}|${target.port}|${target.scheme}`;
}

function byHostname(targets: readonly ProbeTarget[]): Map<string, ProbeTarget[]> {
  const out = new Map<string, ProbeTarget[]>();
  for (const target of targets) {
    const list = out.get(target.hostname) ?? [];
    list.push(target);
    out.set(target.hostname, list);
  }
  return out;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((x) => right.has(x));
}

/** The routing records' contents of a hostname, per type (what a DNS change moves). */
function contents(records: readonly DnsRecord[], hostname: string, type: string): string[] {
  return records
    .filter((r) => r.type === type && normalizeFqdn(r.fqdn) === hostname)
    .map((r) => describeValue(r.content).trim().toLowerCase().replace(/\.$/, ""));
}

function reasonsFor(
  zone: MigrationZoneInput,
  hostname: string,
  old: readonly ProbeTarget[],
  next: readonly ProbeTarget[],
): MigrationReason[] {
  const reasons: MigrationReason[] = [];
  const sslChanged = zone.live.sslMode !== zone.desired.sslMode;
  const recordsMoved = (type: string): boolean =>
    !sameSet(contents(zone.live.records, hostname, type), contents(zone.desired.records, hostname, type));
  if (recordsMoved("A") || recordsMoved("AAAA")) reasons.push("address");
  if (recordsMoved("CNAME")) reasons.push("cname-target");
  const oldPorts = old.map((t) => t.port);
  const newPorts = next.map((t) => t.port);
  const portMoved = !sameSet(oldPorts.map(String), newPorts.map(String));
  if (portMoved && (!sslChanged || hasRulePort(old) || hasRulePort(next))) reasons.push("origin-port");
  if (sslChanged) reasons.push("ssl-mode");
  const oldAddresses = old.map(targetAddress);
  const newAddresses = next.map(targetAddress);
  if (
    !reasons.includes("address") &&
    !reasons.includes("cname-target") &&
    !sameSet(oldAddresses, newAddresses)
  )
    reasons.push("origin-host");
  return reasons.length > 0 ? reasons : ["address"];
}

/** Whether a target's port came from an origin rule rather than the SSL mode's default. */
function hasRulePort(targets: readonly ProbeTarget[]): boolean {
  return targets.some((t) => t.port !== (t.scheme === "https" ? 443 : 80));
}

function endpointOf(targets: readonly ProbeTarget[]): MigrationEndpoint {
  const names = new Set(targets.map((t) => t.originName));
  const single = names.size === 1 ? [...names][0] : undefined;
  const schemes = new Set(targets.map((t) => t.scheme));
  return {
    ...(single !== undefined ? { origin: single } : {}),
    addresses: [...new Set(targets.map(targetAddress))].sort(),
    ports: [...new Set(targets.map((t) => t.port))].sort((a, b) => a - b),
    scheme: schemes.size === 1 ? [...schemes][0]! : "mixed",
    ...(targets[0]?.sslMode !== undefined ? { sslMode: targets[0].sslMode } : {}),
  };
}

function endpointKey(endpoint: MigrationEndpoint): string {
  return `${endpoint.origin ?? ""}|${endpoint.addresses.join(",")}|${endpoint.ports.join(",")}|${endpoint.scheme}|${endpoint.sslMode ?? ""}`;
}

function endpointLabel(endpoint: MigrationEndpoint): string {
  return endpoint.origin ?? endpoint.addresses.join(", ");
}

/** `zone: old -> new`, with port, scheme and SSL mode added when the names alone do not differ. */
export function migrationId(zone: string, from: MigrationEndpoint, to: MigrationEndpoint): string {
  let left = endpointLabel(from);
  let right = endpointLabel(to);
  if (left === right) {
    left += ` (${from.scheme} ${from.ports.join(",")}, ${from.sslMode ?? "?"})`;
    right += ` (${to.scheme} ${to.ports.join(",")}, ${to.sslMode ?? "?"})`;
  }
  return `${zone}: ${left} -> ${right}`;
}

/**
 * The host migrations a change makes (pure): hostnames Cloudflare proxies both now and after the
 * deploy whose connections differ (address, CNAME target, origin-rule port or host, SSL mode),
 * grouped by old and new endpoint. The probe plan decides the connections on both sides, so the
 * rules that route a request (SSL mode, origin rules, `--connect-to`) are applied exactly once.
 * Hostnames that appear or disappear are not migrations: they have no old or no new origin.
 */
export function detectMigrations(
  zones: readonly MigrationZoneInput[],
  connectTo: readonly ConnectToMapping[] = [],
): Migration[] {
  const out: Migration[] = [];
  for (const zone of zones) {
    const oldByName = byHostname(buildProbePlan({ zones: [zone.live], connectTo }));
    const newByName = byHostname(buildProbePlan({ zones: [zone.desired], connectTo }));
    const groups = new Map<
      string,
      { from: MigrationEndpoint; to: MigrationEndpoint; hosts: MovingHostname[] }
    >();
    for (const [hostname, next] of newByName) {
      const old = oldByName.get(hostname);
      if (old === undefined) continue;
      const sslChanged = zone.live.sslMode !== zone.desired.sslMode;
      if (!sslChanged && sameSet(old.map(targetKey), next.map(targetKey))) continue;
      const from = endpointOf(old);
      const to = endpointOf(next);
      const key = `${endpointKey(from)}>${endpointKey(to)}`;
      const group = groups.get(key) ?? { from, to, hosts: [] };
      group.hosts.push({ hostname, reasons: reasonsFor(zone, hostname, old, next), old, new: next });
      groups.set(key, group);
    }
    for (const { from, to, hosts } of groups.values()) {
      const base = migrationId(zone.name, from, to);
      let id = base;
      for (let n = 2; out.some((m) => m.id === id); n++) id = `${base} #${n}`;
      out.push({
        id,
        zone: zone.name,
        from,
        to,
        hostnames: hosts.sort((a, b) => a.hostname.localeCompare(b.hostname)),
      });
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
