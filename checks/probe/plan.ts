import ipaddr from "ipaddr.js";
import type { Decide } from "../edge/decide.js";
import type { ZoneRecords } from "../edge/resolve.js";
import { computeRoutes, type EdgeRoute, type EdgeZone } from "../edge/route.js";
import { createRulesDecide } from "../edge/rules-decide.js";
import { PROHIBITED_PROXY_TARGETS, rangeContaining } from "../model/address-space.js";
import type { ConfigRule, PageRule } from "../model/edge-rules.js";
import type { Origin } from "../model/origin.js";
import type { OriginRule } from "../model/origin-rule.js";
import type { DnsRecord } from "../model/record.js";
import type { SslMode } from "../model/ssl-mode.js";
import { describeValue, known } from "../model/value.js";
import type { CloudflareRanges } from "../model/zone.js";
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
  readonly configRules?: readonly ConfigRule[];
  readonly pageRules?: readonly PageRule[];
  readonly originPulls?: EdgeZone["originPulls"];
  readonly origins: readonly Origin[];
}

export interface ProbePlanInput {
  readonly zones: readonly ProbePlanZone[];
  /** Parsed `--connect-to` mappings, first match wins (curl's order). */
  readonly connectTo?: readonly ConnectToMapping[];
  /** Every zone of the account, whose records answer in-account names (default: `zones`). */
  readonly accountZones?: readonly ZoneRecords[];
  /** Tunnel resources the code declares (a CNAME referring to one routes through it). */
  readonly tunnelAddresses?: readonly string[];
  /** Cloudflare's ranges: a proxied address inside them is Cloudflare's own (1000), not probed. */
  readonly ranges?: CloudflareRanges;
  /** Decides rule expressions for a hostname (default: the host-list reading). */
  readonly decide?: Decide;
}

export const DOCUMENTATION_REASON =
  "documentation address, not probed (reserved by RFC 5737/3849, never reachable)";

/** The code of a result for an address Cloudflare does not connect to through a name (never probed). */
export const RESTRICTED_CODE = "RESTRICTED_ADDRESS";

/**
 * A name that leads, through the account's own records (a proxied CNAME, an origin rule's override
 * host), to private, loopback, link-local or other reserved space: Cloudflare refuses to connect there
 * ("Error 1002: Restricted", a domain resolving to a local or disallowed address; checked 2026-11-30,
 * support/troubleshooting/http-status-codes/cloudflare-1xxx-errors). The API's 9003 guards only a
 * proxied record's own address, so a DNS-only record behind a CNAME gets this far. Never probed: the
 * probe would judge a host the edge never reaches (and pass it when CI shares its network).
 */
