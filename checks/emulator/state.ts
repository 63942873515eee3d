import { randomBytes } from "node:crypto";
import type { IPListResponse } from "cloudflare/resources/ips/ips";
import type { PageRule } from "cloudflare/resources/page-rules/page-rules";
import type { ItemListResponse } from "cloudflare/resources/rules/lists/items";
import type { ListsList } from "cloudflare/resources/rules/lists/lists";
import type { PhaseGetResponse } from "cloudflare/resources/rulesets/phases/phases";
import type { SettingGetResponse } from "cloudflare/resources/zones/settings";
import type { Zone } from "cloudflare/resources/zones/zones";
import { asciiHostname } from "../model/record.js";
import type { SslMode } from "../model/ssl-mode.js";
import { DEFAULT_IPS } from "./default-ips.js";
import {
  buildConfigRule,
  buildEntrypoint,
  buildOriginPulls,
  buildPageRule,
  buildTunnel,
  type EmulatedOriginPulls,
  type EmulatedRuleset,
  type EmulatedTunnel,
  listedRuleset,
  managedRuleset,
  sortPageRules,
} from "./edge-responses.js";
import { ApiFailure } from "./envelope.js";
import { CF_ERROR } from "./limits.js";
import { PERMISSIONS, type Permission, type TokenGrant } from "./permissions.js";
import { buildRecord, type EmulatedRecord, recordToInput } from "./record-response.js";
import {
  type ConfigRuleInput,
  type ListSeed,
  listSeedSchema,
  type OriginPullsInput,
  type OriginRuleInput,
  originRuleInputSchema,
  type PageRuleInput,
  type ParsedSeed,
  type RecordInput,
  recordInputSchema,
  type TunnelSeed,
  type ZoneSeed,
  zoneSeedSchema,
} from "./seed.js";

export type IpItem = ItemListResponse.ListsListItemIPFull;
export type SslSetting = SettingGetResponse.ZonesSSL2;
export type IpRanges = IPListResponse.PublicIPIPs;

export function newId(): string {
  return randomBytes(16).toString("hex");
}

function now(): string {
  return new Date().toISOString();
}

function compareRecords(a: EmulatedRecord, b: EmulatedRecord): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.type !== b.type) return a.type < b.type ? -1 : 1;
  const ac = a.content ?? "";
  const bc = b.content ?? "";
  if (ac !== bc) return ac < bc ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

interface ZoneEntry {
  zone: Zone;
  ssl: SslSetting;
  originRuleset: PhaseGetResponse | undefined;
  configRuleset: EmulatedRuleset | undefined;
  pageRules: PageRule[];
  originPulls: EmulatedOriginPulls;
  readonly records: Map<string, EmulatedRecord>;
  /** Records sorted once (by name, type, content, id); `undefined` after a write. */
  sorted: EmulatedRecord[] | undefined;
  /** Each record's JSON, serialised once and reused by every list page. */
  readonly json: Map<string, string>;
}

interface ListEntry {
  list: ListsList;
  readonly items: IpItem[];
}

function notFoundRoute(path: string): ApiFailure {
  return new ApiFailure(404, [
    {
      code: CF_ERROR.invalidObjectIdentifier,
      message: `Could not route to ${path}, perhaps your object identifier is invalid?`,
    },
    { code: CF_ERROR.noRoute, message: "No route for that URI" },
  ]);
}

/** The emulated account: zones with records and settings, account lists, Cloudflare's ranges, tokens. */
export class EmulatorState {
  readonly #zones = new Map<string, ZoneEntry>();
  readonly #accounts = new Map<string, Map<string, ListEntry>>();
  readonly #tunnels = new Map<string, Map<string, EmulatedTunnel>>();
  #ips: IpRanges;
  #tokens = new Map<string, readonly Permission[] | "all">();

  constructor(ips?: IpRanges) {
    this.#ips = ips ?? DEFAULT_IPS;
  }

  // ---- tokens ------------------------------------------------------------------------------

  /** Accept `token` with the given permissions (all of them when omitted). */
  grantToken(token: string, permissions?: readonly Permission[]): void {
    this.#tokens.set(token, permissions ?? "all");
  }

  revokeToken(token: string): void {
    this.#tokens.delete(token);
  }

  /** `undefined`: unknown token. */
  permissionsOf(token: string): readonly Permission[] | "all" | undefined {
    return this.#tokens.get(token);
  }

