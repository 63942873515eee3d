import type { RecordResponse, RecordResponsesV4PagePaginationArray } from "cloudflare/resources/dns/records";
import type { DnsRecord } from "../model/record.js";
import { ApiAnswerError } from "./answer-error.js";
import { apiText } from "./api-text.js";
import { READ_DEFAULTS } from "./limits.js";
import { pageProblem, planProblem } from "./page-info.js";
import { toDnsRecord } from "./record.js";
import { type ReadPolicy, verifyError, withRetries } from "./retry.js";
import {
  dnsRecordSchema,
  isDnsRecordShape,
  type PageInfo,
  pageInfoSchema,
  parseAnswer,
  parseAnswerList,
} from "./schemas.js";
import type { ReadSdk } from "./sdk.js";

/** A page of records whose `result` and `result_info` have the shape the reader relies on. */
interface CheckedPage {
  readonly page: RecordResponsesV4PagePaginationArray;
  readonly info: PageInfo;
  readonly records: readonly RecordResponse[];
}

type Snapshot =
  | { readonly ok: true; readonly records: DnsRecord[] }
  | { readonly ok: false; readonly why: string };

async function readOnce(
  sdk: ReadSdk,
  zone: { readonly id: string; readonly name: string },
  pageSize: number,
  policy: ReadPolicy,
): Promise<Snapshot> {
  const endpoint = `/zones/${zone.id}/dns_records`;
  const target = { kind: "dnsRecords", what: `DNS records of zone ${zone.name}`, endpoint } as const;
  const fetchPage = (request: () => Promise<RecordResponsesV4PagePaginationArray>) =>
    withRetries(target, policy, async (): Promise<CheckedPage> => {
      const page = await request();
      const info = parseAnswer(pageInfoSchema, page.result_info, endpoint, "result_info");
      const records = parseAnswerList(dnsRecordSchema, page.result, endpoint, "result", isDnsRecordShape);
      return { page, info, records: records as unknown as RecordResponse[] };
    });
  const unusable = (problem: string) =>
    verifyError(policy, `could not read ${target.what}: ${new ApiAnswerError(endpoint, problem).message}`);

  let current = await fetchPage(() => sdk.dns.records.list({ zone_id: zone.id, per_page: pageSize }));
  const first = current.info;
  const plan = planProblem(first);
  if (plan) throw unusable(plan);
  const lastPage = Math.max(1, first.total_pages);
  policy.ledger?.expect(lastPage - 1);
  // Each page becomes the shared model as it arrives, so the API's own objects of a page are
  // garbage once the next page is asked for.
  const records: DnsRecord[] = [];
  const seen = new Set<string>();
  let read = 0;
  for (let expected = 1; ; expected++) {
    const { info } = current;
    if (info.total_count !== first.total_count) {
      return {
        ok: false,
        why: `the record count went from ${first.total_count} to ${info.total_count} between pages`,
      };
    }
    const problem = pageProblem(info, first, expected, current.records.length, read);
    if (problem) throw unusable(problem);
    const page = current.records;
    // By index: a for-of over 100,000 records makes an iterator result for each.
    for (let i = 0; i < page.length; i++) {
      const record = page[i]!;
      if (seen.has(record.id))
        return { ok: false, why: `record ${apiText(record.id, policy.token)} appeared on two pages` };
      seen.add(record.id);
      const model = toDnsRecord(record);
      // A type the model does not know (one Cloudflare adds later) cannot be compared or checked
      // beside the other records of its name: the read fails closed rather than leave it out.
      if (!model)
        throw unusable(
          `record ${apiText(record.id, policy.token)} has type ${JSON.stringify(apiText(record.type, policy.token))}, which cf-preflight does not model`,
        );
      records.push(model);
    }
    read += current.records.length;
    if (info.page >= lastPage) break;
    const previous = current.page;
    current = await fetchPage(() => previous.getNextPage());
  }
  return { ok: true, records };
}

/**
 * Every DNS record of a zone as the shared model (`toDnsRecord`), with the largest page the API accepts, following `total_pages` and
 * holding every page to what the first one promised (`page-info.ts`). A zone that changes between
 * pages (its count moves, a record shows up twice) is read again; if it keeps changing the read
 * fails rather than return a wrong snapshot. An answer that does not add up fails at once.
 */
export async function readDnsRecords(
  sdk: ReadSdk,
  zone: { readonly id: string; readonly name: string },
  pageSize: number,
  policy: ReadPolicy,
  attempts: number = READ_DEFAULTS.snapshotAttempts,
): Promise<DnsRecord[]> {
  let why = "";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) policy.ledger?.expect(1);
    const snapshot = await readOnce(sdk, zone, pageSize, policy);
    if (snapshot.ok) return snapshot.records;
    why = snapshot.why;
    policy.onProgress?.(`DNS records of zone ${zone.name} changed while being read (${why}); reading again`);
  }
  throw verifyError(
    policy,
    `the DNS records of zone ${zone.name} (GET /zones/${zone.id}/dns_records) kept changing while being read (${attempts} attempts; last: ${why})`,
    "Run again when nobody is editing the zone.",
  );
}
