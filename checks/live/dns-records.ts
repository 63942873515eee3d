import type Cloudflare from "cloudflare";
import type { RecordResponse, RecordResponsesV4PagePaginationArray } from "cloudflare/resources/dns/records";
import { READ_DEFAULTS } from "./limits.js";
import { type ReadPolicy, verifyError, withRetries } from "./retry.js";

/** The `result_info` fields the API sends on page-number lists (the SDK types only two of them). */
interface PageInfo {
  readonly page?: number;
  readonly per_page?: number;
  readonly count?: number;
  readonly total_count?: number;
  readonly total_pages?: number;
}

function infoOf(page: RecordResponsesV4PagePaginationArray): PageInfo {
  return page.result_info as PageInfo;
}

/**
 * Whether to ask for another page. With `total_pages` the reader stops at the last page; without it
 * it falls back to the SDK's way (ask until a page comes back empty).
 */
function hasMore(page: RecordResponsesV4PagePaginationArray): boolean {
  const info = infoOf(page);
  if (typeof info.total_pages === "number" && typeof info.page === "number")
    return info.page < info.total_pages;
  return page.hasNextPage();
}

type Snapshot =
  | { readonly ok: true; readonly records: RecordResponse[] }
  | { readonly ok: false; readonly why: string };

async function readOnce(
  sdk: Cloudflare,
  zoneId: string,
  zoneName: string,
  pageSize: number,
  policy: ReadPolicy,
): Promise<Snapshot> {
  const target = { kind: "dnsRecords", what: `DNS records of zone ${zoneName}` } as const;
  let page = await withRetries(target, policy, () =>
    sdk.dns.records.list({ zone_id: zoneId, per_page: pageSize }),
  );
  const total = infoOf(page).total_count;
  const records: RecordResponse[] = [];
  const seen = new Set<string>();
  for (;;) {
    const info = infoOf(page);
    if (info.total_count !== total) {
      return { ok: false, why: `the record count went from ${total} to ${info.total_count} between pages` };
    }
    for (const record of page.result) {
      if (seen.has(record.id)) return { ok: false, why: `record ${record.id} appeared on two pages` };
      seen.add(record.id);
      records.push(record);
    }
    if (!hasMore(page)) break;
    const previous = page;
    page = await withRetries(target, policy, () => previous.getNextPage());
  }
  if (total !== undefined && records.length !== total) {
    return { ok: false, why: `read ${records.length} records where the API counted ${total}` };
  }
  return { ok: true, records };
}

/**
 * Every DNS record of a zone, with the largest page the API accepts. A zone that changes between
 * pages (its count moves, a record shows up twice, the total does not add up) is read again; if it
 * keeps changing the read fails rather than return a wrong snapshot.
 */
export async function readDnsRecords(
  sdk: Cloudflare,
  zone: { readonly id: string; readonly name: string },
  pageSize: number,
  policy: ReadPolicy,
  attempts: number = READ_DEFAULTS.snapshotAttempts,
): Promise<RecordResponse[]> {
  let why = "";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const snapshot = await readOnce(sdk, zone.id, zone.name, pageSize, policy);
    if (snapshot.ok) return snapshot.records;
    why = snapshot.why;
    policy.onProgress?.(`DNS records of zone ${zone.name} changed while being read (${why}); reading again`);
  }
  throw verifyError(
    policy,
    `the DNS records of zone ${zone.name} kept changing while being read (${attempts} attempts; last: ${why})`,
    "Run again when nobody is editing the zone.",
  );
}
