import type { FieldChange, RecordChange } from "../model/change.js";
import { type DnsRecord, isRecordType } from "../model/record.js";
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
  const norm = new Normalized();
  const slots = new Map<string, Map<string, Slot>>();
  addToSlots(slots, desired, false);
  addToSlots(slots, live, true);
  const changes: Prepared[] = [];
  // forEach, not for-of over entries: that allocates a [key, value] pair for every record.
  slots.forEach((byName) => {
    byName.forEach(({ desired: wanted, live: found }) => {
      // The common case (one record per name and type on both sides) needs no lists.
      if (wanted !== undefined && found !== undefined && !Array.isArray(wanted) && !Array.isArray(found))
        emitUpdateIfDifferent(zone, wanted, found, changes, norm);
      else
        pairGroup(
          zone,
          wanted === undefined ? [] : asList(wanted),
          found === undefined ? [] : asList(found),
          changes,
          norm,
        );
    });
  });
  return changes.sort(compareChanges).map((entry) => entry.change);
}

/** One record, or several with the same name and type (an array only when needed: fewer allocations). */
type Group = DnsRecord | DnsRecord[];

/** The desired and the live records of one normalised name and type (both sides in one map entry). */
interface Slot {
  desired: Group | undefined;
  live: Group | undefined;
}

/**
 * type -> fqdn -> both sides' records, by their normalised name and type: one map for both sides,
 * so a record pairs with its counterpart by one lookup, and each name is hashed once per side. Two
 * map levels avoid building a string key per record; the records themselves are the slot's values
 * (a list only for a name and type held by several records).
 */
function addToSlots(
  slots: Map<string, Map<string, Slot>>,
  records: readonly DnsRecord[],
  isLive: boolean,
): void {
  // By index: a for-of over a zone of 100,000 records makes an iterator result for each.
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (isLive && isManagedByCloudflare(record)) continue;
    const type = typeOf(record);
    const fqdn = normalizeName(record.fqdn);
    let byName = slots.get(type);
    if (byName === undefined) {
      byName = new Map();
      slots.set(type, byName);
    }
    let slot = byName.get(fqdn);
    if (slot === undefined) {
      slot = { desired: undefined, live: undefined };
      byName.set(fqdn, slot);
    }
    const existing = isLive ? slot.live : slot.desired;
    if (Array.isArray(existing)) existing.push(record);
    else {
      const grouped = existing === undefined ? record : [existing, record];
      if (isLive) slot.live = grouped;
      else slot.desired = grouped;
    }
  }
}

function asList(group: Group): readonly DnsRecord[] {
  return Array.isArray(group) ? group : [group];
}

