import { InputError } from "../errors.js";
import { isUnresolved, known, unresolved } from "../model/value.js";
import type { DesiredState, DesiredZone, InputZoneSummary, LiveState } from "../model/zone.js";
import { qualify } from "./assemble.js";

/**
 * A zone the code names only by its literal id gets its name from the API (`GET /zones/{id}`);
 * records written with names relative to it are qualified then, and zones that turn out to be the
 * same zone (one looked up by name, one by id) become one (pure).
 */
export function nameZonesFromLive(desired: DesiredState, live: LiveState): DesiredState {
  const named = desired.zones.map((zone) => {
    if (known(zone.name) !== undefined) return zone;
    const id = known(zone.id);
    const liveZone = id === undefined ? undefined : live.zones.find((l) => l.id === id);
    if (!liveZone) return zone;
    return {
      ...zone,
      name: liveZone.name,
      // As the API does: a name that does not end with the zone's name is relative to it.
      records: zone.records.map((r) => ({ ...r, fqdn: qualify(r.name ?? r.fqdn, liveZone.name) })),
    };
  });
  const zones = mergeSameName(named);
  if (zones.length === desired.zones.length && named.every((z, i) => z === desired.zones[i])) return desired;
  return {
    ...desired,
    zones,
    ...(desired.inputs
      ? {
          inputs: {
            ...desired.inputs,
            zones: desired.inputs.zones.map((summary) => renamed(summary, live)),
            unresolved: desired.inputs.unresolved.filter(
              (u) => !RELATIVE_NAME.test(u.why) || !resolvedNow(u.why, live),
            ),
          },
        }
      : {}),
  };
}

/** The wording the assembler uses for a relative name under a zone known only by id. */
export const RELATIVE_NAME = /^the record's name .* (?:is|may be) relative to zone ([0-9a-f]{32})/;

function resolvedNow(why: string, live: LiveState): boolean {
  const id = RELATIVE_NAME.exec(why)?.[1];
  return id !== undefined && live.zones.some((z) => z.id === id);
}

function renamed(summary: InputZoneSummary, live: LiveState): InputZoneSummary {
  if (summary.name !== null || summary.id === null) return summary;
  const liveZone = live.zones.find((z) => z.id === summary.id);
  return liveZone ? { ...summary, name: liveZone.name } : summary;
}

function mergeSameName(zones: readonly DesiredZone[]): DesiredZone[] {
  const byName = new Map<string, DesiredZone>();
  const out: DesiredZone[] = [];
  for (const zone of zones) {
    const name = known(zone.name);
    if (name === undefined) {
      out.push(zone);
      continue;
    }
    const first = byName.get(name);
    if (!first) {
      byName.set(name, zone);
      out.push(zone);
      continue;
    }
    const merged = mergeZones(first, zone);
    byName.set(name, merged);
    out[out.indexOf(first)] = merged;
  }
  return out;
}

function mergeZones(a: DesiredZone, b: DesiredZone): DesiredZone {
  let sslMode = a.sslMode ?? b.sslMode;
  if (
    a.sslMode !== undefined &&
    b.sslMode !== undefined &&
    JSON.stringify(a.sslMode) !== JSON.stringify(b.sslMode)
  )
    sslMode = unresolved("conflicting SSL mode settings");
  if (a.origins.some((o) => b.origins.some((p) => p.name === o.name)))
    throw new InputError(
      b.source.file,
      undefined,
      `one declaration of each origin of zone ${known(a.name)}`,
      "two parts of the configuration declare an origin of the same name for it",
    );
  return {
    ...a,
    id: known(a.id) !== undefined || !isUnresolved(a.id) ? a.id : b.id,
    sslMode,
    ...((a.sslSource ?? b.sslSource) ? { sslSource: (a.sslSource ?? b.sslSource)! } : {}),
    records: [...a.records, ...b.records],
    originRules: [...a.originRules, ...b.originRules],
    configRules: [...(a.configRules ?? []), ...(b.configRules ?? [])],
    pageRules: [...(a.pageRules ?? []), ...(b.pageRules ?? [])],
    originPulls: [...(a.originPulls ?? []), ...(b.originPulls ?? [])],
    origins: [...a.origins, ...b.origins],
    hostnames: [...a.hostnames, ...b.hostnames],
    acknowledgements: [...a.acknowledgements, ...b.acknowledgements],
  };
}
