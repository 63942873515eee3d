import type { z } from "zod";
import { InputError } from "../errors.js";
import type { Acknowledgement } from "../model/acknowledgement.js";
import type { ConfigRule, OriginPullSetting, PageRule, Tunnel } from "../model/edge-rules.js";
import type { IpList } from "../model/ip-list.js";
import { DEFAULT_MIGRATION_POLICY, type MigrationPolicy } from "../model/migration.js";
import type { Building } from "../model/mutable.js";
import type { Allowlist, HostRoute, Origin } from "../model/origin.js";
import type { OriginRule } from "../model/origin-rule.js";
import { type DnsRecord, normalizeFqdn } from "../model/record.js";
import type { SourceRef } from "../model/source.js";
import type { SslMode } from "../model/ssl-mode.js";
import { isTerraformExpression, known, type Resolvable, unresolved } from "../model/value.js";
import type { DesiredState, DesiredZone, InputZoneSummary } from "../model/zone.js";
import { type Declarations, declarationsSchema } from "./declarations.js";
import type { InstanceSet, RawDeclarations, UnresolvedInput } from "./instance.js";
import {
  type FirewallContext,
  firewallContext,
  originCloudFirewall,
  withoutUnusedFirewalls,
} from "./origin-firewalls.js";
import { CLOUDFLARE_ID } from "./providers/attributes.js";
import type { Facts, RecordFact, ZoneRef } from "./providers/facts.js";
import { adaptInstances } from "./providers/index.js";
import { isTfObject, type TfValue, Unknown } from "./terraform/value.js";
import { formatPath, inputErrorFromZod } from "./zod-issue.js";

/**
 * Facts → the desired model (pure). One zone is one zone across stacks, modules and files: facts
 * that name the same zone id, the same zone name, or the same `cloudflare_zone` resource or data
 * source are joined (union-find over those identities).
 */
class Identities {
  private readonly parent = new Map<string, string>();

