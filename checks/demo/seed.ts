import type { Seed } from "../emulator/seed.js";
import type { DnsRecord } from "../model/record.js";
import { known } from "../model/value.js";
import type { DesiredZone } from "../model/zone.js";

type SeedRecord = NonNullable<NonNullable<Seed["zones"]>[number]["records"]>[number];

/** A live zone for the emulator that matches what the code declares (the state after a clean deploy). */
export function seedZoneFromDesired(zone: DesiredZone, sslMode: "off" | "flexible" | "full" | "strict") {
  const records: SeedRecord[] = zone.records.flatMap((r) => toSeedRecord(r));
  const configRules = seedConfigRules(zone);
  return {
    name: known(zone.name) ?? "example.com",
    ssl: sslMode,
    status: "active" as const,
    records,
    originRules: zone.originRules.map((r) => ({
      expression: r.expression,
      enabled: r.enabled,
      ...(r.port !== undefined ? { port: r.port } : {}),
      ...(r.host !== undefined ? { host: r.host } : {}),
    })),
    ...(configRules.length > 0 ? { configRules } : {}),
  };
}

type SeedConfigRule = NonNullable<NonNullable<Seed["zones"]>[number]["configRules"]>[number];

/** The code's Configuration Rules as deployed (rules whose expression or mode is unknown are left out). */
function seedConfigRules(zone: DesiredZone): SeedConfigRule[] {
  return (zone.configRules ?? []).flatMap((r) => {
    const expression = known(r.expression);
    const ssl = r.ssl === undefined ? undefined : known(r.ssl);
    if (expression === undefined || (r.ssl !== undefined && ssl === undefined)) return [];
    return [
      {
        expression,
        enabled: r.enabled,
        ...(r.description !== undefined ? { description: r.description } : {}),
        ...(ssl !== undefined ? { ssl } : {}),
      },
    ];
  });
}

function toSeedRecord(r: DnsRecord): SeedRecord[] {
  const content = known(r.content);
  if (content === undefined) return [];
  if (!["A", "AAAA", "CNAME", "TXT", "MX", "NS", "PTR", "SRV", "CAA"].includes(r.type)) return [];
  return [
    {
      name: r.fqdn,
      type: r.type as SeedRecord["type"],
      content,
      proxied: known(r.proxied) ?? false,
      ttl: known(r.ttl) ?? 1,
      ...(r.priority !== undefined ? { priority: r.priority } : {}),
    },
  ];
}
