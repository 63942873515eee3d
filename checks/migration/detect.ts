import type { Migration, MigrationEndpoint, MigrationReason, MovingHostname } from "../model/migration.js";
import { type DnsRecord, normalizeFqdn } from "../model/record.js";
import { defaultOriginPort } from "../model/ssl-mode.js";
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

/** hostname -> type -> the routing records' contents (what a DNS change moves), built once per zone. */
type ContentIndex = Map<string, Map<string, string[]>>;

function indexContents(records: readonly DnsRecord[]): ContentIndex {
  const index: ContentIndex = new Map();
  for (const r of records) {
    if (r.type !== "A" && r.type !== "AAAA" && r.type !== "CNAME") continue;
    const name = normalizeFqdn(r.fqdn);
    let byType = index.get(name);
    if (byType === undefined) {
      byType = new Map();
      index.set(name, byType);
    }
    const list = byType.get(r.type) ?? [];
    list.push(describeValue(r.content).trim().toLowerCase().replace(/\.$/, ""));
    byType.set(r.type, list);
  }
  return index;
}

function sameContents(a: Map<string, string[]> | undefined, b: Map<string, string[]> | undefined): boolean {
  for (const type of ["A", "AAAA", "CNAME"])
    if (!sameSet(a?.get(type) ?? [], b?.get(type) ?? [])) return false;
  return true;
}

function rulesKey(rules: ProbePlanZone["originRules"]): string {
  return JSON.stringify(rules.map((r) => [r.expression, r.port, r.host, r.enabled]));
}

/**
 * The hostnames that can move: with the same SSL mode and origin rules on both sides, only those
 * whose A/AAAA/CNAME contents differ; otherwise (undefined) every hostname. Planning only these
 * keeps detection linear and small on zones of 100,000 records where a handful move.
 */
function candidates(
  zone: MigrationZoneInput,
  index: { readonly live: ContentIndex; readonly desired: ContentIndex },
): Set<string> | undefined {
  if (zone.live.sslMode !== zone.desired.sslMode) return undefined;
  if (rulesKey(zone.live.originRules) !== rulesKey(zone.desired.originRules)) return undefined;
  const names = new Set<string>();
  for (const [name, byType] of index.desired)
    if (!sameContents(byType, index.live.get(name))) names.add(name);
  return names;
}

function only(zone: ProbePlanZone, names: Set<string> | undefined): ProbePlanZone {
  if (names === undefined) return zone;
  return { ...zone, records: zone.records.filter((r) => names.has(normalizeFqdn(r.fqdn))) };
}

function reasonsFor(
  zone: MigrationZoneInput,
  index: { readonly live: ContentIndex; readonly desired: ContentIndex },
  hostname: string,
  old: readonly ProbeTarget[],
  next: readonly ProbeTarget[],
): MigrationReason[] {
  const reasons: MigrationReason[] = [];
  const sslChanged = zone.live.sslMode !== zone.desired.sslMode;
  const recordsMoved = (type: string): boolean =>
    !sameSet(index.live.get(hostname)?.get(type) ?? [], index.desired.get(hostname)?.get(type) ?? []);
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
  return targets.some((t) => t.port !== defaultOriginPort(t.sslMode ?? "strict"));
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
  const ids = new Set<string>();
  for (const zone of zones) {
    const index = { live: indexContents(zone.live.records), desired: indexContents(zone.desired.records) };
    const names = candidates(zone, index);
    if (names !== undefined && names.size === 0) continue;
    const oldByName = byHostname(buildProbePlan({ zones: [only(zone.live, names)], connectTo }));
    const newByName = byHostname(buildProbePlan({ zones: [only(zone.desired, names)], connectTo }));
    const groups = new Map<
      string,
      { from: MigrationEndpoint; to: MigrationEndpoint; hosts: MovingHostname[] }
    >();
    const sslChanged = zone.live.sslMode !== zone.desired.sslMode;
    for (const [hostname, next] of newByName) {
      const old = oldByName.get(hostname);
      if (old === undefined) continue;
      if (!sslChanged && sameSet(old.map(targetKey), next.map(targetKey))) continue;
      const from = endpointOf(old);
      const to = endpointOf(next);
      const key = `${endpointKey(from)}>${endpointKey(to)}`;
      const group = groups.get(key) ?? { from, to, hosts: [] };
      group.hosts.push({ hostname, reasons: reasonsFor(zone, index, hostname, old, next), old, new: next });
      groups.set(key, group);
    }
    for (const { from, to, hosts } of groups.values()) {
      const base = migrationId(zone.name, from, to);
      let id = base;
      for (let n = 2; ids.has(id); n++) id = `${base} #${n}`;
      ids.add(id);
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
