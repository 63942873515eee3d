import { normalizeFqdn } from "../model/record.js";
import type { LiveOriginPulls } from "../model/zone.js";
import { ApiAnswerError } from "./answer-error.js";
import { hostnameAssociationSchema, originPullSettingsSchema, tlsClientAuthSchema } from "./edge-schemas.js";
import { AOP_HOSTNAMES_PAGE_SIZE, AOP_HOSTNAMES_STATUS } from "./limits.js";
import { pageProblem, planProblem } from "./page-info.js";
import { type ReadPolicy, verifyError, withRetries } from "./retry.js";
import { pageInfoSchema, parseAnswer, parseAnswerList } from "./schemas.js";
import type { ReadSdk } from "./sdk.js";
import type { Zone } from "./zone.js";

/**
 * Authenticated Origin Pulls of a zone. Cloudflare has three independent configurations (docs,
 * ssl/origin-configuration/authenticated-origin-pull, checked 2026-11-30): global AOP with
 * Cloudflare's shared certificate (zone setting `tls_client_auth`), zone-level AOP with the zone's
 * uploaded certificate (`origin_tls_client_auth/settings`), and per-hostname AOP
 * (`origin_tls_client_auth/hostnames`). The API has no single read for them: three requests.
 */

/** How many requests `readOriginPulls` sends for a zone whose hostname associations fit one page. */
export const ORIGIN_PULL_REQUESTS = 3;

interface Association {
  readonly hostname: string;
  readonly enabled: boolean | null;
}

/** The three answers as the shared model; a voided association (`enabled: null`) is left out. */
export function toOriginPulls(
  global: boolean,
  zoneCertificate: boolean,
  associations: readonly Association[],
): LiveOriginPulls {
  const hostnames = associations.flatMap((a) =>
    a.enabled === null ? [] : [{ hostname: normalizeFqdn(a.hostname), enabled: a.enabled }],
  );
  return { zone: global || zoneCertificate, global, zoneCertificate, hostnames };
}

async function readGlobal(sdk: ReadSdk, zone: Zone, policy: ReadPolicy): Promise<boolean> {
  const endpoint = `/zones/${zone.id}/settings/tls_client_auth`;
  const target = {
    kind: "aopSetting",
    what: `the Authenticated Origin Pulls setting of zone ${zone.name}`,
    endpoint,
  } as const;
  const setting = await withRetries(target, policy, async () =>
    parseAnswer(
      tlsClientAuthSchema,
      await sdk.zones.settings.get("tls_client_auth", { zone_id: zone.id }),
      endpoint,
      "result",
    ),
  );
  return setting.value === "on";
}

async function readZoneCertificate(sdk: ReadSdk, zone: Zone, policy: ReadPolicy): Promise<boolean> {
  const endpoint = `/zones/${zone.id}/origin_tls_client_auth/settings`;
  const target = {
    kind: "originPulls",
    what: `the zone-level Authenticated Origin Pulls of zone ${zone.name}`,
    endpoint,
  } as const;
  const setting = await withRetries(target, policy, async () =>
    parseAnswer(
      originPullSettingsSchema,
      await sdk.originTLSClientAuth.settings.get({ zone_id: zone.id }),
      endpoint,
      "result",
    ),
  );
  return setting.enabled;
}

interface AssociationsPage {
  readonly result: unknown;
  readonly result_info: unknown;
}

/**
 * Every hostname association, of every status, at the largest page size. The SDK (7.3) has no method
 * for this list (it came to the schema later), so it is read with the SDK's own `get`, through the
 * same checked `fetch`; pages are held to what the first one promised (`page-info.ts`).
 */
async function readAssociations(sdk: ReadSdk, zone: Zone, policy: ReadPolicy): Promise<Association[]> {
  const endpoint = `/zones/${zone.id}/origin_tls_client_auth/hostnames`;
  const target = {
    kind: "originPulls",
    what: `the per-hostname Authenticated Origin Pulls of zone ${zone.name}`,
    endpoint,
  } as const;
  const fetchPage = (page: number) =>
    withRetries(target, policy, async () => {
      const body = await sdk.get<AssociationsPage>(endpoint, {
        query: { page, per_page: AOP_HOSTNAMES_PAGE_SIZE, status: AOP_HOSTNAMES_STATUS },
      });
      const info = parseAnswer(pageInfoSchema, body.result_info, endpoint, "result_info");
      const items = parseAnswerList(hostnameAssociationSchema, body.result, endpoint, "result");
      return { info, items };
    });
  const first = await fetchPage(1);
  const plan = planProblem(first.info);
  const unusable = (problem: string) =>
    verifyError(policy, `could not read ${target.what}: ${new ApiAnswerError(endpoint, problem).message}`);
  if (plan) throw unusable(plan);
  policy.ledger?.expect(Math.max(1, first.info.total_pages) - 1);
  const out: Association[] = [];
  for (let page = 1, current = first; ; page++) {
    const problem = pageProblem(current.info, first.info, page, current.items.length, out.length);
    if (problem) throw unusable(problem);
    out.push(...current.items);
    if (page >= Math.max(1, first.info.total_pages)) return out;
    current = await fetchPage(page + 1);
  }
}

/** Global, zone-level and per-hostname AOP of a zone (`ORIGIN_PULL_REQUESTS` requests, read at once). */
export async function readOriginPulls(
  sdk: ReadSdk,
  zone: Zone,
  policy: ReadPolicy,
): Promise<LiveOriginPulls> {
  const [global, zoneCertificate, associations] = await Promise.all([
    readGlobal(sdk, zone, policy),
    readZoneCertificate(sdk, zone, policy),
    readAssociations(sdk, zone, policy),
  ]);
  return toOriginPulls(global, zoneCertificate, associations);
}
