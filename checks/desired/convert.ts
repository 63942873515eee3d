import type { z } from "zod";
import { InputError } from "../errors.js";
import type { Acknowledgement } from "../model/acknowledgement.js";
import type { IpList } from "../model/ip-list.js";
import { DEFAULT_MIGRATION_POLICY, type MigrationPolicy } from "../model/migration.js";
import type { Allowlist, HostRoute, Origin } from "../model/origin.js";
import { hostnamesOfExpression, type OriginRule } from "../model/origin-rule.js";
import { type DnsRecord, normalizeFqdn, TTL_AUTO } from "../model/record.js";
import type { SourceRef } from "../model/source.js";
import type { SslMode } from "../model/ssl-mode.js";
import { isTerraformExpression, known, type Resolvable, unresolved } from "../model/value.js";
import type { DesiredZone } from "../model/zone.js";
import { DECLARATIONS_KEY, Declarations } from "./declarations.js";
import {
  constructPathOf,
  DnsRecordResource,
  ListItemResource,
  ListResource,
  RENAMED_TYPES,
  RulesetResource,
  TerraformJson,
  ZoneDataSource,
  ZoneResource,
  ZoneSettingResource,
} from "./terraform-json.js";
import { formatPath, inputErrorFromZod } from "./zod-issue.js";

/** What one Terraform JSON document declares. */
export interface ConvertedDocument {
  readonly zones: DesiredZone[];
  readonly ipLists: IpList[];
}

const ZONE_REFERENCE = /^\$\{(data\.)?cloudflare_zone\.([A-Za-z0-9_-]+)\.(zone_id|id)\}$/;
const LIST_REFERENCE = /^\$\{cloudflare_list\.([A-Za-z0-9_-]+)\.id\}$/;

interface ZoneBuilder {
  name: Resolvable<string>;
  id: Resolvable<string> | undefined;
  sslMode: Resolvable<SslMode> | undefined;
  sslSource?: SourceRef;
  records: DnsRecord[];
  originRules: OriginRule[];
  origins: Origin[];
  hostnames: HostRoute[];
  acknowledgements: Acknowledgement[];
  migration: MigrationPolicy;
  source: SourceRef;
}

/**
 * Terraform JSON → the desired model (pure). Throws InputError naming the file, the path inside it
 * and what was expected. Terraform references stay explicit unresolved values.
 */
