import ipaddr from "ipaddr.js";
import type { Origin } from "../model/origin.js";
import type { OriginRule } from "../model/origin-rule.js";
import type { DnsRecord } from "../model/record.js";
import { normalizeFqdn } from "../model/record.js";
import type { SslMode } from "../model/ssl-mode.js";
import { defaultOriginPort, originSchemeFor } from "../model/ssl-mode.js";
import { describeValue, isUnresolved, known } from "../model/value.js";
import type { ConnectToMapping } from "./connect-to.js";
import { findConnectTo } from "./connect-to.js";
import { ipFamily, isDocumentationAddress } from "./documentation.js";
import type { CertificateCheck, ConnectOverride, OriginAddress, ProbeTarget } from "./result.js";

/** One zone as the plan needs it. */
export interface ProbePlanZone {
  readonly name: string;
  /** `undefined` when neither the code nor the live zone tells: targets are planned as unknown. */
  readonly sslMode: SslMode | undefined;
  readonly records: readonly DnsRecord[];
  readonly originRules: readonly OriginRule[];
  readonly origins: readonly Origin[];
}

export interface ProbePlanInput {
  readonly zones: readonly ProbePlanZone[];
  /** Parsed `--connect-to` mappings, first match wins (curl's order). */
  readonly connectTo?: readonly ConnectToMapping[];
}

export const DOCUMENTATION_REASON =
  "documentation address, not probed (reserved by RFC 5737/3849, never reachable)";

type RoutableType = "A" | "AAAA" | "CNAME";

function isRoutable(record: DnsRecord): record is DnsRecord & { type: RoutableType } {
  return record.type === "A" || record.type === "AAAA" || record.type === "CNAME";
}

function canonicalIp(address: string): string {
  return ipaddr.parse(address).toString();
}

/** The declared origin whose addresses include `address`. */
export function originForAddress(origins: readonly Origin[], address: string): Origin | undefined {
  if (ipFamily(address) === undefined) return undefined;
  const wanted = canonicalIp(address);
  return origins.find((origin) =>
    [...origin.ipv4, ...origin.ipv6].some((value) => {
      const literal = known(value);
      return literal !== undefined && ipFamily(literal) !== undefined && canonicalIp(literal) === wanted;
    }),
  );
}

interface RuleEffect {
  readonly port?: number;
  readonly host?: string;
  readonly notes: string[];
}

/** Origin rules that apply to a hostname; later rules override earlier ones. */
function originRuleEffect(rules: readonly OriginRule[], hostname: string): RuleEffect {
  let port: number | undefined;
  let host: string | undefined;
  const notes: string[] = [];
  for (const rule of rules) {
    if (!rule.enabled || (rule.port === undefined && rule.host === undefined)) continue;
    if (rule.hostnames === undefined) {
      notes.push(
        `origin rule "${rule.expression}" may change the origin; the hosts it applies to could not be read`,
      );
      continue;
    }
    if (!rule.hostnames.map(normalizeFqdn).includes(hostname)) continue;
    if (rule.port !== undefined) port = rule.port;
    if (rule.host !== undefined) host = normalizeFqdn(rule.host);
  }
  return { ...(port !== undefined ? { port } : {}), ...(host !== undefined ? { host } : {}), notes };
}

function certificateCheckFor(mode: SslMode | undefined): CertificateCheck {
  if (mode === "strict") return "enforce";
  if (mode === "full") return "warn";
  return "none";
}

/** Whether Cloudflare proxies the name: any proxied A/AAAA on a name makes all of them proxied. */
function proxiedState(records: readonly DnsRecord[]): "yes" | "no" | "unknown" {
  if (records.some((r) => r.proxied === true)) return "yes";
  if (records.some((r) => isUnresolved(r.proxied))) return "unknown";
  return "no";
}

function originAddressOf(record: DnsRecord & { type: RoutableType }): {
  origin: OriginAddress;
  problem?: string;
} {
  if (isUnresolved(record.content)) {
    return {
      origin: { kind: "name", name: describeValue(record.content) },
      problem: `the record's content is not known before apply (${record.content.unresolved})`,
    };
  }
  const content = record.content.trim();
  if (record.type === "CNAME") return { origin: { kind: "name", name: normalizeFqdn(content) } };
  const family = ipFamily(content);
  const expected = record.type === "A" ? 4 : 6;
  if (family !== expected) {
    return {
      origin: { kind: "name", name: content },
      problem: `an ${record.type} record whose content "${content}" is not an IPv${expected} address`,
    };
  }
  return { origin: { kind: "ip", address: canonicalIp(content), family } };
}

