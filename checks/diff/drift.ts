import type { Drift, FirewallDrift, RecordChange, SettingChange } from "../model/change.js";
import type { IpList } from "../model/ip-list.js";
import { normalizeFqdn } from "../model/record.js";
import { known } from "../model/value.js";
import type { CloudflareRanges, DesiredZone, LiveZone } from "../model/zone.js";
import type { EnforcedFirewall } from "./enforced-firewall.js";
import { allowlistDrift, enforcedDrift, type OriginInZone } from "./firewall.js";
import { diffIpLists } from "./ip-lists.js";
import { diffRecords } from "./records.js";
import { diffSettings } from "./settings.js";

/** A desired zone and the live zone it describes (see `pairZones`). */
export interface ZonePair {
  readonly desired: DesiredZone;
  readonly live: LiveZone;
}

export interface DriftInput {
  readonly zones: readonly ZonePair[];
  /** Cloudflare's ranges (live `/ips`, or the bundled snapshot). */
  readonly ranges: CloudflareRanges;
  /**
   * The origins to check. Default: every origin of every paired desired zone, with that zone's
   * name and routed hostnames.
   */
  readonly origins?: readonly OriginInZone[];
  /** What each origin's real firewall enforces (parsed exports), by origin name. */
  readonly enforced?: ReadonlyMap<string, EnforcedFirewall>;
  readonly desiredLists?: readonly IpList[];
  readonly liveLists?: readonly IpList[];
}

/**
 * Everything that differs between the code and Cloudflare: DNS record changes per zone (in zone
 * order, each zone's changes ordered delete, create, update), settings, origin firewall drift and
 * account IP list drift. Pure.
 */
export function computeDrift(input: DriftInput): Drift {
  const dns: RecordChange[] = [];
  const settings: SettingChange[] = [];
  const firewall: FirewallDrift[] = [];
  for (const { desired, live } of input.zones) {
    const zone = live.name;
    dns.push(...diffRecords(zone, desired.records, live.records));
    settings.push(...diffSettings(zone, desired, live));
  }
  const origins =
    input.origins ??
    input.zones.flatMap(({ desired, live }) =>
      desired.origins.map((origin) => ({ origin, zone: live.name, routes: desired.hostnames })),
    );
  for (const entry of origins) {
    firewall.push(...allowlistDrift(entry, input.ranges));
    const enforced = input.enforced?.get(entry.origin.name);
    if (enforced) firewall.push(...enforcedDrift(entry, enforced, input.ranges));
  }
  firewall.push(...diffIpLists(input.desiredLists ?? [], input.liveLists ?? []));
  return { dns, settings, firewall };
}

/**
 * Pair desired zones with live zones: by zone id when the code has a literal one, else by name
 * (case and trailing dot ignored). Desired zones with no live zone come back in `unpaired` (the
 * live reader reports a zone that does not exist; the diff does not guess).
 */
export function pairZones(
  desired: readonly DesiredZone[],
  live: readonly LiveZone[],
): { pairs: ZonePair[]; unpaired: DesiredZone[] } {
  const byId = new Map(live.map((zone) => [zone.id, zone]));
  const byName = new Map(live.map((zone) => [normalizeFqdn(zone.name), zone]));
  const pairs: ZonePair[] = [];
  const unpaired: DesiredZone[] = [];
  for (const zone of desired) {
    const id = known(zone.id);
    const name = known(zone.name);
    const match =
      (id === undefined ? undefined : byId.get(id)) ??
      (name === undefined ? undefined : byName.get(normalizeFqdn(name)));
    if (match) pairs.push({ desired: zone, live: match });
    else unpaired.push(zone);
  }
  return { pairs, unpaired };
}