export function convertTerraformJson(document: unknown, file: string, stack?: string): ConvertedDocument {
  const top = parse(TerraformJson, document, file, []);
  const zones = new Map<string, ZoneBuilder>();
  const sourceOf = (address: string, block: { "//"?: unknown }): SourceRef => ({
    file,
    ...(stack !== undefined ? { stack } : {}),
    address,
    ...(constructPathOf(block) !== undefined ? { constructPath: constructPathOf(block) } : {}),
  });
  const newZone = (
    name: Resolvable<string>,
    id: Resolvable<string> | undefined,
    source: SourceRef,
  ): ZoneBuilder => ({
    name,
    id,
    sslMode: undefined,
    records: [],
    originRules: [],
    origins: [],
    hostnames: [],
    acknowledgements: [],
    migration: DEFAULT_MIGRATION_POLICY,
    source,
  });

  for (const type of Object.keys(top.resource ?? {})) {
    const renamed = RENAMED_TYPES[type];
    if (renamed) throw new InputError(file, `resource.${type}`, renamed, `${type} is the 4.x name`);
  }

  // Zone anchors: data sources and zone resources that records refer to.
  for (const [name, raw] of Object.entries(top.data?.cloudflare_zone ?? {})) {
    const zone = parse(ZoneDataSource, raw, file, ["data", "cloudflare_zone", name]);
    const zoneName = zone.filter?.name ?? zone.name;
    const reference = `\${data.cloudflare_zone.${name}.zone_id}`;
    zones.set(
      `data.cloudflare_zone.${name}`,
      newZone(
        zoneName ? normalizeFqdn(zoneName) : unresolved(`zone of data.cloudflare_zone.${name}`),
        zone.zone_id ?? unresolved(reference),
        sourceOf(`data.cloudflare_zone.${name}`, zone),
      ),
    );
  }
  for (const [name, raw] of Object.entries(top.resource?.cloudflare_zone ?? {})) {
    const zone = parse(ZoneResource, raw, file, ["resource", "cloudflare_zone", name]);
    zones.set(
      `cloudflare_zone.${name}`,
      newZone(
        normalizeFqdn(zone.name),
        unresolved(`\${cloudflare_zone.${name}.id}`),
        sourceOf(`cloudflare_zone.${name}`, zone),
      ),
    );
  }

  const zoneFor = (zoneId: string, path: readonly PropertyKey[], source: SourceRef): ZoneBuilder => {
    const ref = ZONE_REFERENCE.exec(zoneId);
    if (ref) {
      const key = `${ref[1] ? "data." : ""}cloudflare_zone.${ref[2]}`;
      const zone = zones.get(key);
      if (!zone)
        throw new InputError(
          file,
          formatPath(path),
          `a reference to a cloudflare_zone declared in this file`,
          `${key} is not declared`,
        );
      return zone;
    }
    const key = isTerraformExpression(zoneId) ? `expr:${zoneId}` : `id:${zoneId}`;
    let zone = zones.get(key);
    if (!zone) {
      zone = isTerraformExpression(zoneId)
        ? newZone(unresolved(`zone of ${zoneId}`), unresolved(zoneId), source)
        : newZone(unresolved(`name of zone ${zoneId}`), zoneId, source);
      zones.set(key, zone);
    }
    return zone;
  };

  for (const [name, raw] of Object.entries(top.resource?.cloudflare_zone_setting ?? {})) {
    const path = ["resource", "cloudflare_zone_setting", name];
    const setting = parse(ZoneSettingResource, raw, file, path);
    if (setting.setting_id !== "ssl") continue;
    const source = sourceOf(`cloudflare_zone_setting.${name}`, setting);
    const zone = zoneFor(setting.zone_id, [...path, "zone_id"], source);
    if (zone.sslMode !== undefined)
      throw new InputError(
        file,
        formatPath(path),
        "one ssl setting per zone",
        `also set by ${zone.sslSource?.address}`,
      );
    const value = setting.value as string;
    zone.sslMode = isTerraformExpression(value) ? unresolved(value) : (value as SslMode);
    zone.sslSource = source;
  }

  for (const [name, raw] of Object.entries(top.resource?.cloudflare_dns_record ?? {})) {
    const path = ["resource", "cloudflare_dns_record", name];
    const record = parse(DnsRecordResource, raw, file, path);
    const source = sourceOf(`cloudflare_dns_record.${name}`, record);
    const zone = zoneFor(record.zone_id, [...path, "zone_id"], source);
    zone.records.push(toRecord(record, known(zone.name), source));
  }

  for (const [name, raw] of Object.entries(top.resource?.cloudflare_ruleset ?? {})) {
    const path = ["resource", "cloudflare_ruleset", name];
    const ruleset = parse(RulesetResource, raw, file, path);
    if (ruleset.phase !== "http_request_origin" || ruleset.zone_id === undefined) continue;
    const source = sourceOf(`cloudflare_ruleset.${name}`, ruleset);
    const zone = zoneFor(ruleset.zone_id, [...path, "zone_id"], source);
    for (const rule of ruleset.rules ?? []) {
      if (rule.action !== undefined && rule.action !== "route") continue;
      const origin = rule.action_parameters?.origin;
      zone.originRules.push({
        expression: rule.expression,
        hostnames: hostnamesOfExpression(rule.expression),
        ...(origin?.port !== undefined ? { port: origin.port } : {}),
        ...(origin?.host !== undefined ? { host: origin.host } : {}),
        enabled: rule.enabled !== false,
        source,
      });
    }
  }

  const ipLists = readIpLists(top, file, sourceOf);
  applyDeclarations(top, file, zoneFor);

  return {
    zones: [...zones.values()].map((z) => ({ ...z, ...(z.sslSource ? { sslSource: z.sslSource } : {}) })),
    ipLists,
  };
}

function toRecord(record: DnsRecordResource, zoneName: string | undefined, source: SourceRef): DnsRecord {
  const proxied: Resolvable<boolean> =
    typeof record.proxied === "string" ? unresolved(record.proxied) : (record.proxied ?? false);
  const ttl: Resolvable<number> =
    typeof record.ttl === "string" ? unresolved(record.ttl) : (record.ttl ?? TTL_AUTO);
  const content: Resolvable<string> =
    record.content === undefined
      ? renderData(record.data ?? {})
      : isTerraformExpression(record.content)
        ? unresolved(record.content)
        : record.content;
  return {
    fqdn: qualify(record.name, zoneName),
    type: record.type,
    content,
    proxied,
    ttl,
    ...(record.priority !== undefined ? { priority: record.priority } : {}),
    ...(record.comment !== undefined ? { comment: record.comment } : {}),
    ...(record.tags !== undefined ? { tags: record.tags } : {}),
    source,
  };
}

/** A name the API would store: `@` is the apex, a relative name gets the zone appended. */
export function qualify(name: string, zoneName: string | undefined): string {
  const fqdn = normalizeFqdn(name);
  if (zoneName === undefined) return fqdn;
  if (fqdn === "@") return zoneName;
  return fqdn === zoneName || fqdn.endsWith(`.${zoneName}`) ? fqdn : `${fqdn}.${zoneName}`;
}

/** Structured records (SRV, CAA, ...) keep their `data` as one comparable text. */
function renderData(data: Record<string, unknown>): string {
  return Object.keys(data)
    .sort()
    .map((k) => `${k}=${String(data[k])}`)
    .join(" ");
}

