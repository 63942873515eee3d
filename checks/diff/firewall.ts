import type { FirewallDrift } from "../model/change.js";
import type { HostRoute, Origin } from "../model/origin.js";
import type { CloudflareRanges } from "../model/zone.js";
import { byFamily, EVERYONE, type IpFamily, intersect, isEveryone, subtract, union } from "./cidr-set.js";
import {
  admittedOn,
  DEFAULT_FIREWALL_PORTS,
  type EnforcedFirewall,
  uncertainOn,
} from "./enforced-firewall.js";
import { XT_EXPRESSION } from "./nft-ruleset.js";

/**
 * Origin firewalls: the allowlist the code declares against Cloudflare's live ranges, and against
 * what the origin's real firewall enforces (from an export of it).
 */

/** An origin with the zone it is declared in and the hostnames routed to it. */
export interface OriginInZone {
  readonly origin: Origin;
  readonly zone?: string;
  /** Hostnames routed to the origin; when given and all are DNS-only, Cloudflare never connects to it. */
  readonly routes?: readonly HostRoute[];
}

/**
 * Cloudflare drops what its origin cannot reach: a firewall that silently drops SYNs from a range
 * gives visitors served from it 522 after Cloudflare's 19 s connect timeout (the most common cause);
 * one that answers with a reset gives 521. Checked 2026-11-21 (cloudflare-docs,
 * support/troubleshooting/http-status-codes/cloudflare-5xx-errors).
 */
export const FIREWALL_DROP_PREDICTS = "522";
export const FIREWALL_REJECT_PREDICTS = "521";

const FAMILIES: readonly IpFamily[] = [4, 6];

/**
 * The declared allowlist against Cloudflare's live ranges. Kind `cloudflare` is complete by
 * definition; an explicit list must cover every range of each family the origin has addresses in
 * (`missing-cloudflare-ranges`, predicts 522); a list admitting all of IPv4 or IPv6 warns that anyone
 * can bypass Cloudflare (`exposed-to-everyone`). Origins only reached DNS-only are not checked.
 */
export function allowlistDrift(entry: OriginInZone, ranges: CloudflareRanges): FirewallDrift[] {
  const { origin } = entry;
  if (origin.allowlist.kind !== "cidrs" || !servedThroughCloudflare(entry)) return [];
  const declared = byFamily(origin.allowlist.cidrs);
  const cloudflare = cloudflareByFamily(ranges);
  const drifts: FirewallDrift[] = [];
  const missing = familiesOf(origin).flatMap((family) => subtract(cloudflare[family], declared[family]));
  if (missing.length > 0) {
    drifts.push({
      ...zoneOf(entry),
      origin: origin.name,
      kind: "missing-cloudflare-ranges",
      cidrs: missing,
      message:
        `origin ${origin.name}'s allowlist does not admit ${missing.length} of Cloudflare's ranges (${rangesLabel(ranges)}): ` +
        `visitors served by the Cloudflare data centres that connect from them get ${FIREWALL_DROP_PREDICTS} when the ` +
        `firewall drops the connection (${FIREWALL_REJECT_PREDICTS} if it rejects it)`,
      predicts: FIREWALL_DROP_PREDICTS,
    });
  }
  const everyone = FAMILIES.filter((family) => isEveryone(declared[family], family)).map(
    (family) => EVERYONE[family],
  );
  if (everyone.length > 0) {
    drifts.push({
      ...zoneOf(entry),
      origin: origin.name,
      kind: "exposed-to-everyone",
      cidrs: everyone,
      message: `origin ${origin.name}'s allowlist admits ${everyone.join(" and ")}: anyone can reach it directly and bypass Cloudflare`,
      predicts: null,
    });
  }
  return drifts;
}

/**
 * The declared allowlist against what the origin's firewall enforces, on each of the origin's
 * ports: `enforced-missing` for declared (or, for kind `cloudflare`/`none`, Cloudflare's) ranges the
 * firewall certainly does not admit (Cloudflare's predict 522; other declared sources predict
 * nothing), `enforced-extra` for sources it certainly admits beyond the declaration, and
 * `enforced-unknown` for sources whose admission depends on rules the checker could not decide
 * (naming them). Ports with the same finding are reported together.
 */
