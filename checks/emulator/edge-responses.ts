import type { PageRule } from "cloudflare/resources/page-rules/page-rules";
import type { CloudflareTunnel } from "cloudflare/resources/shared";
import type { ConfigurationGetResponse } from "cloudflare/resources/zero-trust/tunnels/cloudflared/configurations";
import {
  type ConfigRuleInput,
  configRuleInputSchema,
  type OriginPullsInput,
  originPullsInputSchema,
  type PageRuleInput,
  pageRuleInputSchema,
  type TunnelSeed,
  tunnelSeedSchema,
} from "./seed.js";

/**
 * The API's representation of the edge settings the emulator serves, built from seed input. Shapes
 * from `cloudflare/api-schemas` `openapi.yaml` at commit 004e306af7836c7edd2b39d286c8cdd3d0508702
 * (read 2026-11-30): `rulesets_Ruleset` (entry points and the rulesets list), `zones_page_rule`,
 * `tls-certificates-and-hostnames_hostname_assoc_object`, `tunnel_cfd_tunnel`,
 * `tunnel_configuration`. Pure apart from the ids and times it is given.
 */

/** A ruleset as `GET /zones/{id}/rulesets` lists it (no rules) and as an entry point returns it. */
export interface EmulatedRuleset {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly kind: "zone" | "managed" | "root" | "custom";
  readonly phase: string;
  readonly version: string;
  readonly last_updated: string;
  readonly rules: readonly Record<string, unknown>[];
}

/** A rule's common fields (`rulesets_Rule`). */
function ruleBase(id: string, version: string, updated: string) {
  return { id, ref: id, version, last_updated: updated };
}

/** A `set_config` rule of the `http_config_settings` entry point. */
export function buildConfigRule(
  raw: ConfigRuleInput,
  id: string,
  version: string,
  updated: string,
): Record<string, unknown> {
  const rule = configRuleInputSchema.parse(raw);
  return {
    ...ruleBase(rule.id ?? id, version, updated),
    action: "set_config",
    action_parameters: { ...(rule.settings ?? {}), ...(rule.ssl === undefined ? {} : { ssl: rule.ssl }) },
    expression: rule.expression,
    enabled: rule.enabled,
    ...(rule.description === undefined ? {} : { description: rule.description }),
  };
}

/** A zone entry point ruleset of `phase` with `rules` (`kind: "zone"`, `name: "default"`). */
export function buildEntrypoint(
  phase: string,
  id: string,
  version: string,
  updated: string,
  rules: readonly Record<string, unknown>[],
): EmulatedRuleset {
  return { id, name: "default", description: "", kind: "zone", phase, version, last_updated: updated, rules };
}

/** The managed ruleset every zone's list shows (executed from the WAF; not an entry point). */
export function managedRuleset(updated: string): EmulatedRuleset {
  return {
    id: "efb7b8c949ac4650a09736fc376e9aee",
    name: "Cloudflare Managed Ruleset",
    description:
      "Created by the Cloudflare security team, this ruleset is designed to provide fast and effective protection for all your applications.",
    kind: "managed",
    phase: "http_request_firewall_managed",
    version: "1",
    last_updated: updated,
    rules: [],
  };
}

/** A ruleset without its rules, as the list shows it. */
export function listedRuleset(ruleset: EmulatedRuleset): Omit<EmulatedRuleset, "rules"> {
  const { rules: _rules, ...listed } = ruleset;
  return listed;
}

