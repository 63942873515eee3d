import type { OriginPullSetting } from "../model/edge-rules.js";
import { isUnresolved, known } from "../model/value.js";
import type { DesiredState, DesiredZone, LiveState, LiveZone } from "../model/zone.js";
import type { ProbePlanZone } from "../probe/plan.js";
import type { EdgeZone } from "./route.js";

/**
 * The zones the edge model works on, for the state after the deploy (the code, with the live zone
 * where the code is silent) and for the state now (the live zone), pure.
 *
 * Where the code declares nothing of a kind (an SSL mode, Configuration Rules, Page Rules,
 * Authenticated Origin Pulls), the deploy leaves the live one in place, so the live one applies.
 */

function pullsOf(settings: readonly OriginPullSetting[] | undefined): EdgeZone["originPulls"] | undefined {
  if (!settings || settings.length === 0) return undefined;
  const zoneWide = settings.filter((s) => s.hostname === undefined);
  return {
    ...(zoneWide.length > 0 ? { zone: zoneWide[zoneWide.length - 1]!.enabled } : {}),
    hostnames: settings.filter((s) => s.hostname !== undefined),
  };
}

function livePulls(zone: LiveZone | undefined): EdgeZone["originPulls"] | undefined {
  const pulls = zone?.originPulls;
  if (!pulls) return undefined;
  return {
    zone: pulls.zone,
    hostnames: pulls.hostnames.map((h) => ({ hostname: h.hostname, enabled: h.enabled })),
  };
}

export type PlannedZone = ProbePlanZone & { readonly zone: DesiredZone };

/** The desired zones as the edge will see them after the deploy. */
export function desiredEdgeZones(desired: DesiredState, live: LiveState | undefined): PlannedZone[] {
  return desired.zones.map((z) => {
    // A zone known only by id (offline) is still planned: its records with full names are.
    const name = known(z.name) ?? (isUnresolved(z.name) ? z.name.unresolved : "(unknown zone)");
    const liveZone = live?.zones.find((l) => l.name === name);
    const records = known(z.name) === undefined ? z.records.filter((r) => r.fqdn.includes(".")) : z.records;
    const sslMode = z.sslMode === undefined ? liveZone?.sslMode : known(z.sslMode);
    const configRules = z.configRules && z.configRules.length > 0 ? z.configRules : liveZone?.configRules;
    const pageRules = z.pageRules && z.pageRules.length > 0 ? z.pageRules : liveZone?.pageRules;
    const originPulls = pullsOf(z.originPulls) ?? livePulls(liveZone);
    return {
      zone: z,
      name,
      sslMode,
      records,
      originRules: z.originRules,
      ...(configRules ? { configRules } : {}),
      ...(pageRules ? { pageRules } : {}),
      ...(originPulls ? { originPulls } : {}),
      origins: z.origins,
    };
  });
}

/** A live zone as the edge sees it now (the code's origins attached, for naming addresses). */
export function liveEdgeZone(zone: LiveZone, planned: PlannedZone | undefined): ProbePlanZone {
  const originPulls = livePulls(zone);
  return {
    name: zone.name,
    sslMode: zone.sslMode,
    records: zone.records,
    originRules: zone.originRules,
    ...(zone.configRules ? { configRules: zone.configRules } : {}),
    ...(zone.pageRules ? { pageRules: zone.pageRules } : {}),
    ...(originPulls ? { originPulls } : {}),
    origins: planned?.origins ?? [],
  };
}

/**
 * The account's zones whose records answer in-account names: after the deploy, the code's zones and
 * every other live zone; now, the live zones.
 */
export function accountZonesAfter(
  planned: readonly ProbePlanZone[],
  live: LiveState | undefined,
): ProbePlanZone[] {
  const names = new Set(planned.map((z) => z.name));
  const others = (live?.zones ?? []).filter((z) => !names.has(z.name)).map((z) => liveEdgeZone(z, undefined));
  return [...planned, ...others];
}

/** The Terraform addresses of the tunnels the code declares (a CNAME referring to one is a tunnel route). */
export function tunnelAddressesOf(desired: DesiredState): string[] {
  return (desired.tunnels ?? []).flatMap((t) => (t.source?.address ? [t.source.address] : []));
}