export function enforcedDrift(
  entry: OriginInZone,
  enforced: EnforcedFirewall,
  ranges: CloudflareRanges,
): FirewallDrift[] {
  const { origin } = entry;
  const ports = origin.ports.length > 0 ? origin.ports.map((p) => p.port) : [...DEFAULT_FIREWALL_PORTS];
  const families = familiesOf(origin);
  const cloudflare = cloudflareByFamily(ranges);
  const needsCloudflare = servedThroughCloudflare(entry);
  const declared: Record<IpFamily, string[]> | undefined =
    origin.allowlist.kind === "cidrs"
      ? byFamily(origin.allowlist.cidrs)
      : origin.allowlist.kind === "cloudflare"
        ? cloudflare
        : undefined;
  const grouped = new Map<
    string,
    { drift: Omit<FirewallDrift, "ports" | "message">; ports: number[]; cloudflareInDoubt: number }
  >();
  const add = (
    kind: FirewallDrift["kind"],
    cidrs: string[],
    predicts: string | null,
    port: number,
    rules: string[] = [],
    cloudflareInDoubt = 0,
  ) => {
    if (cidrs.length === 0) return;
    const key = `${kind}\u0000${predicts}\u0000${cidrs.join(",")}\u0000${rules.join("\u0000")}`;
    const group = grouped.get(key);
    if (group) group.ports.push(port);
    else
      grouped.set(key, {
        drift: {
          ...zoneOf(entry),
          origin: origin.name,
          kind,
          cidrs,
          predicts,
          ...(rules.length > 0 ? { rules } : {}),
        },
        ports: [port],
        cloudflareInDoubt,
      });
  };
  for (const port of [...new Set(ports)].sort((a, b) => a - b)) {
    const admitted = byFamily(admittedOn(enforced, port));
    const doubt = uncertainOn(enforced, port);
    const uncertain = byFamily(doubt.cidrs);
    const missingCloudflare: string[] = [];
    const missingOther: string[] = [];
    const extra: string[] = [];
    const unknownCloudflare: string[] = [];
    const unknownOther: string[] = [];
    for (const family of families) {
      const possible = union(admitted[family], uncertain[family]);
      // Cloudflare's ranges the firewall must admit; for an explicit list, those the list declares
      // (the ones it lacks are `missing-cloudflare-ranges`, not enforcement drift).
      const cloudflareRequired = !needsCloudflare
        ? []
        : origin.allowlist.kind === "cidrs" && declared !== undefined
          ? intersect(cloudflare[family], declared[family])
          : cloudflare[family];
      missingCloudflare.push(...subtract(cloudflareRequired, possible));
      unknownCloudflare.push(...intersect(cloudflareRequired, uncertain[family]));
      if (declared === undefined) continue;
      missingOther.push(...subtract(subtract(declared[family], possible), cloudflareRequired));
      // Sources in doubt beyond Cloudflare's required ranges: declared ones that may be dropped,
      // undeclared ones that may get in.
      unknownOther.push(...subtract(uncertain[family], cloudflareRequired));
      const beyond = subtract(admitted[family], declared[family]);
      // A firewall open to everyone is named as such, not as the long complement of the declaration.
      extra.push(
        ...(beyond.length > 0 && isEveryone(admitted[family], family) ? [EVERYONE[family]] : beyond),
      );
    }
    add("enforced-missing", missingCloudflare, FIREWALL_DROP_PREDICTS, port);
    add("enforced-missing", missingOther, null, port);
    add("enforced-extra", extra, null, port);
    const inDoubt = [...unknownCloudflare, ...unknownOther];
    if (inDoubt.length > 0) {
      add(
        "enforced-unknown",
        byFamilyMerged(inDoubt),
        unknownCloudflare.length > 0 ? FIREWALL_DROP_PREDICTS : null,
        port,
        doubt.causes,
        unknownCloudflare.length,
      );
    }
  }
  return [...grouped.values()].map(({ drift, ports: on, cloudflareInDoubt }) => ({
    ...drift,
    ports: on,
    message:
      drift.kind === "enforced-unknown"
        ? unknownMessage(origin.name, drift.cidrs, cloudflareInDoubt, on, drift.rules ?? [], ranges)
        : enforcedMessage(origin.name, drift.kind, drift.cidrs, drift.predicts, on, ranges),
  }));
}

function byFamilyMerged(cidrs: readonly string[]): string[] {
  const split = byFamily(cidrs);
  return [...split[4], ...split[6]];
}

/** Kinds of undecided rule named in a message, and places per kind; the evidence lists them all. */
const KINDS_IN_MESSAGE = 3;
const PLACES_IN_MESSAGE = 2;

