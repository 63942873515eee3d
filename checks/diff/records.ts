import type { FieldChange, RecordChange } from "../model/change.js";
import type { DnsRecord } from "../model/record.js";
import { isUnresolved } from "../model/value.js";
import {
  effectiveProxied,
  effectiveTtl,
  isManagedByCloudflare,
  normalizeComment,
  normalizeContent,
  normalizeName,
  normalizeTags,
} from "./cloudflare-normalize.js";

/**
 * Desired against live DNS records of one zone: the changes the code would make, ordered all deletes,
 * then all creates, then all updates (octoDNS's plan order), each group sorted by fqdn, type and
 * content. Records are matched by (fqdn, type); within a name and type, records with equal content
 * pair first, the rest pair up as updates in content order, and what is left over is created or
 * deleted. Read-only, Cloudflare-managed live records are ignored. A desired value that is a
 * Terraform reference is never guessed: the change carries the Unresolved value and lists the field
 * in `unresolved`. Linear in the number of records apart from the final sort.
 */
export function diffRecords(
  zone: string,
  desired: readonly DnsRecord[],
  live: readonly DnsRecord[],
): RecordChange[] {
  const desiredGroups = group(desired, false);
  const liveGroups = group(live, true);
  const changes: Prepared[] = [];
  for (const [type, byName] of desiredGroups) {
    const liveByName = liveGroups.get(type);
    for (const [fqdn, wanted] of byName) {
      const found = liveByName?.get(fqdn);
      pairGroup(zone, asList(wanted), found === undefined ? [] : asList(found), changes);
      liveByName?.delete(fqdn);
    }
  }
  for (const byName of liveGroups.values()) {
    for (const leftovers of byName.values()) pairGroup(zone, [], asList(leftovers), changes);
  }
  return changes.sort(compareChanges).map((entry) => entry.change);
}

/** One record, or several with the same name and type (an array only when needed: fewer allocations). */
type Group = PreparedRecord | PreparedRecord[];

/** type -> fqdn -> records. Two map levels avoid building a string key per record. */
function group(records: readonly DnsRecord[], skipManaged: boolean): Map<string, Map<string, Group>> {
  const groups = new Map<string, Map<string, Group>>();
  for (const record of records) {
    if (skipManaged && isManagedByCloudflare(record)) continue;
    const prepared = prepare(record);
    let byName = groups.get(prepared.type);
    if (byName === undefined) {
      byName = new Map();
      groups.set(prepared.type, byName);
    }
    const existing = byName.get(prepared.fqdn);
    if (existing === undefined) byName.set(prepared.fqdn, prepared);
    else if (Array.isArray(existing)) existing.push(prepared);
    else byName.set(prepared.fqdn, [existing, prepared]);
  }
  return groups;
}

function asList(group: Group): readonly PreparedRecord[] {
  return Array.isArray(group) ? group : [group];
}

interface PreparedRecord {
  readonly record: DnsRecord;
  readonly fqdn: string;
  readonly type: string;
  /** See `contentOf`; null until computed. */
  normalized: string | undefined | null;
}

interface Prepared {
  readonly rank: number;
  readonly sortFqdn: string;
  readonly sortType: string;
  readonly sortContent: string;
  readonly change: RecordChange;
}

const ACTION_RANK = { delete: 0, create: 1, update: 2 } as const;

/** Sorts after every real content, so unresolved contents come last and in a stable order. */
const UNRESOLVED_SORT_PREFIX = "\uffff";

function prepare(record: DnsRecord): PreparedRecord {
  const fqdn = normalizeName(record.fqdn);
  const type = record.type.toUpperCase();
  return { record, fqdn, type, normalized: null };
}

/**
 * Normalised content, or undefined when the desired content is a Terraform reference. Computed on
 * first use: most records pair one to one with a live record of identical raw content, and parsing
 * every IPv6 address would dominate the run time.
 */
function contentOf(prepared: PreparedRecord): string | undefined {
  if (prepared.normalized === null) {
    const raw = prepared.record.content;
    prepared.normalized = isUnresolved(raw) ? undefined : normalizeContent(prepared.type, raw);
  }
  return prepared.normalized;
}

function sortContentOf(prepared: PreparedRecord): string {
  const raw = prepared.record.content;
  return contentOf(prepared) ?? `${UNRESOLVED_SORT_PREFIX}${isUnresolved(raw) ? raw.unresolved : ""}`;
}

