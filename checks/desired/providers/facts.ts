import type { Acknowledgement } from "../../model/acknowledgement.js";
import type { ConfigRule, OriginPullSetting, PageRule, TunnelIngressRule } from "../../model/edge-rules.js";
import type { OriginRule } from "../../model/origin-rule.js";
import type { RecordType } from "../../model/record.js";
import type { SourceRef } from "../../model/source.js";
import type { SslMode } from "../../model/ssl-mode.js";
import type { Resolvable } from "../../model/value.js";
import type { PlanAction, UnresolvedInput } from "../instance.js";
import type { CloudFirewallFact } from "./cloud-firewall-fact.js";

/**
 * What the provider adapters (one per provider major version) make of resource instances: plain
 * facts about zones, records, settings and rules, each tied to its zone by a `ZoneRef`. The
 * assembler then decides which facts name the same zone and builds the desired model.
 */
export type ZoneRef =
  | { readonly kind: "id"; readonly id: string }
  | { readonly kind: "name"; readonly name: string }
  | {
      readonly kind: "ref";
      /** Addresses in the referring stack, or `stack::address` for another cdktf stack's resources. */
      readonly addresses: readonly string[];
      readonly expression: string;
      /** The cdktf stack the reference was written in. */
      readonly stack?: string;
      /** What the value is wherever it is read (see `Unknown.identity`): one zone for every reader. */
      readonly identity?: string;
    }
  | { readonly kind: "unknown"; readonly expression: string; readonly why: string };

export interface ZoneAnchor {
  /** The resource or data source address that stands for the zone. */
  readonly address: string;
  readonly name?: string;
  readonly id?: string;
  readonly accountId?: string;
  /** A `cloudflare_zone` resource (the code manages the zone), not a lookup. */
  readonly managed: boolean;
  readonly source: SourceRef;
}

export interface RecordFact {
  readonly zone: ZoneRef;
  /** The name as written (`@`, `www`, or a full name); qualified once the zone's name is known. */
  readonly name: string;
  readonly type: RecordType;
  readonly content: Resolvable<string>;
  readonly proxied: Resolvable<boolean>;
  readonly ttl: Resolvable<number>;
  readonly priority?: number;
  readonly comment?: string;
  readonly tags?: readonly string[];
  readonly source: SourceRef;
  readonly action?: PlanAction;
}

/** A record whose name or type is not known before apply: counted, never placed or checked. */
export interface UnknownRecordFact {
  readonly zone: ZoneRef;
  /** The record type when known. */
  readonly type?: string;
  /** What its content points at: the literal content, or the addresses an unknown content refers to. */
  readonly targets?: readonly string[];
  readonly source: SourceRef;
}

export interface ZoneScoped<T> {
  readonly zone: ZoneRef;
  readonly value: T;
  readonly source: SourceRef;
  /** The attribute that set it (`settings.ssl`, `value`), for messages. */
  readonly attribute?: string;
}

export interface TunnelFact {
  readonly address: string;
  readonly name: Resolvable<string>;
  readonly id: Resolvable<string>;
  readonly accountId?: Resolvable<string>;
  readonly source: SourceRef;
}

export interface TunnelConfigFact {
  /** The tunnel: a literal id, or the addresses its `tunnel_id` refers to. */
  readonly tunnelId?: string;
  readonly tunnelAddresses: readonly string[];
  readonly ingress: readonly TunnelIngressRule[];
  readonly source: SourceRef;
}

export interface ListFact {
  readonly address: string;
  readonly name: string;
  readonly accountId: Resolvable<string>;
  readonly items: string[];
  readonly source: SourceRef;
}

export interface ListItemFact {
  /** A literal list id, or the addresses its `list_id` refers to. */
  readonly listId?: string;
  readonly listAddresses: readonly string[];
  readonly ip?: string;
  readonly source: SourceRef;
}

export interface Facts {
  readonly zones: ZoneAnchor[];
  readonly records: RecordFact[];
  readonly unknownRecords: UnknownRecordFact[];
  readonly ssl: ZoneScoped<Resolvable<SslMode>>[];
  readonly originPulls: ZoneScoped<OriginPullSetting>[];
  readonly originRules: ZoneScoped<OriginRule>[];
  readonly configRules: ZoneScoped<ConfigRule>[];
  readonly pageRules: ZoneScoped<PageRule>[];
  readonly tunnels: TunnelFact[];
  readonly tunnelConfigs: TunnelConfigFact[];
  readonly lists: ListFact[];
  readonly listItems: ListItemFact[];
  readonly acknowledgements: ZoneScoped<Acknowledgement>[];
  /** Cloud firewalls and their rule resources (reported only when an origin's allowlist names them). */
  readonly cloudFirewalls: CloudFirewallFact[];
  readonly unresolved: UnresolvedInput[];
  /** Cloudflare resource types read but used by no rule, with their instance counts. */
  readonly ignored: Record<string, number>;
  /** Records the plan deletes (with their zone), for exact change counts. */
  readonly deletedRecords: RecordFact[];
}

export function emptyFacts(): Facts {
  return {
    zones: [],
    records: [],
    unknownRecords: [],
    ssl: [],
    originPulls: [],
    originRules: [],
    configRules: [],
    pageRules: [],
    tunnels: [],
    tunnelConfigs: [],
    lists: [],
    listItems: [],
    acknowledgements: [],
    cloudFirewalls: [],
    unresolved: [],
    ignored: {},
    deletedRecords: [],
  };
}