/** A page rule as `GET /zones/{id}/pagerules` returns it. */
export function buildPageRule(raw: PageRuleInput, id: string, created: string): PageRule {
  const rule = pageRuleInputSchema.parse(raw);
  const actions: Record<string, unknown>[] = [
    ...(rule.ssl === undefined ? [] : [{ id: "ssl", value: rule.ssl }]),
    ...(rule.resolveOverride === undefined ? [] : [{ id: "resolve_override", value: rule.resolveOverride }]),
    ...(rule.hostHeader === undefined ? [] : [{ id: "host_header_override", value: rule.hostHeader }]),
    ...rule.actions,
  ];
  return {
    id: rule.id ?? id,
    targets: [{ target: "url", constraint: { operator: "matches", value: rule.target } }],
    actions: actions as PageRule["actions"],
    priority: rule.priority,
    status: rule.status,
    created_on: created,
    modified_on: created,
  };
}

/** Page rules in the API's default order: by priority, highest first (`order=priority&direction=desc`). */
export function sortPageRules(rules: readonly PageRule[]): PageRule[] {
  return [...rules].sort((a, b) => b.priority - a.priority);
}

/** A hostname association as the per-hostname AOP list returns it. */
export interface HostnameAssociation {
  readonly hostname: string;
  readonly cert_id: string;
  readonly enabled: boolean | null;
  readonly status: string;
  readonly cert_status: string;
  readonly created_at: string;
  readonly updated_at: string;
}

/** The three AOP configurations of a zone, built once from the seed. */
export interface EmulatedOriginPulls {
  readonly global: boolean;
  readonly zoneCertificate: boolean;
  readonly hostnames: readonly HostnameAssociation[];
  readonly modifiedOn: string;
}

export function buildOriginPulls(
  raw: OriginPullsInput | undefined,
  certId: string,
  at: string,
): EmulatedOriginPulls {
  const input = originPullsInputSchema.parse(raw ?? {});
  return {
    global: input.global,
    zoneCertificate: input.zoneCertificate,
    modifiedOn: at,
    hostnames: input.hostnames.map((h) => ({
      hostname: h.hostname.toLowerCase(),
      cert_id: certId,
      enabled: h.enabled,
      status: h.status,
      cert_status: "active",
      created_at: at,
      updated_at: at,
    })),
  };
}

/**
 * A tunnel as `GET /accounts/{id}/cfd_tunnel/{id}` returns it. The schema documents `null` for the
 * timestamps that are not set ("If `null`, the resource has not been deleted"); the SDK's type says
 * only optional.
 */
export type ApiTunnel = Omit<CloudflareTunnel, "deleted_at" | "conns_active_at" | "conns_inactive_at"> & {
  deleted_at: string | null;
  conns_active_at: string | null;
  conns_inactive_at: string | null;
};

/** A tunnel and, when remotely managed, its configuration. */
export interface EmulatedTunnel {
  readonly tunnel: ApiTunnel;
  readonly configuration: ConfigurationGetResponse | undefined;
}

export function buildTunnel(raw: TunnelSeed, accountId: string, created: string): EmulatedTunnel {
  const seed = tunnelSeedSchema.parse(raw);
  const connected = seed.status === "healthy" || seed.status === "degraded";
  const tunnel: ApiTunnel = {
    id: seed.id,
    account_tag: accountId,
    config_src: seed.configSrc,
    connections: [],
    conns_active_at: connected ? created : null,
    conns_inactive_at: connected ? null : created,
    created_at: created,
    deleted_at: seed.deletedAt ?? null,
    metadata: {},
    name: seed.name,
    remote_config: seed.configSrc === "cloudflare",
    status: seed.status,
    tun_type: "cfd_tunnel",
  };
  const configuration: ConfigurationGetResponse | undefined =
    seed.configSrc === "cloudflare"
      ? {
          account_id: accountId,
          tunnel_id: seed.id,
          version: 1,
          source: "cloudflare",
          created_at: created,
          config: {
            ingress: seed.ingress.map((rule) => ({
              ...(rule.hostname === undefined ? {} : { hostname: rule.hostname }),
              service: rule.service,
              ...(rule.path === undefined ? {} : { path: rule.path }),
            })) as NonNullable<ConfigurationGetResponse["config"]>["ingress"],
          },
        }
      : undefined;
  return { tunnel, configuration };
}
