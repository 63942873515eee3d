import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Seed, ZoneSeed } from "../../checks/emulator/seed.js";
import type { SslMode } from "../../checks/model/ssl-mode.js";

/**
 * One zone of the edge lab, written as the code declares it (Terraform in the 4.x shapes as an HCL
 * folder, or in the 5.x shapes as Terraform JSON) and seeded as the live zone in the API emulator.
 */
export interface LabRecord {
  /** Relative to the zone ("api"), or "@" for the apex. */
  readonly name: string;
  readonly type: "A" | "AAAA" | "CNAME";
  readonly content: string;
  readonly proxied: boolean;
}

/** A Configuration Rule setting the SSL mode for one hostname. */
export interface LabConfigRule {
  readonly description: string;
  readonly hostname: string;
  readonly ssl: SslMode;
}

/** An Origin Rule for one hostname: a DNS record override and/or a port. */
export interface LabOriginRule {
  readonly description: string;
  readonly hostname: string;
  readonly host?: string;
  readonly port?: number;
}

export interface LabZone {
  readonly name: string;
  readonly ssl: SslMode;
  readonly records: readonly LabRecord[];
  readonly configRules?: readonly LabConfigRule[];
  readonly originRules?: readonly LabOriginRule[];
  /** The zone's Authenticated Origin Pulls toggle; undefined: not declared (code) or off (live). */
  readonly aop?: boolean;
}

/** The account every lab zone belongs to (tunnels live there). */
export const LAB_ACCOUNT = "e1ab0000000000000000000000000241";

/** A stable 32-hex zone id for a zone name. */
export function zoneId(name: string): string {
  return createHash("sha256").update(`edge-lab:${name}`).digest("hex").slice(0, 32);
}

export function fqdn(zone: string, name: string): string {
  return name === "@" ? zone : `${name}.${zone}`;
}

const hostExpression = (hostname: string): string => `(http.host eq "${hostname}")`;

/** HCL string literal. */
function str(text: string): string {
  return JSON.stringify(text).replaceAll("${", "$${");
}

const label = (name: string): string => name.replace(/[^a-z0-9]/gi, "_");

/** The zone as a 4.x HCL configuration (`cloudflare_record`, `cloudflare_zone_settings_override`, rules blocks). */
export function hcl4(zone: LabZone): string {
  const id = str(zoneId(zone.name));
  const parts: string[] = [
    `terraform {\n  required_providers {\n    cloudflare = {\n      source  = "cloudflare/cloudflare"\n      version = "~> 4.52"\n    }\n  }\n}\n`,
    `resource "cloudflare_zone_settings_override" "settings" {\n  zone_id = ${id}\n  settings {\n    ssl = ${str(zone.ssl)}\n${zone.aop === undefined ? "" : `    tls_client_auth = ${str(zone.aop ? "on" : "off")}\n`}  }\n}\n`,
  ];
  zone.records.forEach((r, i) => {
    parts.push(
      `resource "cloudflare_record" "${label(r.name)}_${i}" {\n  zone_id = ${id}\n  name    = ${str(r.name)}\n  type    = ${str(r.type)}\n  value   = ${str(r.content)}\n  proxied = ${r.proxied}\n${r.proxied ? "" : "  ttl     = 300\n"}}\n`,
    );
  });
  if (zone.configRules?.length)
    parts.push(
      `resource "cloudflare_ruleset" "config" {\n  zone_id = ${id}\n  name    = "per-hostname settings"\n  kind    = "zone"\n  phase   = "http_config_settings"\n${zone.configRules
        .map(
          (rule) =>
            `  rules {\n    action      = "set_config"\n    expression  = ${str(hostExpression(rule.hostname))}\n    description = ${str(rule.description)}\n    enabled     = true\n    action_parameters {\n      ssl = ${str(rule.ssl)}\n    }\n  }\n`,
        )
        .join("")}}\n`,
    );
  if (zone.originRules?.length)
    parts.push(
      `resource "cloudflare_ruleset" "origin" {\n  zone_id = ${id}\n  name    = "origin rules"\n  kind    = "zone"\n  phase   = "http_request_origin"\n${zone.originRules
        .map(
          (rule) =>
            `  rules {\n    action      = "route"\n    expression  = ${str(hostExpression(rule.hostname))}\n    description = ${str(rule.description)}\n    enabled     = true\n    action_parameters {\n      origin {\n${rule.host ? `        host = ${str(rule.host)}\n` : ""}${rule.port ? `        port = ${rule.port}\n` : ""}      }\n    }\n  }\n`,
        )
        .join("")}}\n`,
    );
  return parts.join("\n");
}

