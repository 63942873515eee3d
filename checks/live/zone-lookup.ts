import { normalizeFqdn } from "../model/record.js";
import { mapPool } from "../pool.js";
import { ApiAnswerError } from "./answer-error.js";
import { apiText } from "./api-text.js";
import { READ_DEFAULTS, ZONES_PAGE_SIZE } from "./limits.js";
import { pageProblem, planProblem } from "./page-info.js";
import { type ReadPolicy, verifyError, withRetries } from "./retry.js";
import { type PageInfo, pageInfoSchema, parseAnswer, zonePageSchema } from "./schemas.js";
import type { ReadSdk } from "./sdk.js";
import { resolveZone, type Zone, type ZoneRequest } from "./zone.js";

/**
 * From how many zones on the reader lists the token's zones (`GET /zones?per_page=50`) instead of
 * looking each one up: one page names 50 zones, so from two zones on a listing costs no more than
 * the lookups it replaces, unless the token sees many pages of zones (then see `resolveZones`).
 */
export const ZONE_LISTING_MIN_ZONES = 2;

interface ZonesPage {
  readonly info: PageInfo;
  readonly zones: readonly Zone[];
}

/** The zone a request names, if `zone` is it (by id, else by name). */
function matches(request: ZoneRequest, zone: Zone): boolean {
  if (request.id) return zone.id === request.id;
  return request.name !== undefined && normalizeFqdn(zone.name) === normalizeFqdn(request.name);
}

/**
 * Find the requested zones with as few requests as the account allows: one listing of the token's
 * zones, page by page, as long as the pages still to read are no more than the zones still to find;
 * whatever the listing did not find (a zone past the pages worth reading, or one that moved between
 * pages while the list changed) is looked up on its own, which also reports a zone that does not
 * exist exactly as a single lookup does. The zones come back in the order asked.
 */
export async function resolveZones(
  sdk: ReadSdk,
  requests: readonly ZoneRequest[],
  policy: ReadPolicy,
  concurrency: number = READ_DEFAULTS.concurrency,
): Promise<Zone[]> {
  const found: (Zone | undefined)[] = requests.map(() => undefined);
  if (requests.length >= ZONE_LISTING_MIN_ZONES) {
    const endpoint = "/zones";
    const target = { kind: "zone", what: "the zones the API token can see", endpoint } as const;
    const fetchPage = (page: number) =>
      withRetries(target, policy, async (): Promise<ZonesPage> => {
        const answer = await sdk.zones.list({ per_page: ZONES_PAGE_SIZE, page });
        const info = parseAnswer(pageInfoSchema, answer.result_info, endpoint, "result_info");
        return { info, zones: parseAnswer(zonePageSchema, answer.result, endpoint, "result") };
      });
    const unusable = (problem: string) =>
      verifyError(policy, `could not read ${target.what}: ${new ApiAnswerError(endpoint, problem).message}`);
    const first = await fetchPage(1);
    const plan = planProblem(first.info);
    if (plan) throw unusable(plan);
    // The requests by id and by normalised name: each listed zone is matched with one lookup.
    const byKey = new Map<string, number[]>();
    requests.forEach((request, i) => {
      const key = request.id
        ? `id:${request.id}`
        : request.name !== undefined
          ? `name:${normalizeFqdn(request.name)}`
          : "";
      if (!key) return;
      const list = byKey.get(key);
      if (list) list.push(i);
      else byKey.set(key, [i]);
    });
    const lastPage = Math.max(1, first.info.total_pages);
    // The read planned one page for every 50 zones asked for; pages past those are announced.
    const plannedPages = Math.ceil(requests.length / ZONES_PAGE_SIZE);
    let seen = 0;
    for (let page = 1, current = first; ; page++) {
      if (current.info.total_count !== first.info.total_count) break; // the list changed: look the rest up
      const problem = pageProblem(current.info, first.info, page, current.zones.length, seen);
      if (problem) throw unusable(problem);
      seen += current.zones.length;
      for (const zone of current.zones) {
        for (const key of [`id:${zone.id}`, `name:${normalizeFqdn(zone.name)}`])
          for (const i of byKey.get(key) ?? []) {
            if (found[i] === undefined && matches(requests[i]!, zone)) found[i] = zone;
          }
      }
      const missing = found.filter((z) => z === undefined).length;
      if (missing === 0 || page >= lastPage || lastPage - page > missing) break;
      if (page + 1 > plannedPages) policy.ledger?.expect(1);
      current = await fetchPage(page + 1);
    }
  }
  const rest = found.flatMap((zone, i) => (zone === undefined ? [i] : []));
  // One zone alone was planned as one lookup; after a listing, each lookup is one more request.
  if (requests.length >= ZONE_LISTING_MIN_ZONES) policy.ledger?.expect(rest.length);
  const looked = await mapPool(rest, concurrency, (i) => resolveZone(sdk, requests[i]!, policy));
  rest.forEach((i, n) => {
    found[i] = looked[n];
  });
  return requests.map((request, i) => {
    const zone = found[i]!;
    if (request.id && request.name && normalizeFqdn(zone.name) !== normalizeFqdn(request.name)) {
      throw verifyError(
        policy,
        `zone id ${request.id} is ${apiText(zone.name, policy.token)}, not ${request.name} as the code says`,
      );
    }
    return zone;
  });
}
