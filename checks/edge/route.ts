import { isIPv4, isIPv6 } from "node:net";
import { rangeContaining } from "../model/address-space.js";
import type { ConfigRule, OriginPullSetting, PageRule } from "../model/edge-rules.js";
import type { OriginRule } from "../model/origin-rule.js";
import { type DnsRecord, normalizeFqdn } from "../model/record.js";
import { defaultOriginPort, originSchemeFor, type SslMode } from "../model/ssl-mode.js";
import { isUnresolved, known, type Resolvable } from "../model/value.js";
import type { CloudflareRanges } from "../model/zone.js";
import type { Decide } from "./decide.js";
import { pageRuleMatches } from "./page-rule-pattern.js";
import { type ResolvedAddress, resolveInAccount, tunnelIdOf, type ZoneRecords } from "./resolve.js";

/**
 * One route per proxied hostname: how Cloudflare's edge would reach the origin — the effective SSL
 * mode, scheme, port, the origin (addresses answered from the account's zones, a name left to
 * DNS, a tunnel, or Cloudflare itself), the SNI and Host it sends, whether it validates the
 * certificate and presents its origin-pull certificate — and what decided each part (pure).
 * Whatever cannot be decided makes the route `unknown`, naming the rule or value, never a guess.
 */

/** A value and what decided it ("zone setting", "configuration rule 'api strict'"). */
export interface Decided<T> {
  readonly value: T;
  readonly by: string;
}

export type RouteTarget =
  | { readonly kind: "addresses"; readonly addresses: readonly RouteAddress[]; readonly via?: string }
  | { readonly kind: "name"; readonly name: string; readonly via?: string }
  | {
      readonly kind: "tunnel";
      readonly tunnelId?: string;
      readonly tunnelAddress?: string;
      readonly name: string;
    }
  | { readonly kind: "cloudflare"; readonly address: string; readonly range: string }
  | { readonly kind: "missing"; readonly name: string; readonly via: string }
  | { readonly kind: "loop"; readonly chain: readonly string[] }
  | { readonly kind: "unknown"; readonly why: string };

export interface RouteAddress extends ResolvedAddress {
  /** IPv6 beside an IPv4 address: Cloudflare prefers IPv4 and uses IPv6 only without it. */
  readonly fallback: boolean;
}

export interface EdgeRoute {
  readonly zone: string;
  readonly hostname: string;
  /** The record that routes the hostname (the first, when A and AAAA share it). */
  readonly recordType: "A" | "AAAA" | "CNAME";
  readonly records: readonly DnsRecord[];
  readonly target: RouteTarget;
  /** Undefined value: the mode is not known (the code sets it by an expression, or a rule is undecidable). */
  readonly sslMode: Decided<SslMode | undefined>;
  readonly scheme: "http" | "https";
  readonly port: Decided<number>;
  readonly sni: Decided<string>;
  readonly hostHeader: Decided<string>;
  readonly certificate: "enforce" | "warn" | "none";
  /** Authenticated Origin Pulls: whether the edge presents Cloudflare's client certificate. */
  readonly originPulls: Decided<"on" | "off" | "n/a" | "unknown">;
  /** Set when the route cannot be decided: why, naming the rule or value. */
  readonly unknown?: string;
  /** The origin rule whose DNS record override chose the origin, when one did. */
  readonly originVia?: string;
  /** Whether proxied is known only after apply. */
  readonly proxiedUnknown: boolean;
  readonly notes: readonly string[];
}

/** One zone as the edge sees it (desired state after the deploy, or live state now). */
export interface EdgeZone {
  readonly name: string;
  /** Undefined: not known (an expression, or not set in code and not read live). */
  readonly sslMode: Resolvable<SslMode> | undefined;
  readonly records: readonly DnsRecord[];
  readonly originRules: readonly OriginRule[];
  readonly configRules?: readonly ConfigRule[];
  readonly pageRules?: readonly PageRule[];
  /** Zone-level and per-hostname AOP; undefined when not known. */
  readonly originPulls?: {
    readonly zone?: Resolvable<boolean>;
    readonly hostnames: readonly OriginPullSetting[];
  };
}

export interface EdgeInput {
  readonly zones: readonly EdgeZone[];
  /** Every zone of the account whose records answer in-account names (default: `zones`). */
  readonly accountZones?: readonly ZoneRecords[];
  /** Tunnel resources the code declares (a CNAME referring to one is a tunnel route). */
  readonly tunnelAddresses?: readonly string[];
  readonly ranges: CloudflareRanges;
  readonly decide: Decide;
  /** The path the probes request (rules with path conditions are decided on it). */
  readonly path?: string;
}