  find(key: string): string {
    let root = key;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    this.parent.set(key, root);
    if (!this.parent.has(root)) this.parent.set(root, root);
    return root;
  }

  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

/** A reference matches an anchor when it is its address, or the address without the instance key. */
function refMatches(reference: string, anchor: string): boolean {
  return reference === anchor || (anchor.startsWith(reference) && anchor[reference.length] === "[");
}

/** The same, across cdktf stacks: `stack::address` names another stack's resource. */
function refMatchesIn(
  reference: string,
  fromStack: string | undefined,
  anchor: string,
  anchorStack: string | undefined,
): boolean {
  const split = reference.indexOf("::");
  const stack = split >= 0 ? reference.slice(0, split) : fromStack;
  const address = split >= 0 ? reference.slice(split + 2) : reference;
  return stack === anchorStack && refMatches(address, anchor);
}

interface ZoneDraft {
  keys: Set<string>;
  names: Map<string, SourceRef | undefined>;
  ids: Set<string>;
  expression?: string;
  anchorExpression?: string;
  sslMode?: Resolvable<SslMode>;
  sslSource?: SourceRef;
  sslAttribute?: string;
  records: DnsRecord[];
  originRules: OriginRule[];
  configRules: ConfigRule[];
  pageRules: PageRule[];
  originPulls: OriginPullSetting[];
  origins: Origin[];
  hostnames: HostRoute[];
  acknowledgements: Acknowledgement[];
  migration: MigrationPolicy;
  source?: SourceRef;
  pendingRecords: RecordFact[];
  /** Types of records whose name or type is unknown (counted in the inputs summary). */
  unknownRecords: string[];
  /** What those records point at (a literal content, or the addresses their content refers to). */
  unknownTargets: string[];
  /** Named by cf-preflight declarations: kept even when it declares nothing else. */
  declared?: boolean;
}

export function assembleDesired(set: InstanceSet): DesiredState {
  return assembleFacts(adaptInstances(set.instances), set);
}

/**
 * The model from facts already adapted from `set`'s instances (`set.instances` is not read again):
 * a caller that lets the instances go once adapted keeps a large configuration's evaluated values
 * and parsed document out of memory while the model is built.
 */
export function assembleFacts(facts: Facts, set: Omit<InstanceSet, "instances">): DesiredState {
  const declarations = set.declarations.map(validateDeclarations);
  const ids = new Identities();
  const anchorKeys = new Map<string, string>();
  const anchors = facts.zones;

  // The anchors a reference can name, by stack and by every address a reference may use for them
  // (`refMatches`: the address, or the address without an instance key): a lookup per reference
  // instead of a scan of every zone for every record.
  const anchorIndex = new Map<string, (typeof anchors)[number][]>();
  for (const anchor of anchors) {
    const forms = [anchor.address];
    for (let i = anchor.address.indexOf("["); i > 0; i = anchor.address.indexOf("[", i + 1))
      forms.push(anchor.address.slice(0, i));
    for (const form of new Set(forms)) {
      const key = `${anchor.source.stack ?? ""}\u0000${form}`;
      const list = anchorIndex.get(key);
      if (list) list.push(anchor);
      else anchorIndex.set(key, [anchor]);
    }
  }
  const anchorsFor = (reference: string, fromStack: string | undefined) => {
    const split = reference.indexOf("::");
    const stack = split >= 0 ? reference.slice(0, split) : fromStack;
    const address = split >= 0 ? reference.slice(split + 2) : reference;
    const found = anchorIndex.get(`${stack ?? ""}\u0000${address}`) ?? [];
    // The index holds exactly the anchors `refMatchesIn` accepts.
    return found.filter((a) => refMatchesIn(reference, fromStack, a.address, a.source.stack));
  };

  // Records of one zone share their reference (`AttributeReader.zone`): its anchors are found once.
  const anchorsOfRef = new WeakMap<ZoneRef, (typeof anchors)[number][]>();

  for (const anchor of anchors) {
    const key = `addr:${anchor.address}`;
    anchorKeys.set(anchor.address, key);
    ids.find(key);
    if (anchor.id) ids.union(key, `id:${anchor.id}`);
    if (anchor.name) ids.union(key, `name:${anchor.name}`);
  }

  /** The zone a reference names; `who` (a resource) is listed as unresolved when it cannot tell. */
  const keyOf = (ref: ZoneRef, who?: SourceRef): string => {
    const unknownZone = (why: string): void => {
      if (who) facts.unresolved.push({ address: who.address ?? who.file, attribute: "zone_id", why });
    };
    switch (ref.kind) {
      case "id":
        return ids.find(`id:${ref.id}`);
      case "name":
        return ids.find(`name:${ref.name}`);
      case "unknown":
        unknownZone(`the zone is not known: ${ref.why}`);
        return ids.find(`expr:${ref.expression}`);
      case "ref": {
        let anchored = anchorsOfRef.get(ref);
        if (anchored === undefined) {
          anchored = ref.addresses.flatMap((reference) => anchorsFor(reference, ref.stack));
          anchorsOfRef.set(ref, anchored);
        }
        // The one zone every anchor leads to, if they agree (no set: this runs for every record).
        let root: string | undefined;
        let several = false;
        for (const a of anchored) {
          const found = ids.find(anchorKeys.get(a.address)!);
          if (root === undefined) root = found;
          else if (found !== root) several = true;
        }
        if (root !== undefined && !several) return root;
        unknownZone(
          several
            ? `${ref.expression} may name any of several zones`
            : `${ref.expression} is not a zone this configuration declares or looks up`,
        );
        // Values read the same way elsewhere (the same data source and arguments) are the same zone.
        return ids.find(
          `expr:${root === undefined && ref.identity !== undefined ? ref.identity : ref.expression}`,
        );
      }
    }
  };

  // Declarations name zones by name and, optionally, the zone_id value their records carry.
  for (const declared of declarations) {
    for (const zone of declared.parsed.zones) {
      // A name known only to Terraform names no zone; its zoneId (if any) does (applyDeclarations).
      if (isTerraformExpression(zone.zone)) continue;
      const nameKey = `name:${normalizeFqdn(zone.zone)}`;
      ids.find(nameKey);
      const ref = declared.zoneRefs.get(zone.zoneId ?? "");
      if (ref) ids.union(nameKey, keyOf(ref));
    }
  }

  const drafts = new Map<string, ZoneDraft>();
  const draftFor = (ref: ZoneRef, anchor = false, who?: SourceRef): ZoneDraft => {
    const root = keyOf(ref, who);
    let draft = drafts.get(root);
    if (!draft) {
      draft = {
        keys: new Set(),
        names: new Map(),
        ids: new Set(),
        records: [],
        originRules: [],
        configRules: [],
        pageRules: [],
        originPulls: [],
        origins: [],
        hostnames: [],
        acknowledgements: [],
        migration: DEFAULT_MIGRATION_POLICY,
        pendingRecords: [],
        unknownRecords: [],
        unknownTargets: [],
      };
      drafts.set(root, draft);
    }
    if (ref.kind === "unknown" || ref.kind === "ref") {
      if (anchor) draft.anchorExpression ??= `${ref.expression}.id`;
      else draft.expression ??= ref.expression;
    }
    return draft;
  };

  for (const anchor of anchors) {
    const draft = draftFor(
      {
        kind: "ref",
        addresses: [anchor.address],
        expression: anchor.address,
        ...(anchor.source.stack !== undefined ? { stack: anchor.source.stack } : {}),
      },
      true,
    );
    if (anchor.name) draft.names.set(anchor.name, anchor.source);
    if (anchor.id) draft.ids.add(anchor.id);
    // A zone the code creates is managed even when nothing else in the code refers to it.
    if (anchor.managed) draft.declared = true;
    draft.source ??= anchor.source;
  }
  // Records of one zone share one reference (`AttributeReader.zone`): its draft is found once,
  // unless finding it listed something as unresolved, which is said for every record.
  const draftOfRef = new Map<ZoneRef, ZoneDraft>();
  const records = facts.records;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    let draft = draftOfRef.get(record.zone);
    if (draft === undefined) {
      const listed = facts.unresolved.length;
      draft = draftFor(record.zone, false, record.source);
      if (record.zone.kind === "ref" && facts.unresolved.length === listed)
        draftOfRef.set(record.zone, draft);
    }
    if (record.zone.kind === "id") draft.ids.add(record.zone.id);
    draft.pendingRecords.push(record);
    draft.source ??= record.source;
  }
  for (const record of facts.unknownRecords) {
    const draft = draftFor(record.zone, false, record.source);
    draft.unknownRecords.push(record.type ?? "UNKNOWN");
    if (record.type === undefined || record.type === "CNAME")
      draft.unknownTargets.push(...(record.targets ?? []));
    draft.source ??= record.source;
  }
  for (const ssl of facts.ssl) {
    const draft = draftFor(ssl.zone, false, ssl.source);
    const before = draft.sslMode;
    if (before !== undefined && JSON.stringify(before) !== JSON.stringify(ssl.value)) {
      // Two resources set the zone's mode: whichever Terraform applies last wins. Not a guess to make.
      const why = `the zone's SSL mode is set both here (${describeMode(ssl.value)}) and by ${draft.sslSource?.address ?? draft.sslSource?.file} (${describeMode(before)}); which one applies last is not known`;
      facts.unresolved.push({
        address: ssl.source.address ?? ssl.source.file,
        attribute: ssl.attribute ?? "ssl",
        why,
      });
      if (draft.sslSource)
        facts.unresolved.push({
          address: draft.sslSource.address ?? draft.sslSource.file,
          attribute: draft.sslAttribute ?? "ssl",
          why,
        });
      draft.sslMode = unresolved("conflicting SSL mode settings");
      continue;
    }
    draft.sslMode = ssl.value;
    draft.sslSource = ssl.source;
    if (ssl.attribute) draft.sslAttribute = ssl.attribute;
  }
  for (const rule of facts.originRules) draftFor(rule.zone, false, rule.source).originRules.push(rule.value);
  for (const rule of facts.configRules) draftFor(rule.zone, false, rule.source).configRules.push(rule.value);
  for (const rule of facts.pageRules) draftFor(rule.zone, false, rule.source).pageRules.push(rule.value);
  for (const pull of facts.originPulls) draftFor(pull.zone, false, pull.source).originPulls.push(pull.value);