function planHostname(
  zone: ProbePlanZone,
  hostname: string,
  records: readonly (DnsRecord & { type: RoutableType })[],
  connectTo: readonly ConnectToMapping[],
): ProbeTarget[] {
  const addressRecords = records.filter((r) => r.type !== "CNAME");
  const cnames = records.filter((r) => r.type === "CNAME");
  const proxiedRecords: { record: DnsRecord & { type: RoutableType }; proxiedUnknown: boolean }[] = [];
  const addressProxied = proxiedState(addressRecords);
  if (addressProxied !== "no") {
    for (const record of addressRecords)
      proxiedRecords.push({ record, proxiedUnknown: addressProxied === "unknown" });
  }
  for (const record of cnames) {
    const state = proxiedState([record]);
    if (state !== "no") proxiedRecords.push({ record, proxiedUnknown: state === "unknown" });
  }
  if (proxiedRecords.length === 0) return [];

  const effect = originRuleEffect(zone.originRules, hostname);
  const mode = zone.sslMode;
  const scheme = originSchemeFor(mode ?? "strict");
  const port = effect.port ?? defaultOriginPort(mode ?? "strict");

  const targets: ProbeTarget[] = [];
  const seen = new Set<string>();
  for (const { record, proxiedUnknown } of proxiedRecords) {
    let { origin, problem } = originAddressOf(record);
    const notes = [...effect.notes];
    if (effect.host !== undefined && problem === undefined) {
      notes.push(
        `an origin rule sends ${hostname} to ${effect.host} instead of the record's ${describeValue(record.content)}`,
      );
      const family = ipFamily(effect.host);
      origin =
        family === undefined
          ? { kind: "name", name: effect.host }
          : { kind: "ip", address: canonicalIp(effect.host), family };
    }
    const key = `${origin.kind === "ip" ? origin.address : origin.name}`;
    if (seen.has(key)) continue;
    seen.add(key);

    const mapping = findConnectTo(
      connectTo,
      hostname,
      port,
      origin.kind === "ip" ? origin.address : undefined,
    );
    const connectOverride: ConnectOverride | undefined = mapping
      ? {
          address: mapping.address ?? (origin.kind === "ip" ? origin.address : undefined),
          port: mapping.toPort ?? port,
          spec: mapping.spec,
        }
      : undefined;
    const declared = origin.kind === "ip" ? originForAddress(zone.origins, origin.address) : undefined;
    const effectiveAddress = connectOverride?.address ?? (origin.kind === "ip" ? origin.address : undefined);

    let unknownReason: string | undefined = problem;
    if (unknownReason === undefined && proxiedUnknown) {
      unknownReason = "whether the record is proxied is not known before apply";
    }
    if (unknownReason === undefined && mode === undefined) {
      unknownReason = "the zone's SSL mode is not known, so neither the port nor the scheme is";
    }
    if (
      unknownReason === undefined &&
      effectiveAddress !== undefined &&
      isDocumentationAddress(effectiveAddress)
    ) {
      unknownReason = DOCUMENTATION_REASON;
    }

    targets.push({
      zone: zone.name,
      hostname,
      recordType: record.type,
      origin,
      port,
      scheme,
      sslMode: mode,
      sni: hostname,
      hostHeader: hostname,
      certificate: certificateCheckFor(mode),
      ...(declared ? { originName: declared.name, allowlist: declared.allowlist } : {}),
      ...(connectOverride ? { connectTo: connectOverride } : {}),
      ...(unknownReason !== undefined ? { unknownReason } : {}),
      ...(notes.length > 0 ? { notes } : {}),
    });
  }
  return targets;
}

/**
 * The probe plan (pure): one target per proxied hostname and origin address, with the port and
 * scheme Cloudflare would use (SSL mode, origin rules), SNI and Host set to the hostname, and the
 * certificate expectation. Targets the checker cannot probe honestly (unresolved values,
 * documentation addresses) carry `unknownReason` and are never sent a packet.
 */
export function buildProbePlan(input: ProbePlanInput): ProbeTarget[] {
  const connectTo = input.connectTo ?? [];
  const targets: ProbeTarget[] = [];
  for (const zone of input.zones) {
    const byName = new Map<string, (DnsRecord & { type: RoutableType })[]>();
    for (const record of zone.records) {
      if (!isRoutable(record)) continue;
      const name = normalizeFqdn(record.fqdn);
      const list = byName.get(name) ?? [];
      list.push(record);
      byName.set(name, list);
    }
    for (const [hostname, records] of byName) {
      targets.push(...planHostname(zone, hostname, records, connectTo));
    }
  }
  return targets;
}
