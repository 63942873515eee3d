import type { Seed } from "../emulator/seed.js";
import type { DnsRecord } from "../model/record.js";
import { known } from "../model/value.js";
import type { DesiredZone } from "../model/zone.js";

type SeedRecord = NonNullable<NonNullable<Seed["zones"]>[number]["records"]>[number];

/** A live zone for the emulator that matches what the code declares (the state after a clean deploy). */
export function seedZoneFromDesired(zone: DesiredZone, sslMode: "off" | "flexible" | "full" | "strict") {
  const records: SeedRecord[] = zone.records.flatMap((r) => toSeedRecord(r));
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
  };
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