  const firewalls = firewallContext(facts.cloudFirewalls, set.unresolved);
  for (const declared of declarations) applyDeclarations(declared, draftFor, facts.unresolved, firewalls);

  const zones: DesiredZone[] = [];
  const summaries: InputZoneSummary[] = [];
  for (const draft of drafts.values()) {
    const zone = finishZone(draft, facts.unresolved);
    if (!zone) continue;
    zones.push(zone);
    summaries.push(summarizeZone(zone, facts, draft.unknownRecords, draft.unknownTargets));
  }
  const deletes = facts.deletedRecords.flatMap((record) => {
    const draft = drafts.get(keyOf(record.zone));
    const name = draft ? [...draft.names.keys()][0] : undefined;
    if (name === undefined) return [];
    return [{ zone: name, record: toRecord(record, name) }];
  });

  return {
    files: [...new Set(set.sources.map((s) => s.path))],
    zones,
    ipLists: ipListsOf(facts),
    tunnels: tunnelsOf(facts),
    inputs: {
      sources: set.sources,
      zones: summaries,
      unresolved: distinctUnresolved(
        withoutUnusedFirewalls([...set.unresolved, ...facts.unresolved], firewalls),
      ),
      ignored: facts.ignored,
      ...(firewalls.summaries.length > 0 ? { firewalls: firewalls.summaries } : {}),
    },
    deletesKnown: set.deletesKnown,
    ...(set.deletesKnown ? { deletes } : {}),
    ...(set.sensitive.length > 0 ? { sensitive: set.sensitive } : {}),
  };
}

