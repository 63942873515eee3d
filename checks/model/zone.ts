import type { Acknowledgement } from "./acknowledgement.js";
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
  /** Requests made, for reports and benchmarks. */
  readonly requestCount: number;
}