function unknownMessage(
  origin: string,
  cidrs: readonly string[],
  cloudflareInDoubt: number,
  ports: readonly number[],
  rules: readonly string[],
  ranges: CloudflareRanges,
): string {
  const on = portsLabel(ports);
  const everyone = everyoneLabel(cidrs);
  const what =
    everyone !== undefined
      ? `who is admitted${everyone}`
      : cloudflareInDoubt > 0
        ? `whether ${cloudflareInDoubt} of Cloudflare's ranges (${rangesLabel(ranges)})${cidrs.length > cloudflareInDoubt ? ` and ${cidrs.length - cloudflareInDoubt} other source range(s)` : ""} are admitted`
        : `whether ${cidrs.length} source range(s) beyond its declared allowlist are admitted`;
  // "<where>: <what>" grouped by what, so fifty rules of one kind read as one line.
  const byKind = new Map<string, string[]>();
  for (const rule of rules) {
    const split = rule.indexOf(": ");
    const [where, kind] = split === -1 ? ["", rule] : [rule.slice(0, split), rule.slice(split + 2)];
    byKind.set(kind, [...(byKind.get(kind) ?? []), where]);
  }
  const kinds = [...byKind].slice(0, KINDS_IN_MESSAGE).map(([kind, places]) => {
    const shown = places.slice(0, PLACES_IN_MESSAGE).join(", ");
    const more = places.length > PLACES_IN_MESSAGE ? ` and ${places.length - PLACES_IN_MESSAGE} more` : "";
    return `${kind}${shown ? ` (at ${shown}${more})` : ""}`;
  });
  const moreKinds =
    byKind.size > KINDS_IN_MESSAGE ? `; and ${byKind.size - KINDS_IN_MESSAGE} more kinds` : "";
  const xt = rules.some((rule) => rule.includes(XT_EXPRESSION))
    ? ". The ruleset was written by iptables-nft: export it with `iptables-save` (and `ip6tables-save`) for an exact reading"
    : "";
  return (
    `origin ${origin}'s firewall: the checker cannot tell ${what} ${on}, because of ${rules.length === 1 ? "a rule" : `${rules.length} rules`} it cannot decide: ` +
    `${kinds.join("; ")}${moreKinds}${xt}`
  );
}

/** "" when a set holds all of IPv4 and IPv6, " over IPv4" or " over IPv6" for one, undefined for neither. */
function everyoneLabel(cidrs: readonly string[]): string | undefined {
  const v4 = cidrs.includes(EVERYONE[4]);
  const v6 = cidrs.includes(EVERYONE[6]);
  if (v4 && v6) return "";
  if (v4) return " over IPv4";
  if (v6) return " over IPv6";
  return undefined;
}

function portsLabel(ports: readonly number[]): string {
  return `on port${ports.length > 1 ? "s" : ""} ${ports.join(", ")}`;
}

function enforcedMessage(
  origin: string,
  kind: FirewallDrift["kind"],
  cidrs: readonly string[],
  predicts: string | null,
  ports: readonly number[],
  ranges: CloudflareRanges,
): string {
  const on = portsLabel(ports);
  if (kind === "enforced-extra") {
    const everyone = everyoneLabel(cidrs);
    return everyone !== undefined
      ? `origin ${origin}'s firewall admits everyone${everyone} ${on}, beyond its declared allowlist: anyone can bypass Cloudflare`
      : `origin ${origin}'s firewall admits ${cidrs.length} source range(s) ${on} that its declared allowlist does not list`;
  }
  if (predicts === null) {
    return `origin ${origin}'s firewall does not admit ${cidrs.length} declared source range(s) ${on}`;
  }
  return (
    `origin ${origin}'s firewall does not admit ${cidrs.length} of Cloudflare's ranges ${on} (${rangesLabel(ranges)}): ` +
    `visitors served by the data centres that connect from them get ${FIREWALL_DROP_PREDICTS} ` +
    `(${FIREWALL_REJECT_PREDICTS} where the firewall rejects rather than drops)`
  );
}

/** Address families Cloudflare uses towards the origin: those it has addresses in (both when none is declared). */
function familiesOf(origin: Origin): IpFamily[] {
  const families: IpFamily[] = [];
  if (origin.ipv4.length > 0) families.push(4);
  if (origin.ipv6.length > 0) families.push(6);
  return families.length > 0 ? families : [...FAMILIES];
}

function servedThroughCloudflare(entry: OriginInZone): boolean {
  const routes = entry.routes?.filter((route) => route.origin === entry.origin.name);
  return routes === undefined || routes.length === 0 || routes.some((route) => route.proxied);
}

function cloudflareByFamily(ranges: CloudflareRanges): Record<IpFamily, string[]> {
  const v4 = byFamily(ranges.ipv4);
  const v6 = byFamily(ranges.ipv6);
  return { 4: v4[4], 6: v6[6] };
}

function rangesLabel(ranges: CloudflareRanges): string {
  if (ranges.origin === "live") return `live /ips${ranges.etag ? `, etag ${ranges.etag}` : ""}`;
  return `bundled snapshot${ranges.capturedAt ? ` of ${ranges.capturedAt}` : ""}`;
}

function zoneOf(entry: OriginInZone): { zone?: string } {
  return entry.zone === undefined ? {} : { zone: entry.zone };
}
