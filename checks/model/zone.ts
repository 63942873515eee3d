import type { Acknowledgement } from "./acknowledgement.js";
import type { ConfigRule, OriginPullSetting, PageRule, Tunnel, TunnelIngressRule } from "./edge-rules.js";
import type { IpList } from "./ip-list.js";
import type { MigrationPolicy } from "./migration.js";
import type { HostRoute, Origin } from "./origin.js";
import type { OriginRule } from "./origin-rule.js";
import type { DnsRecord } from "./record.js";
import type { SourceRef } from "./source.js";
import type { SslMode } from "./ssl-mode.js";
import type { Resolvable } from "./value.js";

/** What the code declares for one zone. */
export interface DesiredZone {
  /** The zone name; unresolved when the code only has a literal zone id (looked up through the API). */
  readonly name: Resolvable<string>;
  /** The zone id: a literal, or unresolved when the zone is found by name through a data source. */
  readonly id: Resolvable<string> | undefined;
  /** `undefined` when the code does not set it: the live zone's mode applies. */
  readonly sslMode: Resolvable<SslMode> | undefined;
  readonly sslSource?: SourceRef;
  readonly records: readonly DnsRecord[];
  readonly originRules: readonly OriginRule[];
  /** Configuration Rules (`http_config_settings`) the code declares; absent when none. */
  readonly configRules?: readonly ConfigRule[];
  readonly pageRules?: readonly PageRule[];
  /** Authenticated Origin Pulls settings the code declares for this zone. */
  readonly originPulls?: readonly OriginPullSetting[];
  readonly origins: readonly Origin[];
  readonly hostnames: readonly HostRoute[];
  readonly acknowledgements: readonly Acknowledgement[];
  /** Parity and change-threshold settings (defaults when the code declares none). */
  readonly migration: MigrationPolicy;
  readonly source: SourceRef;
}

export interface DesiredState {
  /** Files read, in order. */
  readonly files: readonly string[];
  readonly zones: readonly DesiredZone[];
  /** Account IP lists declared (Cloudflare-side allowlists). */
  readonly ipLists: readonly IpList[];
  /** Cloudflare Tunnels the code declares (account-level). */
  readonly tunnels?: readonly Tunnel[];
  /** What was read, and what could not be: the report's `inputs`. */
  readonly inputs?: InputsSummary;
  /**
   * True when the source knows exactly which records the deploy deletes (a plan): live records the
   * code does not manage are then not deletes.
   */
  readonly deletesKnown?: boolean;
  /** Records a plan deletes, by zone name (only with `deletesKnown`). */
  readonly deletes?: readonly { readonly zone: string; readonly record: DnsRecord }[];
  /** Values a plan marked sensitive: scrubbed from every output. */
  readonly sensitive?: readonly string[];
}

/** The report's `inputs`: the sources read, the zones found, and everything left unresolved. */
export interface InputsSummary {
  readonly sources: readonly { readonly path: string; readonly kind: string }[];
  readonly zones: readonly InputZoneSummary[];
  readonly unresolved: readonly {
    readonly address: string;
    readonly attribute: string;
    readonly why: string;
  }[];
  /** Resource types read but not used by any rule, with their counts (say what was ignored). */
  readonly ignored: Readonly<Record<string, number>>;
  /** Origins whose allowlist is a cloud firewall of the configuration, and what was read of it. */
  readonly firewalls?: readonly InputFirewallSummary[];
}

export interface InputFirewallSummary {
  readonly zone: string | null;
  readonly origin: string;
  /** The firewall resources read (`aws_security_group.web`). */
  readonly resources: readonly string[];
  /** Ingress rules read, including those added by separate rule resources. */
  readonly rules: number;
  /** What the configuration does not decide about them ("<address.attribute>: <why>"). */
  readonly undecided: readonly string[];
}