function restrictedVia(via: string, address: string): string | undefined {
  const range = rangeContaining(address, PROHIBITED_PROXY_TARGETS);
  if (range === undefined) return undefined;
  return `${via} ends at ${address}, in ${range} (private, loopback or reserved): Cloudflare does not connect there through a name (1002 Restricted); not probed`;
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

function certificateCheckFor(mode: SslMode | undefined): CertificateCheck {
  if (mode === "strict") return "enforce";
  if (mode === "full") return "warn";
  return "none";
}

function addressTargets(route: EdgeRoute): { origin: OriginAddress; fallback: boolean }[] {
  const target = route.target;
  if (target.kind === "addresses")
    return target.addresses.map((a) => ({
      origin: { kind: "ip", address: canonicalIp(a.address), family: a.family },
      fallback: a.fallback,
    }));
  if (target.kind === "name") return [{ origin: { kind: "name", name: target.name }, fallback: false }];
  return [];
}

/** The first thing that makes a route's probe dishonest, if any. */
function routeUnknown(route: EdgeRoute): string | undefined {
  if (route.unknown !== undefined) return route.unknown;
  if (route.proxiedUnknown) return "whether the record is proxied is not known before apply";
  if (route.sslMode.value === undefined)
    return "the zone's SSL mode is not known, so neither the port nor the scheme is";
  return undefined;
}

function planRoute(
  zone: ProbePlanZone,
  route: EdgeRoute,
  connectTo: readonly ConnectToMapping[],
): ProbeTarget[] {
  const mode = route.sslMode.value;
  const port = route.port.value;
  const notes = [...route.notes];
  if (route.sslMode.by !== "the zone setting" && mode !== undefined)
    notes.push(`SSL mode ${mode} from ${route.sslMode.by}`);
  if (route.port.by.startsWith("origin rule")) notes.push(`port ${port} from ${route.port.by}`);
  if (route.hostHeader.value !== route.hostname)
    notes.push(`Host ${route.hostHeader.value} from ${route.hostHeader.by}`);
  if (route.sni.value !== route.hostname) notes.push(`SNI ${route.sni.value} from ${route.sni.by}`);
  if (route.target.kind === "addresses" && route.target.via) notes.push(route.target.via);
  if (route.target.kind === "name" && route.target.via) notes.push(route.target.via);
  const unknown = routeUnknown(route);
  let origins = addressTargets(route);
  if (origins.length === 0) {
    // Tunnels, Cloudflare's own addresses and in-account names without records are judged from
    // the route itself (rules), not probed; an undecidable route is still reported as unknown.
    if (unknown === undefined) return [];
    const first = route.records[0]!;
    origins = [{ origin: { kind: "name", name: describeValue(first.content) }, fallback: false }];
  }
  const targets: ProbeTarget[] = [];
  for (const { origin, fallback } of origins) {
    const mapping = findConnectTo(
      connectTo,
      route.hostname,
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
    let unknownReason = unknown;
    let unknownCode: string | undefined;
    if (
      unknownReason === undefined &&
      effectiveAddress !== undefined &&
      isDocumentationAddress(effectiveAddress)
    )
      unknownReason = DOCUMENTATION_REASON;
    const via = route.target.kind === "addresses" ? route.target.via : undefined;
    if (unknownReason === undefined && mapping?.address === undefined && origin.kind === "ip" && via) {
      unknownReason = restrictedVia(via, origin.address);
      if (unknownReason !== undefined) unknownCode = RESTRICTED_CODE;
    }
    const recordType =
      origin.kind === "ip" && route.recordType !== "CNAME"
        ? origin.family === 4
          ? "A"
          : "AAAA"
        : route.recordType;
    targets.push({
      zone: zone.name,
      hostname: route.hostname,
      recordType,
      origin,
      port,
      scheme: route.scheme,
      sslMode: mode,
      sni: route.sni.value,
      hostHeader: route.hostHeader.value,
      certificate: certificateCheckFor(mode),
      originPulls: route.originPulls.value,
      ...(origin.kind === "name"
        ? { nameVia: route.originVia ? `${route.originVia} (a DNS record override)` : "a CNAME" }
        : {}),
      ...(fallback ? { fallback: true } : {}),
      ...(declared ? { originName: declared.name, allowlist: declared.allowlist } : {}),
      ...(connectOverride ? { connectTo: connectOverride } : {}),
      ...(unknownReason !== undefined ? { unknownReason } : {}),
      ...(unknownCode !== undefined ? { unknownCode } : {}),
      ...(notes.length > 0 ? { notes } : {}),
    });
  }
  return targets;
}

/**
 * The probe plan (pure): the edge's route for every proxied hostname (`checks/edge`), and from
 * each route one target per origin address, with the port and scheme Cloudflare would use, the SNI
 * and Host it sends, and the certificate expectation. Targets the checker cannot probe honestly
 * (unresolved values, undecidable rules, documentation addresses) carry `unknownReason` and are
 * never sent a packet; tunnels, Cloudflare's own addresses and in-account names without records
 * are judged from the route, not probed.
 */
export function buildProbePlan(input: ProbePlanInput): ProbeTarget[] {
  return planRoutes(input).targets;
}

/** The routes and the probe targets they give, for callers that judge routes too. */
export function planRoutes(input: ProbePlanInput): { routes: EdgeRoute[]; targets: ProbeTarget[] } {
  const connectTo = input.connectTo ?? [];
  const decide = input.decide ?? createRulesDecide();
  const targets: ProbeTarget[] = [];
  const routes: EdgeRoute[] = [];
  for (const zone of input.zones) {
    const zoneRoutes = computeRoutes({
      zones: [zone],
      accountZones: input.accountZones ?? input.zones,
      ...(input.tunnelAddresses ? { tunnelAddresses: input.tunnelAddresses } : {}),
      ranges: input.ranges ?? NO_RANGES,
      decide,
    });
    for (const route of zoneRoutes) routes.push(route);
    for (const route of zoneRoutes) targets.push(...planRoute(zone, route, connectTo));
  }
  return { routes, targets };
}

const NO_RANGES: CloudflareRanges = { ipv4: [], ipv6: [], origin: "snapshot" };