/** Configuration Rules override Page Rules on the same setting, as Origin and Cache Rules do (checked 2026-11-30). */
export const CONFIG_RULES_OVERRIDE_PAGE_RULES = true;

type Routable = DnsRecord & { type: "A" | "AAAA" | "CNAME" };

function isRoutable(record: DnsRecord): record is Routable {
  return record.type === "A" || record.type === "AAAA" || record.type === "CNAME";
}

function proxiedState(records: readonly DnsRecord[]): "yes" | "no" | "unknown" {
  if (records.some((r) => r.proxied === true)) return "yes";
  if (records.some((r) => isUnresolved(r.proxied))) return "unknown";
  return "no";
}

function ruleName(
  kind: string,
  rule: { description?: string; expression?: Resolvable<string> | string },
): string {
  const text =
    rule.description ||
    (typeof rule.expression === "string" ? rule.expression : undefined) ||
    "(no description)";
  return `${kind} '${text.length > 80 ? `${text.slice(0, 77)}...` : text}'`;
}

/** Every route of every zone: one per proxied hostname. */
export function computeRoutes(input: EdgeInput): EdgeRoute[] {
  const account = input.accountZones ?? input.zones;
  const routes: EdgeRoute[] = [];
  for (const zone of input.zones) {
    const byName = new Map<string, Routable[]>();
    for (const record of zone.records) {
      if (!isRoutable(record)) continue;
      const name = normalizeFqdn(record.fqdn);
      byName.set(name, [...(byName.get(name) ?? []), record]);
    }
    for (const [hostname, records] of byName) {
      const route = routeFor(zone, hostname, records, input, account);
      if (route) routes.push(route);
    }
  }
  return routes;
}

function routeFor(
  zone: EdgeZone,
  hostname: string,
  records: readonly Routable[],
  input: EdgeInput,
  account: readonly ZoneRecords[],
): EdgeRoute | undefined {
  // If any A/AAAA of a name is proxied, all of them are; a CNAME is alone on its name.
  const proxied = proxiedState(records);
  if (proxied === "no") return undefined;
  const path = input.path ?? "/";
  const notes: string[] = [];
  let unknown: string | undefined;
  const undecided = (why: string) => {
    unknown ??= why;
  };

  const pageRule = matchingPageRule(zone, hostname, path, undecided);
  if (pageRule?.forwards)
    undecided(
      `page rule '${known(pageRule.target) ?? ""}' redirects requests for ${hostname}${path} at the edge (forwarding_url): they do not reach the origin`,
    );
  const sslMode = effectiveSslMode(zone, pageRule, hostname, path, input.decide, undecided);
  const mode = sslMode.value;
  const scheme = originSchemeFor(mode ?? "strict");
  const override = originOverrides(zone.originRules, pageRule, hostname, path, input.decide, undecided);
  const port: Decided<number> = override.port ?? {
    value: defaultOriginPort(mode ?? "strict"),
    by: `the SSL mode (${mode ?? "unknown"})`,
  };
  const hostHeader: Decided<string> = override.hostHeader ?? { value: hostname, by: "the hostname" };
  const sni: Decided<string> =
    override.sni ??
    (override.hostHeader
      ? { value: override.hostHeader.value, by: override.hostHeader.by }
      : { value: hostname, by: "the hostname" });

  let target: RouteTarget;
  if (override.host) {
    notes.push(`origin ${override.host.value} from ${override.host.by}`);
    target = targetOfName(override.host.value, account, `${override.host.by}`);
  } else target = targetOfRecords(records, account, input);
  if (target.kind === "unknown") undecided(target.why);

  const originPulls = originPullsFor(zone, hostname, mode);
  return {
    zone: zone.name,
    hostname,
    recordType: records[0]!.type,
    records,
    target,
    sslMode,
    scheme,
    port,
    sni,
    hostHeader,
    certificate: mode === "strict" ? "enforce" : mode === "full" ? "warn" : "none",
    originPulls,
    ...(unknown !== undefined ? { unknown } : {}),
    ...(override.host ? { originVia: override.host.by } : {}),
    proxiedUnknown: proxied === "unknown",
    notes,
  };
}