function readIpLists(
  top: TerraformJson,
  file: string,
  sourceOf: (address: string, block: { "//"?: unknown }) => SourceRef,
): IpList[] {
  const lists = new Map<
    string,
    { name: string; accountId: Resolvable<string>; items: string[]; source: SourceRef }
  >();
  for (const [name, raw] of Object.entries(top.resource?.cloudflare_list ?? {})) {
    const list = parse(ListResource, raw, file, ["resource", "cloudflare_list", name]);
    if (list.kind !== "ip") continue;
    lists.set(name, {
      name: list.name,
      accountId: isTerraformExpression(list.account_id) ? unresolved(list.account_id) : list.account_id,
      items: (list.items ?? []).flatMap((i) => (i.ip ? [i.ip] : [])),
      source: sourceOf(`cloudflare_list.${name}`, list),
    });
  }
  for (const [name, raw] of Object.entries(top.resource?.cloudflare_list_item ?? {})) {
    const path = ["resource", "cloudflare_list_item", name];
    const item = parse(ListItemResource, raw, file, path);
    const ref = LIST_REFERENCE.exec(item.list_id);
    const list = ref ? lists.get(ref[1]!) : undefined;
    if (!list)
      throw new InputError(
        file,
        `${formatPath(path)}.list_id`,
        "a reference to a cloudflare_list of kind ip in this file",
        item.list_id,
      );
    if (item.ip) list.items.push(item.ip);
  }
  return [...lists.values()];
}

function applyDeclarations(
  top: TerraformJson,
  file: string,
  zoneFor: (zoneId: string, path: readonly PropertyKey[], source: SourceRef) => ZoneBuilder,
): void {
  const raw = top["//"]?.[DECLARATIONS_KEY];
  if (raw === undefined) return;
  const prefix = ["//", DECLARATIONS_KEY];
  const declarations = parse(Declarations, raw, file, prefix);
  declarations.zones.forEach((declared, zi) => {
    const zonePath = [...prefix, "zones", zi];
    const zone = zoneFor(declared.zoneId, [...zonePath, "zoneId"], { file });
    const zoneName = normalizeFqdn(declared.zone);
    const name = known(zone.name);
    if (name === undefined) zone.name = zoneName;
    else if (name !== zoneName)
      throw new InputError(
        file,
        formatPath([...zonePath, "zone"]),
        `the zone named by zoneId (${name})`,
        declared.zone,
      );
    const originNames = new Set<string>();
    declared.origins.forEach((o, oi) => {
      if (originNames.has(o.name))
        throw new InputError(
          file,
          formatPath([...zonePath, "origins", oi, "name"]),
          "a unique origin name",
          `${o.name} is declared twice`,
        );
      originNames.add(o.name);
      zone.origins.push({
        name: o.name,
        ipv4: o.ipv4.map((a) => (isTerraformExpression(a) ? unresolved(a) : a)),
        ipv6: o.ipv6.map((a) => (isTerraformExpression(a) ? unresolved(a) : a)),
        ports: o.ports,
        allowlist: toAllowlist(o.allowlist),
        source: { file, ...(o.constructPath ? { constructPath: o.constructPath } : {}) },
      });
    });
    declared.hostnames.forEach((h, hi) => {
      if (!originNames.has(h.origin))
        throw new InputError(
          file,
          formatPath([...zonePath, "hostnames", hi, "origin"]),
          `an origin declared in this zone (${[...originNames].join(", ") || "none"})`,
          h.origin,
        );
      zone.hostnames.push({
        fqdn: qualify(h.fqdn, zoneName),
        origin: h.origin,
        proxied: h.proxied,
        ...(h.originPort !== undefined ? { originPort: h.originPort } : {}),
        edgePorts: h.edgePorts,
        source: { file, ...(h.constructPath ? { constructPath: h.constructPath } : {}) },
      });
    });
    if (declared.migration !== undefined) zone.migration = migrationPolicy(declared.migration);
    for (const a of declared.acknowledgements) {
      zone.acknowledgements.push({
        rule: a.rule,
        ...(a.hostname !== undefined ? { hostname: qualify(a.hostname, zoneName) } : {}),
        ...(a.address !== undefined ? { address: a.address } : {}),
        ...(a.port !== undefined ? { port: a.port } : {}),
        reason: a.reason,
        ...(a.expires !== undefined ? { expires: a.expires } : {}),
        source: { file, ...(a.constructPath ? { constructPath: a.constructPath } : {}) },
      });
    }
  });
}

function migrationPolicy(declared: NonNullable<Declarations["zones"][number]["migration"]>): MigrationPolicy {
  const base = DEFAULT_MIGRATION_POLICY;
  return {
    ...base,
    paths: [...new Set(["/", ...(declared.paths ?? [])])],
    ...(declared.latencyFactor !== undefined ? { latencyFactor: declared.latencyFactor } : {}),
    ...(declared.maxChangeShare !== undefined ? { maxChangeShare: declared.maxChangeShare } : {}),
    ...(declared.minZoneRecords !== undefined ? { minZoneRecords: declared.minZoneRecords } : {}),
  };
}

function toAllowlist(declared: Declarations["zones"][number]["origins"][number]["allowlist"]): Allowlist {
  if (declared === "cloudflare") return { kind: "cloudflare" };
  if (declared === "none") return { kind: "none" };
  return { kind: "cidrs", cidrs: declared.cidrs };
}

function parse<T extends z.ZodType>(
  schema: T,
  value: unknown,
  file: string,
  path: readonly PropertyKey[],
): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw inputErrorFromZod(result.error, file, path);
  return result.data;
}