export interface InputZoneSummary {
  readonly name: string | null;
  readonly id: string | null;
  readonly records: { readonly total: number; readonly byType: Readonly<Record<string, number>> };
  readonly sslMode: string | null;
  readonly originRules: number;
  readonly configRules: number;
  readonly pageRules: number;
  readonly tunnels: number;
}

/** What the Cloudflare API says for one zone. */
export interface LiveZone {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly accountId?: string;
  readonly sslMode: SslMode;
  readonly records: readonly DnsRecord[];
  readonly originRules: readonly OriginRule[];
  /** Configuration Rules (`http_config_settings` entrypoint); undefined when not read. */
  readonly configRules?: readonly ConfigRule[];
  /** Page Rules; undefined when not read. */
  readonly pageRules?: readonly PageRule[];
  /** Authenticated Origin Pulls: the zone toggle and per-hostname settings; undefined when not read. */
  readonly originPulls?: LiveOriginPulls;
}

export interface LiveOriginPulls {
  /**
   * Zone-wide AOP: Cloudflare presents a client certificate to every origin of the zone, either its
   * shared one (`global`) or the zone's own (`zoneCertificate`).
   */
  readonly zone: boolean;
  /** Per-hostname AOP (`origin_tls_client_auth/hostnames`). */
  readonly hostnames: readonly { readonly hostname: string; readonly enabled: boolean }[];
  /** Global AOP, Cloudflare's shared certificate (zone setting `tls_client_auth`). */
  readonly global?: boolean;
  /** Zone-level AOP with the zone's uploaded certificate (`origin_tls_client_auth/settings`). */
  readonly zoneCertificate?: boolean;
}

/** A Cloudflare Tunnel as the API reports it (`/accounts/{account_id}/cfd_tunnel/{id}`). */
export interface LiveTunnel {
  readonly id: string;
  readonly name: string;
  readonly accountId: string;
  /** `inactive` (never run), `degraded`, `healthy`, `down` (no connections). */
  readonly status: string;
  readonly deletedAt?: string;
  /** The remotely managed ingress rules, when the tunnel's configuration is managed by Cloudflare. */
  readonly ingress?: readonly TunnelIngressRule[];
  /**
   * Where the ingress rules live: `cloudflare` (remotely managed, `ingress` read) or `local` (a
   * config file on the connector's machine, which the API cannot show: `ingress` undefined).
   */
  readonly configSource?: "cloudflare" | "local";
}

/**
 * A read the live reader left out, so nothing that depends on it is taken as read: Page Rules and
 * AOP when the request budget had no room; origin and configuration rules when only drift is
 * computed (the zone's `originRules` are then empty and its `configRules` undefined).
 */
export interface LiveUnread {
  readonly zone: string;
  readonly what: "pageRules" | "originPulls" | "originRules" | "configRules";
  readonly why: string;
}

export interface CloudflareRanges {
  readonly ipv4: readonly string[];
  readonly ipv6: readonly string[];
  readonly etag?: string;
  /** Where the ranges came from: the live API, or the bundled snapshot with its date. */
  readonly origin: "live" | "snapshot";
  readonly capturedAt?: string;
}

export interface LiveState {
  readonly zones: readonly LiveZone[];
  readonly ranges: CloudflareRanges;
  readonly ipLists: readonly IpList[];
  /** Tunnels the records route to, read by id (missing ids are absent: 1033). */
  readonly tunnels?: readonly LiveTunnel[];
  /** Tunnel ids that were asked for (or routed to by a record) and that the API does not know (404). */
  readonly missingTunnels?: readonly string[];
  /** Reads left out to stay within the request budget (their fields are undefined in the zone). */
  readonly unread?: readonly LiveUnread[];
  /** Requests made, for reports and benchmarks. */
  readonly requestCount: number;
  /**
   * False when only what drift needs was read (records, SSL modes, ranges, lists): no rulesets,
   * Page Rules, AOP or tunnels, each listed in `unread` (tunnels are then undefined).
   */
  readonly edge?: boolean;
}