/** Zone setting, then Page Rules (the highest-priority match), then Configuration Rules (the last match). */
function effectiveSslMode(
  zone: EdgeZone,
  pageRule: PageRule | undefined,
  hostname: string,
  path: string,
  decide: Decide,
  undecided: (why: string) => void,
): Decided<SslMode | undefined> {
  let mode: Decided<SslMode | undefined> =
    zone.sslMode === undefined
      ? { value: undefined, by: "the zone setting (not known)" }
      : isUnresolved(zone.sslMode)
        ? { value: undefined, by: `the zone setting (${zone.sslMode.unresolved})` }
        : { value: zone.sslMode, by: "the zone setting" };
  if (pageRule?.ssl !== undefined) {
    const ssl = known(pageRule.ssl);
    const target = known(pageRule.target) ?? "";
    mode = { value: ssl, by: `page rule '${target}'` };
    if (ssl === undefined)
      undecided(`page rule '${target}' sets the SSL mode to a value known only after apply`);
  }
  for (const rule of zone.configRules ?? []) {
    if (!rule.enabled || rule.ssl === undefined) continue;
    const name = ruleName("configuration rule", rule);
    const expression = known(rule.expression);
    if (expression === undefined) {
      undecided(`${name} sets the SSL mode, and its expression is not known`);
      continue;
    }
    const decision = decide(expression, hostname, path);
    if (decision.kind === "undecidable") {
      undecided(`${name} may set the SSL mode for ${hostname}: ${decision.why}`);
      continue;
    }
    if (decision.kind === "match") {
      const ssl = known(rule.ssl);
      mode = { value: ssl, by: name };
      if (ssl === undefined) undecided(`${name} sets the SSL mode to a value known only after apply`);
    }
  }
  return mode;
}

interface Overrides {
  port?: Decided<number>;
  host?: Decided<string>;
  hostHeader?: Decided<string>;
  sni?: Decided<string>;
}

/**
 * The Page Rule that applies to a request: only the highest-priority matching one takes effect
 * (developers.cloudflare.com/rules/page-rules, checked 2026-11-30).
 */
function matchingPageRule(
  zone: EdgeZone,
  hostname: string,
  path: string,
  undecided: (why: string) => void,
): PageRule | undefined {
  const rules = [...(zone.pageRules ?? [])]
    .filter((r) => r.enabled)
    .sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0));
  for (const rule of rules) {
    const target = known(rule.target);
    if (target === undefined) {
      undecided(
        `page rule ${JSON.stringify((rule.target as { unresolved: string }).unresolved)} may apply, and its target is not known`,
      );
      return undefined;
    }
    const decision = pageRuleMatches(target, { scheme: "https", host: hostname, path });
    if (decision.kind === "undecidable") {
      undecided(`page rule '${target}' may apply: ${decision.why}`);
      return undefined;
    }
    if (decision.kind === "match") return rule;
  }
  return undefined;
}

/**
 * Origin Rules in order: every matching rule merges in, later ones override earlier ones; they
 * override a Page Rule's Resolve and Host Header overrides (developers.cloudflare.com/rules/
 * origin-rules/faq, checked 2026-11-30).
 */
function originOverrides(
  rules: readonly OriginRule[],
  pageRule: PageRule | undefined,
  hostname: string,
  path: string,
  decide: Decide,
  undecided: (why: string) => void,
): Overrides {
  const out: Overrides = {};
  if (pageRule) {
    const by = `page rule '${known(pageRule.target) ?? ""}'`;
    if (pageRule.resolveOverride !== undefined) {
      const host = known(pageRule.resolveOverride);
      if (host === undefined) undecided(`${by} overrides the origin with a value known only after apply`);
      else out.host = { value: normalizeFqdn(host), by };
    }
    if (pageRule.hostHeader !== undefined) {
      const header = known(pageRule.hostHeader);
      if (header === undefined)
        undecided(`${by} overrides the Host header with a value known only after apply`);
      else out.hostHeader = { value: header, by };
    }
  }
  for (const rule of rules) {
    if (!rule.enabled) continue;
    if (
      rule.port === undefined &&
      rule.host === undefined &&
      rule.hostHeader === undefined &&
      rule.sni === undefined &&
      rule.unmodelled === undefined
    )
      continue;
    const name = ruleName("origin rule", rule);
    const decision =
      rule.expression === ""
        ? ({ kind: "undecidable", why: "its expression is not known" } as const)
        : decide(rule.expression, hostname, path);
    if (decision.kind === "undecidable") {
      undecided(`${name} may change the origin of ${hostname}: ${decision.why}`);
      continue;
    }
    if (decision.kind === "no-match") continue;
    if (rule.unmodelled !== undefined)
      undecided(`${name} ${rule.unmodelled}, which cf-preflight does not model, for ${hostname}`);
    if (rule.port !== undefined) out.port = { value: rule.port, by: name };
    if (rule.host !== undefined) out.host = { value: normalizeFqdn(rule.host), by: name };
    if (rule.hostHeader !== undefined) out.hostHeader = { value: rule.hostHeader, by: name };
    if (rule.sni !== undefined) out.sni = { value: rule.sni, by: name };
  }
  return out;
}

