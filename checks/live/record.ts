import type { RecordResponse } from "cloudflare/resources/dns/records";
import type { Building } from "../model/mutable.js";
import { type DnsRecord, isRecordType, normalizeFqdn, TTL_AUTO } from "../model/record.js";

/** Fields some API versions send on a record that the SDK's type does not declare. */
interface ReadOnlyMarkers {
  readonly read_only?: boolean;
  readonly locked?: boolean;
  readonly meta?: { readonly read_only?: boolean; readonly managed_by_apps?: boolean };
}

function priorityOf(record: RecordResponse): number | undefined {
  if (record.type === "MX" || record.type === "URI") return record.priority;
  if (record.type === "SRV") return record.data?.priority;
  return undefined;
}

/** The model's content: MX and SRV carry their target only (priority apart); others the API's content. */
function contentOf(record: RecordResponse): string {
  if (record.type === "SRV")
    return normalizeFqdn(record.data?.target ?? record.content?.split(/\s+/).at(-1) ?? "");
  if (record.type === "MX") return normalizeFqdn(record.content ?? "");
  if (record.type === "CNAME" || record.type === "NS" || record.type === "PTR") {
    return normalizeFqdn(record.content ?? "");
  }
  if (record.content !== undefined) return record.content;
  const data = "data" in record ? (record.data as Record<string, unknown> | undefined) : undefined;
  return data ? Object.values(data).map(String).join(" ") : "";
}

/**
 * One record of the API as the shared `DnsRecord` (DNSControl's adapter): FQDN lower-case without
 * the trailing dot, `ttl: 1` kept as "auto", read-only when the API marks it so. `undefined` for a
 * type the model does not know.
 */
export function toDnsRecord(record: RecordResponse): DnsRecord | undefined {
  if (!isRecordType(record.type)) return undefined;
  const markers = record as unknown as ReadOnlyMarkers;
  const readOnly = markers.read_only === true || markers.locked === true || markers.meta?.read_only === true;
  const proxied = record.proxied ?? false;
  const priority = priorityOf(record);
  const tags = record.tags ?? [];
  const out: Building<DnsRecord> = {
    id: record.id,
    fqdn: normalizeFqdn(record.name),
    type: record.type,
    content: contentOf(record),
    proxied,
    // A proxied record's TTL is always automatic (checked 2026-11-21).
    ttl: proxied ? TTL_AUTO : record.ttl,
    readOnly,
  };
  if (priority !== undefined) out.priority = priority;
  if (record.comment) out.comment = record.comment;
  if (tags.length > 0) out.tags = tags;
  return out;
}
