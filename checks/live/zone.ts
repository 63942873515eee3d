import type Cloudflare from "cloudflare";
import { APIError, NotFoundError } from "cloudflare";
import type { Zone } from "cloudflare/resources/zones/zones";
import type { OriginRule } from "../model/origin-rule.js";
import { normalizeFqdn } from "../model/record.js";
import { isSslMode, type SslMode } from "../model/ssl-mode.js";
import type { LiveZone } from "../model/zone.js";
import { readDnsRecords } from "./dns-records.js";
import { PERMISSION_FOR, ZONES_PAGE_SIZE } from "./limits.js";
import { type ApiOriginRule, toOriginRules } from "./origin-rules.js";
import { toDnsRecord } from "./record.js";
import { type ReadPolicy, verifyError, withRetries } from "./retry.js";

export interface ZoneRequest {
  readonly name?: string;
  readonly id?: string;
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
export async function resolveZone(sdk: Cloudflare, request: ZoneRequest, policy: ReadPolicy): Promise<Zone> {
  const target = { kind: "zone", what: describe(request) } as const;
  const missing = () =>
    verifyError(
      policy,
      `${describe(request)} does not exist, or the API token cannot see it`,
      `Check the zone, and that the token has "${PERMISSION_FOR.zone}" on it.`,
    );
  if (request.id) {
    const id = request.id;
    const zone = await withRetries(target, policy, async () => {
      try {
        return await sdk.zones.get({ zone_id: id });
      } catch (error) {
        if (isUnknownObject(error)) throw missing();
        throw error;
      }
    });
    if (request.name && normalizeFqdn(zone.name) !== normalizeFqdn(request.name)) {
      throw verifyError(policy, `zone id ${id} is ${zone.name}, not ${request.name} as the code says`);
    }
    return zone;
  }
  if (!request.name) throw verifyError(policy, "a zone to read needs a name or an id");
  const wanted = normalizeFqdn(request.name);
  const page = await withRetries(target, policy, () =>
    sdk.zones.list({ name: wanted, per_page: ZONES_PAGE_SIZE }),
  );
  const zone = page.result.find((z) => normalizeFqdn(z.name) === wanted);
  if (!zone) throw missing();
  return zone;
}

/** The zone's SSL/TLS mode. `origin_pull` (Enterprise "Strict") always validates, like `strict`. */
export async function readSslMode(sdk: Cloudflare, zone: Zone, policy: ReadPolicy): Promise<SslMode> {
  const target = { kind: "sslSetting", what: `the SSL/TLS mode of zone ${zone.name}` } as const;
  const setting = await withRetries(target, policy, () =>
    sdk.zones.settings.get("ssl", { zone_id: zone.id }),
  );
  const value: unknown = (setting as { value?: unknown }).value;
  if (value === "origin_pull") return "strict";
  if (!isSslMode(value)) {
    throw verifyError(
      policy,
      `the SSL/TLS mode of zone ${zone.name} is ${JSON.stringify(value)}, not one the checker knows`,
    );
  }
  return value;
}

/** Route rules of the zone's `http_request_origin` entrypoint; a 404 means the zone has none. */
export async function readOriginRules(
  sdk: Cloudflare,
  zone: Zone,
  policy: ReadPolicy,
): Promise<OriginRule[]> {
  const target = { kind: "originRules", what: `the origin rules of zone ${zone.name}` } as const;
  const rules = await withRetries(target, policy, async () => {
    try {
      const ruleset = await sdk.rulesets.phases.get("http_request_origin", { zone_id: zone.id });
      return ruleset.rules as readonly ApiOriginRule[];
    } catch (error) {
      if (error instanceof NotFoundError) return [];
      throw error;
    }
  });
  return toOriginRules(rules);
}

/** Everything the checker needs about one zone. */
export async function readZone(
  sdk: Cloudflare,
  request: ZoneRequest,
  pageSize: number,
  policy: ReadPolicy,
): Promise<LiveZone> {
  const zone = await resolveZone(sdk, request, policy);
  policy.onProgress?.(`reading zone ${zone.name}`);
  const [apiRecords, sslMode, originRules] = await Promise.all([
    readDnsRecords(sdk, zone, pageSize, policy),
    readSslMode(sdk, zone, policy),
    readOriginRules(sdk, zone, policy),
  ]);
  const records = apiRecords.flatMap((r) => {
    const record = toDnsRecord(r);
    return record ? [record] : [];
  });
  policy.onProgress?.(
    `zone ${zone.name}: ${records.length} records, SSL ${sslMode}, ${originRules.length} origin rules`,
  );
  return {
    id: zone.id,
    name: normalizeFqdn(zone.name),
    status: zone.status ?? "unknown",
    ...(zone.account.id ? { accountId: zone.account.id } : {}),
    sslMode,
    records,
    originRules,
  };
}