function inCloudflare(address: string, ranges: CloudflareRanges): string | undefined {
  return rangeContaining(address, isIPv4(address) ? ranges.ipv4 : ranges.ipv6);
}

function withFallback(addresses: readonly ResolvedAddress[]): RouteAddress[] {
  const hasV4 = addresses.some((a) => a.family === 4);
  return addresses.map((a) => ({ ...a, fallback: hasV4 && a.family === 6 }));
}

/** Where a name leads: the account's zones answer it, else DNS; a tunnel name is a tunnel. */
function targetOfName(name: string, account: readonly ZoneRecords[], via: string): RouteTarget {
  const resolved = resolveInAccount(name, account);
  const chain = resolved.chain.join(" → ");
  switch (resolved.kind) {
    case "addresses":
      return {
        kind: "addresses",
        addresses: withFallback(resolved.addresses),
        via: `${via}: ${chain} (answered from the account's zones)`,
      };
    case "outside":
      return { kind: "name", name: resolved.name, via: `${via}: ${chain}` };
    case "tunnel":
      return {
        kind: "tunnel",
        name: resolved.name,
        ...(resolved.tunnelId ? { tunnelId: resolved.tunnelId } : {}),
      };
    case "missing":
      return { kind: "missing", name: resolved.name, via: `${via}: ${chain}` };
    case "loop":
      return { kind: "loop", chain: resolved.chain };
    case "unknown":
      return { kind: "unknown", why: resolved.why };
  }
}

function targetOfRecords(
  records: readonly Routable[],
  account: readonly ZoneRecords[],
  input: EdgeInput,
): RouteTarget {
  const cname = records.find((r) => r.type === "CNAME");
  if (cname) {
    if (isUnresolved(cname.content)) {
      const refs = cname.content.references ?? [];
      const tunnel = refs.find((r) =>
        (input.tunnelAddresses ?? []).some((t) => t === r || t.startsWith(`${r}[`) || r.startsWith(`${t}.`)),
      );
      if (tunnel) return { kind: "tunnel", tunnelAddress: tunnel, name: cname.content.unresolved };
      return {
        kind: "unknown",
        why: `the CNAME's target is ${cname.content.unresolved}, known only after apply`,
      };
    }
    const tunnelId = tunnelIdOf(cname.content);
    if (tunnelId) return { kind: "tunnel", tunnelId, name: normalizeFqdn(cname.content) };
    return targetOfName(cname.content, account, `CNAME ${normalizeFqdn(cname.fqdn)}`);
  }
  const addresses: ResolvedAddress[] = [];
  for (const r of records) {
    if (isUnresolved(r.content))
      return {
        kind: "unknown",
        why: `the ${r.type} record's address is ${r.content.unresolved}, known only after apply`,
      };
    const family = r.type === "A" ? 4 : 6;
    if (family === 4 ? !isIPv4(r.content) : !isIPv6(r.content))
      return {
        kind: "unknown",
        why: `an ${r.type} record whose content "${r.content}" is not an IPv${family} address`,
      };
    const range = inCloudflare(r.content, input.ranges);
    if (range) return { kind: "cloudflare", address: r.content, range };
    addresses.push({ address: r.content, family });
  }
  addresses.sort((a, b) => a.family - b.family);
  return { kind: "addresses", addresses: withFallback(addresses) };
}

/** AOP applies in Full and Full (strict): per-hostname settings first, then the zone toggle. */
function originPullsFor(
  zone: EdgeZone,
  hostname: string,
  mode: SslMode | undefined,
): Decided<"on" | "off" | "n/a" | "unknown"> {
  if (mode === "off" || mode === "flexible")
    return { value: "n/a", by: `the SSL mode (${mode}: plain HTTP)` };
  const pulls = zone.originPulls;
  const perHost = pulls?.hostnames.find(
    (h) => h.hostname !== undefined && normalizeFqdn(h.hostname) === hostname,
  );
  if (perHost) {
    const enabled = known(perHost.enabled);
    return {
      value: enabled === undefined ? "unknown" : enabled ? "on" : "off",
      by: "per-hostname Authenticated Origin Pulls",
    };
  }
  if (pulls?.zone === undefined)
    return { value: "unknown", by: "the zone's Authenticated Origin Pulls setting (not known)" };
  const enabled = known(pulls.zone);
  return {
    value: enabled === undefined ? "unknown" : enabled ? "on" : "off",
    by: "the zone's Authenticated Origin Pulls setting",
  };
}
