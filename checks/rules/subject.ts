import { pairZones } from "../diff/drift.js";
import { groupBy } from "../group-by.js";
import type { RecordChange } from "../model/change.js";
import type { Subject } from "../model/finding.js";
import { type DnsRecord, normalizeFqdn } from "../model/record.js";
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

/**
 * The records of names that hold more than one record, grouped by name in the order the names first
 * appear: what the rules about names shared by several records look at. Names with one record (most
 * of a large zone) get no list; the groups are found once per list of records and kept with it.
 */
export function sharedNames(records: readonly DnsRecord[]): readonly (readonly DnsRecord[])[] {
  let shared = SHARED.get(records);
  if (shared === undefined) {
    const byName = new Map<string, DnsRecord | DnsRecord[]>();
    const groups: DnsRecord[][] = [];
    // By index: a for-of over a zone of 100,000 records makes an iterator result for each.
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      const existing = byName.get(record.fqdn);
      if (existing === undefined) byName.set(record.fqdn, record);
      else if (Array.isArray(existing)) existing.push(record);
      else {
        const group = [existing, record];
        byName.set(record.fqdn, group);
        groups.push(group);
      }
    }
    shared = groups;
    SHARED.set(records, shared);
  }
  return shared;
}

const SHARED = new WeakMap<readonly DnsRecord[], readonly (readonly DnsRecord[])[]>();

/** Each desired zone with its live zone, and the record changes the deploy would make (live runs). */
export function zonesWithChanges(
  context: RuleContext,
): { desired: DesiredZone; live: LiveZone; changes: readonly RecordChange[] }[] {
  if (!context.live) return [];
  const byZone = changesByZone(context.drift?.dns ?? []);
  return pairZones(context.desired.zones, context.live.zones).pairs.map((p) => ({
    ...p,
    changes: byZone.get(normalizeFqdn(p.live.name)) ?? [],
  }));
}

/**
 * The changes of each zone, by its normalised name: each zone is handed its own changes, not
 * every zone's (which made the rules over an account quadratic: zones times changes).
 */
function changesByZone(changes: readonly RecordChange[]): ReadonlyMap<string, readonly RecordChange[]> {
  let byZone = CHANGES_BY_ZONE.get(changes);
  if (byZone === undefined) {
    byZone = groupBy(changes, (change) => normalizeFqdn(change.zone));
    CHANGES_BY_ZONE.set(changes, byZone);
  }
  return byZone;
}

const CHANGES_BY_ZONE = new WeakMap<readonly RecordChange[], ReadonlyMap<string, readonly RecordChange[]>>();