  get tokens(): readonly TokenGrant[] {
    return [...this.#tokens].map(([token, p]) => ({ token, permissions: p === "all" ? PERMISSIONS : p }));
  }

  // ---- seeding -----------------------------------------------------------------------------

  seed(seed: ParsedSeed): void {
    if (seed.ips) this.#ips = seed.ips;
    for (const account of seed.accounts) {
      this.#account(account.id);
      for (const list of account.lists) this.addList(account.id, list);
      for (const tunnel of account.tunnels) this.addTunnel(account.id, tunnel);
    }
    for (const zone of seed.zones) this.addZone(zone);
  }

  // ---- zones -------------------------------------------------------------------------------

  addZone(input: ZoneSeed): Zone {
    const seed = zoneSeedSchema.parse(input);
    const name = asciiHostname(seed.name.toLowerCase()).replace(/\.$/, "");
    if (this.zoneByName(name)) throw new Error(`zone ${name} exists already`);
    const id = seed.id ?? newId();
    const created = now();
    const accountId = seed.accountId ?? "0".repeat(32);
    const zone: Zone = {
      id,
      name,
      status: seed.status,
      paused: false,
      type: "full",
      account: { id: accountId, name: "Emulated account" },
      activated_on: seed.status === "active" ? created : null,
      created_on: created,
      modified_on: created,
      development_mode: 0,
      meta: {
        cdn_only: false,
        dns_only: false,
        foundation_dns: false,
        page_rule_quota: seed.pageRuleQuota,
        step: 2,
      },
      name_servers: ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"],
      original_dnshost: null,
      original_name_servers: null,
      original_registrar: null,
      owner: { type: "user" },
      plan: { id: "0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee", name: "Free Website", price: 0, currency: "USD" },
    };
    const entry: ZoneEntry = {
      zone,
      ssl: { id: "ssl", value: seed.ssl, editable: true, modified_on: created },
      originRuleset: undefined,
      configRuleset: undefined,
      pageRules: [],
      originPulls: buildOriginPulls(seed.originPulls, newId(), created),
      records: new Map(),
      sorted: undefined,
      json: new Map(),
    };
    this.#zones.set(id, entry);
    if (seed.originRules) this.setOriginRules(id, seed.originRules);
    if (seed.configRules) this.setConfigRules(id, seed.configRules);
    this.setPageRules(id, seed.pageRules);
    this.addRecords(id, seed.records);
    return zone;
  }

  zones(): readonly Zone[] {
    return [...this.#zones.values()].map((z) => z.zone).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  zone(id: string): Zone {
    return this.#entry(id).zone;
  }

  zoneByName(name: string): Zone | undefined {
    const wanted = name.toLowerCase().replace(/\.$/, "");
    for (const entry of this.#zones.values()) if (entry.zone.name === wanted) return entry.zone;
    return undefined;
  }

  hasZone(id: string): boolean {
    return this.#zones.has(id);
  }

  #entry(zoneId: string): ZoneEntry {
    const entry = this.#zones.get(zoneId);
    if (!entry) throw notFoundRoute(`/zones/${zoneId}`);
    return entry;
  }

  // ---- records -----------------------------------------------------------------------------

  addRecord(zoneId: string, input: RecordInput): EmulatedRecord {
    const [record] = this.addRecords(zoneId, [input]);
    return record!;
  }

  /** Add many records at once (sorted once, on the next read). */
  addRecords(zoneId: string, inputs: readonly RecordInput[]): EmulatedRecord[] {
    const entry = this.#entry(zoneId);
    const created = now();
    const added = inputs.map((raw) => {
      const input = recordInputSchema.parse(raw);
      const id = input.id ?? newId();
      if (entry.records.has(id)) throw new Error(`record ${id} exists already`);
      return buildRecord(input, entry.zone.name, id, created);
    });
    for (const record of added) entry.records.set(record.id, record);
    entry.sorted = undefined;
    return added;
  }

  getRecord(zoneId: string, recordId: string): EmulatedRecord {
    const record = this.#entry(zoneId).records.get(recordId);
    if (!record)
      throw new ApiFailure(404, [{ code: CF_ERROR.recordNotFound, message: "Record does not exist." }]);
    return record;
  }

  /** PUT (replace) or PATCH (merge) a record. */
  updateRecord(
    zoneId: string,
    recordId: string,
    input: Partial<RecordInput>,
    merge: boolean,
  ): EmulatedRecord {
    const entry = this.#entry(zoneId);
    const old = this.getRecord(zoneId, recordId);
    const next = recordInputSchema.parse(merge ? { ...recordToInput(old), ...input } : input);
    const record = buildRecord(next, entry.zone.name, recordId, old.created_on, now());
    entry.records.set(recordId, record);
    entry.json.delete(recordId);
    entry.sorted = undefined;
    return record;
  }

  deleteRecord(zoneId: string, recordId: string): void {
    const entry = this.#entry(zoneId);
    this.getRecord(zoneId, recordId);
    entry.records.delete(recordId);
    entry.json.delete(recordId);
    entry.sorted = undefined;
  }

  /** All records of a zone, in the API's stable order. */
  records(zoneId: string): readonly EmulatedRecord[] {
    const entry = this.#entry(zoneId);
    entry.sorted ??= [...entry.records.values()].sort(compareRecords);
    return entry.sorted;
  }

  /** A record's JSON, serialised once. */
  recordJson(zoneId: string, record: EmulatedRecord): string {
    const entry = this.#entry(zoneId);
    let json = entry.json.get(record.id);
    if (json === undefined) {
      json = JSON.stringify(record);
      entry.json.set(record.id, json);
    }
    return json;
  }

  // ---- settings and rules ------------------------------------------------------------------

  ssl(zoneId: string): SslSetting {
    return this.#entry(zoneId).ssl;
  }

  setSsl(zoneId: string, value: SslMode): SslSetting {
    const entry = this.#entry(zoneId);
    entry.ssl = { id: "ssl", value, editable: true, modified_on: now() };
    return entry.ssl;
  }

  originRuleset(zoneId: string): PhaseGetResponse | undefined {
    return this.#entry(zoneId).originRuleset;
  }

  /** Replace the zone's `http_request_origin` entrypoint; `undefined` removes it (the API answers 404). */
  setOriginRules(zoneId: string, rules: readonly OriginRuleInput[] | undefined): void {
    const entry = this.#entry(zoneId);
    if (rules === undefined) {
      entry.originRuleset = undefined;
      return;
    }
    const updated = now();
    const version = String(Number(entry.originRuleset?.version ?? "0") + 1);
    entry.originRuleset = {
      id: entry.originRuleset?.id ?? newId(),
      kind: "zone",
      name: "default",
      phase: "http_request_origin",
      last_updated: updated,
      version,
      rules: rules.map((raw) => {
        const rule = originRuleInputSchema.parse(raw);
        const origin = {
          ...(rule.host === undefined ? {} : { host: rule.host }),
          ...(rule.port === undefined ? {} : { port: rule.port }),
        };
        const routeRule: PhaseGetResponse.RouteRule = {
          id: rule.id ?? newId(),
          ref: rule.id ?? newId(),
          action: "route",
          action_parameters: {
            ...(Object.keys(origin).length > 0 ? { origin } : {}),
            ...(rule.hostHeader === undefined ? {} : { host_header: rule.hostHeader }),
            ...(rule.sni === undefined ? {} : { sni: { value: rule.sni } }),
          },
          enabled: rule.enabled,
          expression: rule.expression,
          last_updated: updated,
          version,
          ...(rule.description === undefined ? {} : { description: rule.description }),
        };
        return routeRule;
      }),
    };
  }

  /** Replace the zone's `http_config_settings` entrypoint; `undefined` removes it (the API answers 404). */
  setConfigRules(zoneId: string, rules: readonly ConfigRuleInput[] | undefined): void {
    const entry = this.#entry(zoneId);
    if (rules === undefined) {
      entry.configRuleset = undefined;
      return;
    }
    const updated = now();
    const version = String(Number(entry.configRuleset?.version ?? "0") + 1);
    entry.configRuleset = buildEntrypoint(
      "http_config_settings",
      entry.configRuleset?.id ?? newId(),
      version,
      updated,
      rules.map((rule) => buildConfigRule(rule, newId(), version, updated)),
    );
  }

  /** The zone entry point of `phase`, or undefined (the API answers 404). */
  entrypoint(zoneId: string, phase: string): PhaseGetResponse | EmulatedRuleset | undefined {
    const entry = this.#entry(zoneId);
    if (phase === "http_request_origin") return entry.originRuleset;
    if (phase === "http_config_settings") return entry.configRuleset;
    return undefined;
  }

  /** The zone's rulesets without their rules, as `GET /zones/{id}/rulesets` lists them. */
  rulesets(zoneId: string): readonly Omit<EmulatedRuleset, "rules">[] {
    const entry = this.#entry(zoneId);
    const origin = entry.originRuleset;
    return [
      listedRuleset(managedRuleset(entry.zone.created_on)),
      ...(origin
        ? [
            {
              id: origin.id,
              name: origin.name,
              description: origin.description ?? "",
              kind: "zone" as const,
              phase: origin.phase,
              version: origin.version,
              last_updated: origin.last_updated,
            },
          ]
        : []),
      ...(entry.configRuleset ? [listedRuleset(entry.configRuleset)] : []),
    ];
  }

  setPageRules(zoneId: string, rules: readonly PageRuleInput[]): void {
    const entry = this.#entry(zoneId);
    const created = now();
    entry.pageRules = sortPageRules(rules.map((rule) => buildPageRule(rule, newId(), created)));
  }

  pageRules(zoneId: string): readonly PageRule[] {
    return this.#entry(zoneId).pageRules;
  }

  setOriginPulls(zoneId: string, input: OriginPullsInput): void {
    this.#entry(zoneId).originPulls = buildOriginPulls(input, newId(), now());
  }

  originPulls(zoneId: string): EmulatedOriginPulls {
    return this.#entry(zoneId).originPulls;
  }

  // ---- tunnels -----------------------------------------------------------------------------

  addTunnel(accountId: string, seed: TunnelSeed): EmulatedTunnel {
    let tunnels = this.#tunnels.get(accountId);
    if (!tunnels) {
      tunnels = new Map();
      this.#tunnels.set(accountId, tunnels);
    }
    const built = buildTunnel(seed, accountId, now());
    if (tunnels.has(built.tunnel.id!)) throw new Error(`tunnel ${built.tunnel.id} exists already`);
    tunnels.set(built.tunnel.id!, built);
    return built;
  }

  /** A tunnel of the account, or undefined (the API answers 404). */
  tunnel(accountId: string, tunnelId: string): EmulatedTunnel | undefined {
    return this.#tunnels.get(accountId)?.get(tunnelId);
  }

  tunnels(accountId: string): readonly EmulatedTunnel[] {
    return [...(this.#tunnels.get(accountId)?.values() ?? [])];
  }

  // ---- ips ---------------------------------------------------------------------------------

  get ips(): IpRanges {
    return this.#ips;
  }

  setIps(ips: IpRanges): void {
    this.#ips = ips;
  }

  // ---- account lists -----------------------------------------------------------------------

  #account(accountId: string): Map<string, ListEntry> {
    let lists = this.#accounts.get(accountId);
    if (!lists) {
      lists = new Map();
      this.#accounts.set(accountId, lists);
    }
    return lists;
  }

  hasAccount(accountId: string): boolean {
    return this.#accounts.has(accountId);
  }

  addList(accountId: string, input: ListSeed): ListsList {
    const seed = listSeedSchema.parse(input);
    const created = now();
    const items: IpItem[] = seed.items.map((given) => {
      const value = typeof given === "string" ? { ip: given } : given;
      const item: IpItem = { id: newId(), ip: value.ip, created_on: created, modified_on: created };
      return value.comment === undefined ? item : { ...item, comment: value.comment };
    });
    const list: ListsList = {
      id: seed.id ?? newId(),
      name: seed.name,
      kind: seed.kind,
      created_on: created,
      modified_on: created,
      num_items: items.length,
      num_referencing_filters: 0,
      ...(seed.description === undefined ? {} : { description: seed.description }),
    };
    this.#account(accountId).set(list.id, { list, items });
    return list;
  }

  lists(accountId: string): readonly ListsList[] {
    const lists = this.#accounts.get(accountId);
    if (!lists) throw notFoundRoute(`/accounts/${accountId}/rules/lists`);
    return [...lists.values()].map((l) => l.list);
  }

  listItems(accountId: string, listId: string): readonly IpItem[] {
    const entry = this.#accounts.get(accountId)?.get(listId);
    if (!entry) throw new ApiFailure(404, [{ code: CF_ERROR.listNotFound, message: "list not found" }]);
    return entry.items;
  }
}
