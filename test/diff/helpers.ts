import { CLOUDFLARE_RANGES_SNAPSHOT } from "../../checks/data/cloudflare-ips.js";
import { DEFAULT_MIGRATION_POLICY } from "../../checks/model/migration.js";
import type { Origin } from "../../checks/model/origin.js";
import type { DnsRecord, RecordType } from "../../checks/model/record.js";
import type { Unresolved } from "../../checks/model/value.js";
import type { CloudflareRanges, DesiredZone, LiveZone } from "../../checks/model/zone.js";

/** Cloudflare's published ranges as of the 2026 snapshot the project ships (test data, not a fetch). */
export const CLOUDFLARE_IPV4: string[] = [...CLOUDFLARE_RANGES_SNAPSHOT.ipv4];
export const CLOUDFLARE_IPV6: string[] = [...CLOUDFLARE_RANGES_SNAPSHOT.ipv6];

export const RANGES: CloudflareRanges = {
  ipv4: CLOUDFLARE_IPV4,
  ipv6: CLOUDFLARE_IPV6,
  etag: "38f79d050aa027e3be3865e495dcc9bc",
  origin: "live",
};

export function record(
  fqdn: string,
  type: RecordType,
  content: DnsRecord["content"],
  extra: Partial<DnsRecord> = {},
): DnsRecord {
  return { fqdn, type, content, proxied: false, ttl: 1, ...extra };
}

export function origin(name: string, extra: Partial<Origin> = {}): Origin {
  return {
    name,
    ipv4: ["192.0.2.10"],
    ipv6: [],
    ports: [{ port: 443, scheme: "https" }],
    allowlist: { kind: "cloudflare" },
    ...extra,
  };
}

export function desiredZone(name: string, extra: Partial<DesiredZone> = {}): DesiredZone {
  return {
    name,
    id: undefined,
    sslMode: undefined,
    records: [],
    originRules: [],
    origins: [],
    hostnames: [],
    acknowledgements: [],
    migration: DEFAULT_MIGRATION_POLICY,
    source: { file: "cdk.tf.json" },
    ...extra,
  };
}

export function liveZone(name: string, extra: Partial<LiveZone> = {}): LiveZone {
  return {
    id: `id-${name}`,
    name,
    status: "active",
    sslMode: "full",
    records: [],
    originRules: [],
    ...extra,
  };
}

/** A Terraform reference as the desired reader gives it (`${expression}`), built without a template literal. */
export function tfRef(expression: string): Unresolved {
  return { unresolved: "$" + "{" + expression + "}" };
}
