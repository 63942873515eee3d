import { APIError, NotFoundError } from "cloudflare/core/error";
import type { z } from "zod";
import { normalizeFqdn } from "../model/record.js";
import type { SslMode } from "../model/ssl-mode.js";
import type { LiveZone } from "../model/zone.js";
import { ApiAnswerError } from "./answer-error.js";
import { apiText } from "./api-text.js";
import { readDnsRecords } from "./dns-records.js";
import { PERMISSION_FOR, ZONES_PAGE_SIZE } from "./limits.js";
import { pageProblem, planProblem } from "./page-info.js";
import { type ReadPolicy, verifyError, withRetries } from "./retry.js";
import { readEdgeRules } from "./rulesets.js";
import { pageInfoSchema, parseAnswer, sslSettingSchema, zonePageSchema, zoneSchema } from "./schemas.js";
import type { ReadSdk } from "./sdk.js";
import { toSslMode } from "./ssl-value.js";

/** A zone as the reader uses it (checked against `zoneSchema`). */
export type Zone = z.infer<typeof zoneSchema>;

export interface ZoneRequest {
  readonly name?: string;
  readonly id?: string;
  /**
   * Tunnels the code's records in this zone route to (`<uuid>.cfargotunnel.com` CNAMEs not live
   * yet): read in the zone's account, like those the live records route to.
   */
  readonly tunnelIds?: readonly string[];
}

function describe(request: ZoneRequest): string {
  return request.name ? `zone ${request.name}` : `zone id ${request.id}`;
}

/** Cloudflare answers an unknown zone id with 404, or 400 with code 7003 ("invalid object identifier"). */
function isUnknownObject(error: unknown): boolean {
  if (error instanceof NotFoundError) return true;
  return error instanceof APIError && error.status === 400 && error.errors.some((e) => e.code === 7003);
}

/** Find the zone by id, or by name when only the name is known. */
export async function resolveZone(sdk: ReadSdk, request: ZoneRequest, policy: ReadPolicy): Promise<Zone> {
  const endpoint = request.id ? `/zones/${request.id}` : "/zones";
  const target = { kind: "zone", what: describe(request), endpoint } as const;
  const missing = () =>
    verifyError(
      policy,
      `${describe(request)} does not exist, or the API token cannot see it`,
      `Check the zone, and that the token has "${PERMISSION_FOR.zone}" on it.`,
    );
  if (request.id) {
    const id = request.id;
    const zone = await withRetries(target, policy, async () => {
      let answer: unknown;
      try {
        answer = await sdk.zones.get({ zone_id: id });
      } catch (error) {
        if (isUnknownObject(error)) throw missing();
        throw error;
      }
      return parseAnswer(zoneSchema, answer, `/zones/${id}`, "result");
    });
    if (request.name && normalizeFqdn(zone.name) !== normalizeFqdn(request.name)) {
      throw verifyError(
        policy,
        `zone id ${id} is ${apiText(zone.name, policy.token)}, not ${request.name} as the code says`,
      );
    }
    return zone;
  }
  if (!request.name) throw verifyError(policy, "a zone to read needs a name or an id");
  const wanted = normalizeFqdn(request.name);
  const zones = await withRetries(target, policy, async () => {
    const page = await sdk.zones.list({ name: wanted, per_page: ZONES_PAGE_SIZE });
    const info = parseAnswer(pageInfoSchema, page.result_info, "/zones", "result_info");
    const result = parseAnswer(zonePageSchema, page.result, "/zones", "result");
    // The lookup is by exact name: everything it matched must be on this one page.
    const problem =
      planProblem(info) ??
      pageProblem(info, info, 1, result.length, 0) ??
      (info.total_pages > 1
        ? `the lookup by name matched ${info.total_count} zones over ${info.total_pages} pages`
        : undefined);
    if (problem) throw new ApiAnswerError("/zones", problem);
    return result;
  });
  const zone = zones.find((z) => normalizeFqdn(z.name) === wanted);
  if (!zone) throw missing();
  return zone;
}

/** The zone's SSL/TLS mode. `origin_pull` (Enterprise "Strict") always validates, like `strict`. */
export async function readSslMode(sdk: ReadSdk, zone: Zone, policy: ReadPolicy): Promise<SslMode> {
  const endpoint = `/zones/${zone.id}/settings/ssl`;
  const target = { kind: "sslSetting", what: `the SSL/TLS mode of zone ${zone.name}`, endpoint } as const;
  const setting = await withRetries(target, policy, async () =>
    parseAnswer(
      sslSettingSchema,
      await sdk.zones.settings.get("ssl", { zone_id: zone.id }),
      endpoint,
      "result",
    ),
  );
  const mode = toSslMode(setting.value);
  if (mode === undefined) {
    throw verifyError(
      policy,
      `the SSL/TLS mode of zone ${zone.name} is ${apiText(JSON.stringify(setting.value), policy.token)}, not one the checker knows`,
    );
  }
  return mode;
}

/**
 * What the checker reads of every zone, whatever the request budget: its records, its SSL/TLS mode,
 * and (with `edge`, for `check`) its origin and configuration rules (one list of its rulesets, then
 * only the entry points it has). Page Rules and Authenticated Origin Pulls are read apart, within
 * the budget. Without `edge` (drift compares records and settings only) the rules are not read: the
 * zone's `originRules` are empty and `configRules` undefined, and the caller lists them as unread.
 */
export async function readZoneCore(
  sdk: ReadSdk,
  zone: Zone,
  pageSize: number,
  policy: ReadPolicy,
  edge = true,
  progress: (message: string) => void = (message) => policy.onProgress?.(message),
): Promise<LiveZone> {
  progress(`reading zone ${zone.name}`);
  const [records, sslMode, rules] = await Promise.all([
    readDnsRecords(sdk, zone, pageSize, policy),
    readSslMode(sdk, zone, policy),
    edge ? readEdgeRules(sdk, zone, policy) : undefined,
  ]);
  progress(
    `zone ${zone.name}: ${records.length} records, SSL ${sslMode}${rules ? `, ${rules.originRules.length} origin rules, ${rules.configRules.length} configuration rules` : ""}`,
  );
  return {
    id: zone.id,
    name: normalizeFqdn(zone.name),
    status: zone.status ?? "unknown",
    ...(zone.account?.id ? { accountId: zone.account.id } : {}),
    sslMode,
    records,
    originRules: rules?.originRules ?? [],
    ...(rules ? { configRules: rules.configRules } : {}),
  };
}