function pairGroup(
  zone: string,
  desired: readonly PreparedRecord[],
  live: readonly PreparedRecord[],
  out: Prepared[],
): void {
  const [onlyDesired] = desired;
  const [onlyLive] = live;
  if (desired.length === 1 && live.length === 1 && onlyDesired && onlyLive) {
    // The common case (one record per name and type): no maps to build.
    emitUpdateIfDifferent(zone, onlyDesired, onlyLive, out);
    return;
  }
  const liveByContent = new Map<string, PreparedRecord[]>();
  for (const record of live) {
    const key = sortContentOf(record);
    const list = liveByContent.get(key);
    if (list) list.push(record);
    else liveByContent.set(key, [record]);
  }
  const unpairedDesired: PreparedRecord[] = [];
  for (const wanted of desired) {
    const candidates = contentOf(wanted) === undefined ? undefined : liveByContent.get(contentOf(wanted)!);
    const match = candidates?.shift();
    if (match) emitUpdateIfDifferent(zone, wanted, match, out);
    else unpairedDesired.push(wanted);
  }
  const unpairedLive: PreparedRecord[] = [];
  for (const list of liveByContent.values()) unpairedLive.push(...list);
  unpairedDesired.sort(bySortContent);
  unpairedLive.sort(bySortContent);
  const paired = Math.min(unpairedDesired.length, unpairedLive.length);
  for (let i = 0; i < paired; i++) emitUpdateIfDifferent(zone, unpairedDesired[i]!, unpairedLive[i]!, out);
  for (const wanted of unpairedDesired.slice(paired)) {
    const unresolvedFields = unresolvedFieldsOf(wanted.record);
    out.push(
      entry("create", wanted, {
        action: "create",
        zone,
        fqdn: wanted.fqdn,
        type: wanted.type,
        desired: wanted.record,
        fields: [],
        ...(unresolvedFields.length > 0 ? { unresolved: unresolvedFields } : {}),
      }),
    );
  }
  for (const stale of unpairedLive.slice(paired)) {
    out.push(
      entry("delete", stale, {
        action: "delete",
        zone,
        fqdn: stale.fqdn,
        type: stale.type,
        live: stale.record,
        fields: [],
      }),
    );
  }
}

function emitUpdateIfDifferent(zone: string, wanted: PreparedRecord, found: PreparedRecord, out: Prepared[]) {
  const fields = fieldChanges(wanted, found);
  if (fields.length === 0) return;
  const unresolvedFields = fields.filter((field) => isUnresolved(field.to)).map((field) => field.field);
  out.push(
    entry("update", wanted, {
      action: "update",
      zone,
      fqdn: wanted.fqdn,
      type: wanted.type,
      desired: wanted.record,
      live: found.record,
      fields,
      ...(unresolvedFields.length > 0 ? { unresolved: unresolvedFields } : {}),
    }),
  );
}

/** The field-level differences between a desired record and the live record it was paired with. */
function fieldChanges(wanted: PreparedRecord, found: PreparedRecord): FieldChange[] {
  const d = wanted.record;
  const l = found.record;
  const type = wanted.type;
  const fields: FieldChange[] = [];
  const sameRaw = typeof d.content === "string" && d.content === l.content;
  if (!sameRaw && (contentOf(wanted) === undefined || contentOf(wanted) !== contentOf(found))) {
    fields.push({ field: "content", from: l.content, to: d.content });
  }
  const desiredProxied = effectiveProxied(type, d.proxied);
  const liveProxied = effectiveProxied(type, l.proxied);
  if (isUnresolved(desiredProxied) || desiredProxied !== liveProxied) {
    fields.push({ field: "proxied", from: l.proxied, to: d.proxied });
  }
  const desiredTtl = effectiveTtl(type, d.proxied, d.ttl);
  const liveTtl = effectiveTtl(type, l.proxied, l.ttl);
  if (isUnresolved(desiredTtl) || desiredTtl !== liveTtl) {
    fields.push({ field: "ttl", from: liveTtl, to: desiredTtl });
  }
  if (d.priority !== undefined && d.priority !== l.priority) {
    fields.push({ field: "priority", from: l.priority, to: d.priority });
  }
  if (d.comment !== undefined && normalizeComment(d.comment) !== normalizeComment(l.comment)) {
    fields.push({ field: "comment", from: l.comment, to: d.comment });
  }
  if (d.tags !== undefined) {
    const desiredTags = normalizeTags(d.tags);
    const liveTags = normalizeTags(l.tags);
    if (desiredTags.join("\u0000") !== liveTags.join("\u0000")) {
      fields.push({ field: "tags", from: l.tags ?? [], to: d.tags });
    }
  }
  return fields;
}

function unresolvedFieldsOf(record: DnsRecord): FieldChange["field"][] {
  const fields: FieldChange["field"][] = [];
  if (isUnresolved(record.content)) fields.push("content");
  if (isUnresolved(record.proxied)) fields.push("proxied");
  if (isUnresolved(effectiveTtl(record.type, record.proxied, record.ttl))) fields.push("ttl");
  return fields;
}

function entry(action: RecordChange["action"], record: PreparedRecord, change: RecordChange): Prepared {
  return {
    rank: ACTION_RANK[action],
    sortFqdn: record.fqdn,
    sortType: record.type,
    sortContent: sortContentOf(record),
    change,
  };
}

function bySortContent(a: PreparedRecord, b: PreparedRecord): number {
  return compareStrings(sortContentOf(a), sortContentOf(b));
}

function compareChanges(a: Prepared, b: Prepared): number {
  return (
    a.rank - b.rank ||
    compareStrings(a.sortFqdn, b.sortFqdn) ||
    compareStrings(a.sortType, b.sortType) ||
    compareStrings(a.sortContent, b.sortContent)
  );
}

/** Code-unit order: stable across locales and much faster than localeCompare. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
