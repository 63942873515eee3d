import { pairZones } from "../diff/drift.js";
import type { RecordChange } from "../model/change.js";
import type { Subject } from "../model/finding.js";
import type { DnsRecord } from "../model/record.js";
import type { SourceRef } from "../model/source.js";
import type { SslMode } from "../model/ssl-mode.js";
import { describeValue, isUnresolved, known } from "../model/value.js";
import type { DesiredZone, LiveZone } from "../model/zone.js";
import type { RuleContext } from "./rule.js";

/** The zone's name for reports: its name, or what stands for it when unresolved. */
export function zoneLabel(zone: DesiredZone): string {
  return known(zone.name) ?? describeValue(zone.name);
}

/** Where in code a source points. */
export function codeLocation(source: SourceRef | undefined): Partial<Subject> {
  if (!source) return {};
  return {
    file: source.file,
    ...(source.address ? { terraformAddress: source.address } : {}),
    ...(source.constructPath ? { constructPath: source.constructPath } : {}),
  };
}

export function recordSubject(zone: DesiredZone, record: DnsRecord): Subject {
  const content = known(record.content);
  const isAddress = record.type === "A" || record.type === "AAAA";
  return {
    zone: zoneLabel(zone),
    hostname: record.fqdn,
    type: record.type,
    ...(isAddress && content !== undefined ? { address: content } : {}),
    ...codeLocation(record.source),
  };
}

/** A record's evidence: the values as declared. */
export function recordEvidence(record: DnsRecord): Record<string, unknown> {
  return {
    type: record.type,
    content: describeValue(record.content),
    proxied: describeValue(record.proxied),
    ttl: describeValue(record.ttl),
  };
}

/** Records that will be proxied: `proxied: true` (an unresolved value is not known to be). */
export function isProxied(record: DnsRecord): boolean {
  return record.proxied === true;
}

/**
 * The SSL mode a zone will have: the one the code sets, else the live zone's. `undefined` when
 * neither is known (an unresolved expression, or `--no-live` and the code does not set it).
 */
export function effectiveSslMode(context: RuleContext, zone: DesiredZone): SslMode | undefined {
  if (zone.sslMode !== undefined) return isUnresolved(zone.sslMode) ? undefined : zone.sslMode;
  const name = known(zone.name);
  return context.live?.zones.find((z) => z.name === name)?.sslMode;
}

/** Group records by fqdn, keeping declaration order. */
export function recordsByName(records: readonly DnsRecord[]): ReadonlyMap<string, readonly DnsRecord[]> {
  let byName = BY_NAME.get(records);
  if (byName === undefined) {
    const built = new Map<string, DnsRecord[]>();
    for (const record of records) {
      const list = built.get(record.fqdn);
      if (list) list.push(record);
      else built.set(record.fqdn, [record]);
    }
    byName = built;
    BY_NAME.set(records, byName);
  }
  return byName;
}

/** Several rules group a zone's records by name: each list of records is grouped once. */
const BY_NAME = new WeakMap<readonly DnsRecord[], ReadonlyMap<string, readonly DnsRecord[]>>();

/** Each desired zone with its live zone, and the record changes the deploy would make (live runs). */
export function zonesWithChanges(
  context: RuleContext,
): { desired: DesiredZone; live: LiveZone; changes: readonly RecordChange[] }[] {
  if (!context.live) return [];
  const changes = context.drift?.dns ?? [];
  return pairZones(context.desired.zones, context.live.zones).pairs.map((p) => ({ ...p, changes }));
}