/** The zone as 5.x Terraform JSON (`cloudflare_dns_record`, `cloudflare_zone_setting`, rules lists). */
export function tfJson5(zone: LabZone): unknown {
  const id = zoneId(zone.name);
  const settings: Record<string, unknown> = {
    ssl: { zone_id: id, setting_id: "ssl", value: zone.ssl },
  };
  if (zone.aop !== undefined)
    settings.aop = { zone_id: id, setting_id: "tls_client_auth", value: zone.aop ? "on" : "off" };
  const rulesets: Record<string, unknown> = {};
  if (zone.configRules?.length)
    rulesets.config = {
      zone_id: id,
      name: "per-hostname settings",
      kind: "zone",
      phase: "http_config_settings",
      rules: zone.configRules.map((rule) => ({
        action: "set_config",
        expression: hostExpression(rule.hostname),
        description: rule.description,
        enabled: true,
        action_parameters: { ssl: rule.ssl },
      })),
    };
  if (zone.originRules?.length)
    rulesets.origin = {
      zone_id: id,
      name: "origin rules",
      kind: "zone",
      phase: "http_request_origin",
      rules: zone.originRules.map((rule) => ({
        action: "route",
        expression: hostExpression(rule.hostname),
        description: rule.description,
        enabled: true,
        action_parameters: {
          origin: { ...(rule.host ? { host: rule.host } : {}), ...(rule.port ? { port: rule.port } : {}) },
        },
      })),
    };
  return {
    terraform: { required_providers: { cloudflare: { source: "cloudflare/cloudflare", version: "~> 5.8" } } },
    resource: {
      cloudflare_zone_setting: settings,
      cloudflare_dns_record: Object.fromEntries(
        zone.records.map((r, i) => [
          `${label(r.name)}_${i}`,
          {
            zone_id: id,
            name: fqdn(zone.name, r.name),
            type: r.type,
            content: r.content,
            proxied: r.proxied,
            ttl: r.proxied ? 1 : 300,
          },
        ]),
      ),
      ...(Object.keys(rulesets).length > 0 ? { cloudflare_ruleset: rulesets } : {}),
    },
  };
}

/** Write the zones as the code declares them into a fresh folder; returns the folder. */
export function writeDesired(shape: "hcl4" | "json5", zones: readonly LabZone[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "cfpl-edgelab-code-"));
  zones.forEach((zone, i) => {
    if (shape === "hcl4") writeFileSync(path.join(dir, `zone${i}.tf`), hcl4(zone));
    else writeFileSync(path.join(dir, `zone${i}.tf.json`), JSON.stringify(tfJson5(zone), null, 2));
  });
  return dir;
}

/** The zone as it stands live (the emulator's seed). */
export function zoneSeed(zone: LabZone): ZoneSeed {
  return {
    id: zoneId(zone.name),
    name: zone.name,
    accountId: LAB_ACCOUNT,
    ssl: zone.ssl,
    records: zone.records.map((r) => ({
      name: fqdn(zone.name, r.name),
      type: r.type,
      content: r.content,
      proxied: r.proxied,
      ttl: r.proxied ? 1 : 300,
    })),
    ...(zone.configRules?.length
      ? {
          configRules: zone.configRules.map((rule) => ({
            description: rule.description,
            expression: hostExpression(rule.hostname),
            ssl: rule.ssl,
          })),
        }
      : {}),
    ...(zone.originRules?.length
      ? {
          originRules: zone.originRules.map((rule) => ({
            description: rule.description,
            expression: hostExpression(rule.hostname),
            ...(rule.host ? { host: rule.host } : {}),
            ...(rule.port ? { port: rule.port } : {}),
          })),
        }
      : {}),
    originPulls: { global: zone.aop ?? false, zoneCertificate: false, hostnames: [] },
  };
}

export type TunnelSeeds = NonNullable<NonNullable<Seed["accounts"]>[number]["tunnels"]>;

export function accountSeed(tunnels: TunnelSeeds = []): NonNullable<Seed["accounts"]>[number] {
  return { id: LAB_ACCOUNT, tunnels };
}