function typeOf(record: DnsRecord): string {
  // The model's types are upper case already: looked up, not converted (the diff asks for every record's).
  const type = record.type;
  return isRecordType(type) ? type : (type as string).toUpperCase();
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

/**
 * Normalised contents, computed on first use and kept for the diff of one zone: most records pair
 * one to one with a live record of identical raw content, and parsing every IPv6 address would
 * dominate the run time. Undefined when the desired content is a Terraform reference.
 */
class Normalized {
  readonly #contents = new Map<DnsRecord, string | undefined>();

  content(record: DnsRecord): string | undefined {
    if (this.#contents.has(record)) return this.#contents.get(record);
    const raw = record.content;
    const value = isUnresolved(raw) ? undefined : normalizeContent(typeOf(record), raw);
    this.#contents.set(record, value);
    return value;
  }

  sortContent(record: DnsRecord): string {
    const raw = record.content;
    return this.content(record) ?? `${UNRESOLVED_SORT_PREFIX}${isUnresolved(raw) ? raw.unresolved : ""}`;
  }
}

function pairGroup(
  zone: string,
  desired: readonly DnsRecord[],
  live: readonly DnsRecord[],
  out: Prepared[],
  norm: Normalized,
): void {
  const [onlyDesired] = desired;
  const [onlyLive] = live;
  if (desired.length === 1 && live.length === 1 && onlyDesired && onlyLive) {
    // The common case (one record per name and type): no maps to build.
    emitUpdateIfDifferent(zone, onlyDesired, onlyLive, out, norm);
    return;
  }
  const liveByContent = new Map<string, DnsRecord[]>();
  for (const record of live) {
    const key = norm.sortContent(record);
    const list = liveByContent.get(key);
    if (list) list.push(record);
    else liveByContent.set(key, [record]);
  }
  const unpairedDesired: DnsRecord[] = [];
  for (const wanted of desired) {
    const content = norm.content(wanted);
    const match = content === undefined ? undefined : liveByContent.get(content)?.shift();
    if (match) emitUpdateIfDifferent(zone, wanted, match, out, norm);
    else unpairedDesired.push(wanted);
  }
  const unpairedLive: DnsRecord[] = [];
  for (const list of liveByContent.values()) unpairedLive.push(...list);
  const bySortContent = (a: DnsRecord, b: DnsRecord) =>
    compareStrings(norm.sortContent(a), norm.sortContent(b));
  unpairedDesired.sort(bySortContent);
  unpairedLive.sort(bySortContent);
  const paired = Math.min(unpairedDesired.length, unpairedLive.length);
  for (let i = 0; i < paired; i++)
    emitUpdateIfDifferent(zone, unpairedDesired[i]!, unpairedLive[i]!, out, norm);
  for (const wanted of unpairedDesired.slice(paired)) {
    const unresolvedFields = unresolvedFieldsOf(wanted);
    out.push(
      entry("create", wanted, norm, {
        action: "create",
        zone,
        fqdn: normalizeName(wanted.fqdn),
        type: typeOf(wanted),
        desired: wanted,
        fields: [],
        ...(unresolvedFields.length > 0 ? { unresolved: unresolvedFields } : {}),
      }),
    );
  }
  for (const stale of unpairedLive.slice(paired)) {
    out.push(
      entry("delete", stale, norm, {
        action: "delete",
        zone,
        fqdn: normalizeName(stale.fqdn),
        type: typeOf(stale),
        live: stale,
        fields: [],
      }),
    );
  }
}

function emitUpdateIfDifferent(
  zone: string,
  wanted: DnsRecord,
  found: DnsRecord,
  out: Prepared[],
  norm: Normalized,
) {
  const fields = fieldChanges(wanted, found, norm);
  if (fields.length === 0) return;
  const unresolvedFields = fields.filter((field) => isUnresolved(field.to)).map((field) => field.field);
  out.push(
    entry("update", wanted, norm, {
      action: "update",
      zone,
      fqdn: normalizeName(wanted.fqdn),
      type: typeOf(wanted),
      desired: wanted,
      live: found,
      fields,
      ...(unresolvedFields.length > 0 ? { unresolved: unresolvedFields } : {}),
    }),
  );
}

/** The field-level differences between a desired record and the live record it was paired with. */
function fieldChanges(d: DnsRecord, l: DnsRecord, norm: Normalized): readonly FieldChange[] {
  const type = typeOf(d);
  // Most pairs differ in nothing: no list is made for them.
  let fields: FieldChange[] | undefined;
  const sameRaw = typeof d.content === "string" && d.content === l.content;
  if (!sameRaw && (norm.content(d) === undefined || norm.content(d) !== norm.content(l))) {
    fields = [{ field: "content", from: l.content, to: d.content }];
  }
  const desiredProxied = effectiveProxied(type, d.proxied);
  const liveProxied = effectiveProxied(type, l.proxied);
  if (isUnresolved(desiredProxied) || desiredProxied !== liveProxied) {
    fields = withChange(fields, { field: "proxied", from: l.proxied, to: d.proxied });
  }
  const desiredTtl = effectiveTtl(type, d.proxied, d.ttl);
  const liveTtl = effectiveTtl(type, l.proxied, l.ttl);
  if (isUnresolved(desiredTtl) || desiredTtl !== liveTtl) {
    fields = withChange(fields, { field: "ttl", from: liveTtl, to: desiredTtl });
  }
  if (d.priority !== undefined && d.priority !== l.priority) {
    fields = withChange(fields, { field: "priority", from: l.priority, to: d.priority });
  }
  if (d.comment !== undefined && normalizeComment(d.comment) !== normalizeComment(l.comment)) {
    fields = withChange(fields, { field: "comment", from: l.comment, to: d.comment });
  }
  if (d.tags !== undefined) {
    const desiredTags = normalizeTags(d.tags);
    const liveTags = normalizeTags(l.tags);
    if (desiredTags.join("\u0000") !== liveTags.join("\u0000")) {
      fields = withChange(fields, { field: "tags", from: l.tags ?? [], to: d.tags });
    }
  }
  return fields ?? NO_FIELDS;
}

const NO_FIELDS: readonly FieldChange[] = Object.freeze([]);

/** `fields` with `change` added: the list is made for the first change. */
function withChange(fields: FieldChange[] | undefined, change: FieldChange): FieldChange[] {
  if (fields === undefined) return [change];
  fields.push(change);
  return fields;
}

function unresolvedFieldsOf(record: DnsRecord): FieldChange["field"][] {
  const fields: FieldChange["field"][] = [];
  if (isUnresolved(record.content)) fields.push("content");
  if (isUnresolved(record.proxied)) fields.push("proxied");
  if (isUnresolved(effectiveTtl(record.type, record.proxied, record.ttl))) fields.push("ttl");
  return fields;
}

function entry(
  action: RecordChange["action"],
  record: DnsRecord,
  norm: Normalized,
  change: RecordChange,
): Prepared {
  return {
    rank: ACTION_RANK[action],
    sortFqdn: change.fqdn,
    sortType: change.type,
    sortContent: norm.sortContent(record),
    change,
  };
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