/** The same value, listed once (several settings of one resource ask for the same unknown zone). */
function distinctUnresolved(entries: readonly UnresolvedInput[]): UnresolvedInput[] {
  const seen = new Set<string>();
  return entries.filter((u) => {
    const key = JSON.stringify([u.address, u.attribute, u.why]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function finishZone(draft: ZoneDraft, relativeNames: UnresolvedInput[]): DesiredZone | undefined {
  const names = [...draft.names.keys()];
  if (names.length > 1) {
    const [first, second] = names;
    const source = draft.names.get(second!);
    throw new InputError(
      source?.file,
      source?.address,
      `one name per zone (${first} and ${second} are tied to the same zone id or resource)`,
    );
  }
  const name = names[0];
  const id = [...draft.ids][0];
  const expression = draft.expression ?? draft.anchorExpression;
  const empty =
    !draft.declared &&
    draft.pendingRecords.length === 0 &&
    draft.unknownRecords.length === 0 &&
    draft.sslMode === undefined &&
    draft.originRules.length === 0 &&
    draft.configRules.length === 0 &&
    draft.pageRules.length === 0 &&
    draft.originPulls.length === 0 &&
    draft.origins.length === 0 &&
    draft.acknowledgements.length === 0;
  // A zone data source nobody uses is not a zone the code manages.
  if (empty) return undefined;
  const suffix = `.${name}`;
  const records = draft.pendingRecords.map((r) => toRecord(r, name, suffix));
  if (name === undefined && id !== undefined)
    for (const r of draft.pendingRecords) {
      const written = normalizeFqdn(r.name);
      if (written === "@") continue;
      // The API appends the zone's name to a name that does not end with it: without the zone's
      // name, "www" is relative, and "a.b" may be a full name or relative ("_dmarc.mail").
      relativeNames.push({
        address: r.source.address ?? r.source.file,
        attribute: "name",
        why: written.includes(".")
          ? `the record's name "${r.name}" may be relative to zone ${id} (the API appends the zone's name unless it ends with it), whose name only the API can tell`
          : `the record's name "${r.name}" is relative to zone ${id}, whose name only the API can tell`,
      });
    }
  return {
    name: name ?? unresolved(id ? `zone ${id}` : `zone of ${expression ?? "an unknown zone_id"}`),
    id:
      id ??
      (expression ? unresolved(expression.includes("${") ? expression : `\${${expression}}`) : undefined),
    sslMode: draft.sslMode,
    ...(draft.sslSource ? { sslSource: draft.sslSource } : {}),
    records,
    originRules: draft.originRules,
    configRules: draft.configRules,
    pageRules: draft.pageRules,
    originPulls: draft.originPulls,
    origins: draft.origins,
    hostnames: draft.hostnames,
    acknowledgements: draft.acknowledgements,
    migration: draft.migration,
    source: draft.source ?? { file: "(unknown)" },
  };
}

/** A name the API would store: `@` is the apex, a relative name gets the zone appended. */
export function qualify(name: string, zoneName: string | undefined): string {
  return qualifyNormalized(normalizeFqdn(name), zoneName);
}

function qualifyNormalized(fqdn: string, zoneName: string | undefined, suffix = `.${zoneName}`): string {
  if (zoneName === undefined) return fqdn;
  if (fqdn === "@") return zoneName;
  return fqdn === zoneName || fqdn.endsWith(suffix) ? fqdn : fqdn + suffix;
}

/** `suffix` is `.` and the zone's name, built once per zone. */
function toRecord(fact: RecordFact, zoneName: string | undefined, suffix = `.${zoneName}`): DnsRecord {
  const written = normalizeFqdn(fact.name);
  const fqdn = qualifyNormalized(written, zoneName, suffix);
  const { type, content, proxied, ttl, source } = fact;
  const record: Building<DnsRecord> =
    written !== fqdn
      ? { fqdn, name: fact.name, type, content, proxied, ttl, source }
      : { fqdn, type, content, proxied, ttl, source };
  if (fact.priority !== undefined) record.priority = fact.priority;
  if (fact.comment !== undefined) record.comment = fact.comment;
  if (fact.tags !== undefined) record.tags = fact.tags;
  return record;
}

function describeMode(mode: Resolvable<SslMode>): string {
  return known(mode) ?? "an unknown value";
}

function summarizeZone(
  zone: DesiredZone,
  facts: Facts,
  unknownTypes: readonly string[],
  unknownTargets: readonly string[],
): InputZoneSummary {
  const byType: Record<string, number> = {};
  const records = zone.records;
  for (let i = 0; i < records.length; i++) {
    const type = records[i]!.type;
    byType[type] = (byType[type] ?? 0) + 1;
  }
  for (const t of unknownTypes) byType[t] = (byType[t] ?? 0) + 1;
  const tunnelTargets = new Set<string>();
  const target = (content: string | undefined, refs: readonly string[]): void => {
    if (content !== undefined && /\.cfargotunnel\.com\.?$/i.test(content))
      tunnelTargets.add(content.toLowerCase());
    else if (content === undefined)
      for (const ref of refs)
        if (facts.tunnels.some((t) => refMatches(ref, t.address))) tunnelTargets.add(ref);
  };
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r.type !== "CNAME") continue;
    const content = known(r.content);
    target(
      content,
      content === undefined ? ((r.content as { references?: readonly string[] }).references ?? []) : [],
    );
  }
  // A record whose name is not known still points at its tunnel (its content names the tunnel).
  for (const t of unknownTargets)
    if (/\.cfargotunnel\.com\.?$/i.test(t)) target(t, []);
    else target(undefined, [t]);
  return {
    name: known(zone.name) ?? null,
    id: known(zone.id) ?? null,
    records: { total: zone.records.length + unknownTypes.length, byType },
    sslMode: known(zone.sslMode) ?? null,
    originRules: zone.originRules.length,
    configRules: zone.configRules?.length ?? 0,
    pageRules: zone.pageRules?.length ?? 0,
    tunnels: tunnelTargets.size,
  };
}

function ipListsOf(facts: Facts): IpList[] {
  const lists = facts.lists.map((l) => ({ ...l, items: [...l.items] }));
  for (const item of facts.listItems) {
    const list = lists.find((l) => item.listAddresses.some((a) => refMatches(a, l.address)));
    if (!list) {
      facts.unresolved.push({
        address: item.source.address ?? item.source.file,
        attribute: "list_id",
        why: "the list item's list is not a cloudflare_list of kind ip in this configuration",
      });
      continue;
    }
    if (item.ip) list.items.push(item.ip);
  }
  return lists.map((l) => ({ name: l.name, accountId: l.accountId, items: l.items, source: l.source }));
}

function tunnelsOf(facts: Facts): Tunnel[] {
  return facts.tunnels.map((t) => {
    const config = facts.tunnelConfigs.find(
      (c) =>
        c.tunnelAddresses.some((a) => refMatches(a, t.address)) ||
        (c.tunnelId !== undefined && known(t.id) === c.tunnelId),
    );
    return {
      name: t.name,
      id: t.id,
      ...(t.accountId !== undefined ? { accountId: t.accountId } : {}),
      ...(config ? { ingress: config.ingress } : {}),
      source: t.source,
    };
  });
}

// --- cf-preflight declarations (the construct's `//` block, a `cf_preflight` output, --config) ---

interface ValidatedDeclarations {
  readonly parsed: Declarations;
  readonly file: string;
  readonly path: readonly PropertyKey[];
  /** zoneId strings that stood for Terraform expressions, with the zone they point at. */
  readonly zoneRefs: Map<string, ZoneRef>;
  /** Every value that stood for a Terraform expression, by its text (allowlist resource references). */
  readonly unknowns: ReadonlyMap<string, Unknown>;
  readonly stack?: string;
}

/** Turn evaluated values back into the text form the schema reads; keep what expressions referred to. */
function toSchemaInput(value: TfValue | unknown, unknowns: Map<string, Unknown>): unknown {
  if (value instanceof Unknown) {
    const text = value.expression.includes("${") ? value.expression : `\${${value.expression}}`;
    unknowns.set(text, value);
    return text;
  }
  if (Array.isArray(value)) return value.map((v) => toSchemaInput(v, unknowns));
  if (isTfObject(value as TfValue)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      out[k] = toSchemaInput(v, unknowns);
    return out;
  }
  return value;
}

function validateDeclarations(raw: RawDeclarations): ValidatedDeclarations {
  const unknowns = new Map<string, Unknown>();
  const input = toSchemaInput(raw.value, unknowns);
  const result = declarationsSchema().safeParse(input);
  if (!result.success) throw inputErrorFromZod(result.error as z.ZodError, raw.file, raw.path);
  const zoneRefs = new Map<string, ZoneRef>();
  for (const zone of result.data.zones) {
    const zoneId = zone.zoneId;
    if (zoneId === undefined) continue;
    const u = unknowns.get(zoneId);
    if (u)
      zoneRefs.set(
        zoneId,
        u.references.length > 0
          ? { kind: "ref", addresses: u.references, expression: u.expression }
          : { kind: "unknown", expression: u.expression, why: u.why },
      );
    else if (CLOUDFLARE_ID.test(zoneId)) zoneRefs.set(zoneId, { kind: "id", id: zoneId.toLowerCase() });
    else if (isTerraformExpression(zoneId))
      zoneRefs.set(zoneId, { kind: "unknown", expression: zoneId, why: "a Terraform expression" });
  }
  return {
    parsed: result.data,
    file: raw.file,
    path: raw.path,
    zoneRefs,
    unknowns,
    ...(raw.stack !== undefined ? { stack: raw.stack } : {}),
  };
}

function applyDeclarations(
  declared: ValidatedDeclarations,
  draftFor: (ref: ZoneRef) => ZoneDraft,
  unresolvedOut: UnresolvedInput[],
  firewalls: FirewallContext,
): void {
  const { file } = declared;
  const address = declared.path.length > 0 ? formatPath(declared.path) : file;
  /** A value known only to Terraform where a literal is needed: listed, never read as its text. */
  const unknownAt = (path: readonly PropertyKey[], value: string, what: string): void => {
    const why = declared.unknowns.get(value)?.why;
    unresolvedOut.push({
      address,
      attribute: formatPath(path),
      why: `${value}${why ? ` (${why})` : ""}, which cf-preflight cannot evaluate: ${what}`,
    });
  };
  declared.parsed.zones.forEach((zone, zi) => {
    const zonePath = [...declared.path, "zones", zi];
    const byId = declared.zoneRefs.get(zone.zoneId ?? "");
    let draft: ZoneDraft;
    let zoneName: string | undefined;
    if (isTerraformExpression(zone.zone)) {
      // `zone = var.zone_name` without a value: never a zone named "${var.zone_name}".
      if (byId === undefined) {
        unknownAt(
          ["zones", zi, "zone"],
          zone.zone,
          "no zoneId ties the declarations to a zone, so its origins, hostnames and acknowledgements are not applied",
        );
        return;
      }
      draft = draftFor(byId);
      zoneName = [...draft.names.keys()][0];
    } else {
      zoneName = normalizeFqdn(zone.zone);
      draft = draftFor({ kind: "name", name: zoneName });
      if (!draft.names.has(zoneName)) draft.names.set(zoneName, { file });
    }
    draft.declared = true;
    draft.source ??= { file };
    const originNames = new Set(draft.origins.map((o) => o.name));
    zone.origins.forEach((o, oi) => {
      if (originNames.has(o.name))
        throw new InputError(
          file,
          formatPath([...zonePath, "origins", oi, "name"]),
          "a unique origin name",
          `${o.name} is declared twice`,
        );
      originNames.add(o.name);
      const cloudFirewall = originCloudFirewall(o.allowlist, firewalls, zoneName ?? null, o.name, {
        file,
        path: [...zonePath, "origins", oi, "allowlist", "resource"],
        unknowns: declared.unknowns,
        ...(declared.stack !== undefined ? { stack: declared.stack } : {}),
      });
      for (const family of ["ipv4", "ipv6"] as const)
        o[family].forEach((a, ai) => {
          if (isTerraformExpression(a))
            unknownAt(["zones", zi, "origins", oi, family, ai], a, `an address of origin ${o.name}`);
        });
      draft.origins.push({
        name: o.name,
        ipv4: o.ipv4.map((a) => (isTerraformExpression(a) ? unresolved(a) : a)),
        ipv6: o.ipv6.map((a) => (isTerraformExpression(a) ? unresolved(a) : a)),
        ports: o.ports,
        allowlist: toAllowlist(o.allowlist),
        ...(cloudFirewall ? { cloudFirewall } : {}),
        source: { file, ...(o.constructPath ? { constructPath: o.constructPath } : {}) },
      });
    });
    zone.hostnames.forEach((h, hi) => {
      if (!originNames.has(h.origin))
        throw new InputError(
          file,
          formatPath([...zonePath, "hostnames", hi, "origin"]),
          `an origin declared in this zone (${[...originNames].join(", ") || "none"})`,
          h.origin,
        );
      if (isTerraformExpression(h.fqdn)) {
        unknownAt(
          ["zones", zi, "hostnames", hi, "fqdn"],
          h.fqdn,
          `a hostname routed to origin ${h.origin}, not checked`,
        );
        return;
      }
      draft.hostnames.push({
        fqdn: qualify(h.fqdn, zoneName),
        origin: h.origin,
        proxied: h.proxied,
        ...(h.originPort !== undefined ? { originPort: h.originPort } : {}),
        edgePorts: h.edgePorts,
        source: { file, ...(h.constructPath ? { constructPath: h.constructPath } : {}) },
      });
    });
    if (zone.migration !== undefined) draft.migration = migrationPolicy(zone.migration);
    zone.acknowledgements.forEach((a, ai) => {
      // Which findings it accepts is not known: it accepts none (they keep counting).
      const subject = (["rule", "hostname", "address"] as const).find((k) => {
        const value = a[k];
        return value !== undefined && isTerraformExpression(value);
      });
      if (subject !== undefined) {
        unknownAt(
          ["zones", zi, "acknowledgements", ai, subject],
          a[subject]!,
          `the acknowledgement of ${a.rule} is not applied`,
        );
        return;
      }
      draft.acknowledgements.push({
        rule: a.rule,
        ...(a.hostname !== undefined ? { hostname: qualify(a.hostname, zoneName) } : {}),
        ...(a.address !== undefined ? { address: a.address } : {}),
        ...(a.port !== undefined ? { port: a.port } : {}),
        reason: a.reason,
        ...(a.expires !== undefined ? { expires: a.expires } : {}),
        source: { file, ...(a.constructPath ? { constructPath: a.constructPath } : {}) },
      });
    });
  });
}

function migrationPolicy(declared: NonNullable<Declarations["zones"][number]["migration"]>): MigrationPolicy {
  return {
    ...DEFAULT_MIGRATION_POLICY,
    paths: [...new Set(["/", ...(declared.paths ?? [])])],
    ...(declared.latencyFactor !== undefined ? { latencyFactor: declared.latencyFactor } : {}),
    ...(declared.maxChangeShare !== undefined ? { maxChangeShare: declared.maxChangeShare } : {}),
    ...(declared.minZoneRecords !== undefined ? { minZoneRecords: declared.minZoneRecords } : {}),
  };
}

/** A cloud firewall as allowlist stands for Cloudflare's ranges; the firewall itself is what enforces them. */
function toAllowlist(declared: Declarations["zones"][number]["origins"][number]["allowlist"]): Allowlist {
  if (declared === "cloudflare") return { kind: "cloudflare" };
  if (declared === "none") return { kind: "none" };
  if ("resource" in declared) return { kind: "cloudflare" };
  return { kind: "cidrs", cidrs: declared.cidrs };
}
