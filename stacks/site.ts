import { DataCloudflareZone } from "@cdktf/provider-cloudflare/lib/data-cloudflare-zone/index.js";
import { DnsRecord } from "@cdktf/provider-cloudflare/lib/dns-record/index.js";
import { Ruleset, type RulesetRules } from "@cdktf/provider-cloudflare/lib/ruleset/index.js";
import { ZoneSetting } from "@cdktf/provider-cloudflare/lib/zone-setting/index.js";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import type { ZoneDeclarationInput } from "../checks/desired/declarations.js";
import type { Acknowledgement } from "../checks/model/acknowledgement.js";
import { defaultOriginPort, type SslMode } from "../checks/model/ssl-mode.js";
import { registerZoneDeclarations } from "./declarations-registry.js";

export type Scheme = "http" | "https";

export interface OriginProps {
  readonly ipv4?: readonly string[];
  readonly ipv6?: readonly string[];
  /** The ports the origin serves and their scheme. Default: 443 over HTTPS and 80 over HTTP. */
  readonly ports?: readonly { readonly port: number; readonly scheme: Scheme }[];
  /**
   * Source ranges the origin's own firewall admits on those ports: `"cloudflare"` (the default,
   * Cloudflare's published ranges), `"none"` (no firewall), explicit CIDRs, or the cloud firewall
   * resources of the same stack that enforce it (an AWS security group, a GCP firewall rule, ...),
   * whose ingress rules are then checked against Cloudflare's ranges.
   */
  readonly allowlist?:
    | "cloudflare"
    | "none"
    | { readonly cidrs: readonly string[] }
    | { readonly resource: FirewallResourceRef | readonly FirewallResourceRef[] };
}

/**
 * A cloud firewall resource: its Terraform address (`aws_security_group.web`), or the cdktf resource
 * itself (any `TerraformResource`, e.g. a `SecurityGroup` from `@cdktf/provider-aws`).
 */
export type FirewallResourceRef =
  | string
  | { readonly terraformResourceType: string; readonly friendlyUniqueId: string };

export interface RouteProps {
  /** The origin (by name) that serves this hostname. */
  readonly origin: string;
  /** Proxied through Cloudflare (orange cloud). Default true. */
  readonly proxied?: boolean;
  /** The port Cloudflare connects to at the origin; an origin rule is written when it differs from the SSL mode's default. */
  readonly originPort?: number;
  /** The edge ports visitors use. Default 80 and 443. */
  readonly edgePorts?: readonly number[];
  /** TTL for DNS-only records (proxied records are always automatic). Default 1 (automatic). */
  readonly ttl?: number;
  readonly comment?: string;
}

export interface RawRecordProps {
  readonly name: string;
  readonly type: string;
  readonly content: string;
  readonly ttl?: number;
  readonly proxied?: boolean;
  readonly priority?: number;
  readonly comment?: string;
}

/** A finding accepted in code (the model's acknowledgement, without where it was declared). */
export type AcknowledgementProps = Omit<Acknowledgement, "source">;

export interface CloudflareSiteProps {
  /** The zone, found by name through a `cloudflare_zone` data source... */
  readonly zone: string;
  /** ...unless its id is given. */
  readonly zoneId?: string;
  readonly sslMode: SslMode;
  readonly origins?: Readonly<Record<string, OriginProps>>;
  /** Hostname (relative label, `@` for the apex, or FQDN) to route. */
  readonly routes?: Readonly<Record<string, RouteProps>>;
  readonly records?: readonly RawRecordProps[];
  readonly acknowledgements?: readonly AcknowledgementProps[];
  /** Host migration preflight: extra parity paths, the latency factor, change thresholds. */
  readonly migration?: MigrationPolicyProps;
}

/** See `MigrationPolicy` in checks/model/migration.ts for the defaults. */
export interface MigrationPolicyProps {
  /** Paths compared on the old and new origin besides `/`. */
  readonly paths?: readonly string[];
  /** How many times slower than the old origin the new one may answer (default 2). */
  readonly latencyFactor?: number;
  /** Block a change updating or deleting more than this share of the zone's records (default 0.3)... */
  readonly maxChangeShare?: number;
  /** ...in zones of at least this many records (default 10). */
  readonly minZoneRecords?: number;
}

const DEFAULT_PORTS = [
  { port: 443, scheme: "https" },
  { port: 80, scheme: "http" },
] as const;

/** One zone behind Cloudflare: SSL mode, origins and their ports and allowlists, routed hostnames, raw records. */
export class CloudflareSite extends Construct {
  readonly zoneName: string;
  readonly zoneId: string;
  readonly sslMode: SslMode;
  private readonly declaration: Required<
    Pick<ZoneDeclarationInput, "origins" | "hostnames" | "acknowledgements">
  > &
    ZoneDeclarationInput;
  private readonly originAddresses = new Map<string, { ipv4: readonly string[]; ipv6: readonly string[] }>();
  private readonly originRules: RulesetRules[] = [];
  private ruleset?: Ruleset;

  constructor(scope: Construct, id: string, props: CloudflareSiteProps) {
    super(scope, id);
    this.zoneName = props.zone.toLowerCase().replace(/\.$/, "");
    this.sslMode = props.sslMode;
    this.zoneId =
      props.zoneId ?? new DataCloudflareZone(this, "zone", { filter: { name: this.zoneName } }).zoneId;
    this.declaration = {
      zone: this.zoneName,
      zoneId: this.zoneId,
      origins: [],
      hostnames: [],
      acknowledgements: [],
      ...(props.migration !== undefined
        ? {
            migration: {
              ...(props.migration.latencyFactor !== undefined
                ? { latencyFactor: props.migration.latencyFactor }
                : {}),
              ...(props.migration.maxChangeShare !== undefined
                ? { maxChangeShare: props.migration.maxChangeShare }
                : {}),
              ...(props.migration.minZoneRecords !== undefined
                ? { minZoneRecords: props.migration.minZoneRecords }
                : {}),
              ...(props.migration.paths ? { paths: [...props.migration.paths] } : {}),
            },
          }
        : {}),
    };
    registerZoneDeclarations(this, this.declaration);

    const ssl = new ZoneSetting(this, "ssl", { zoneId: this.zoneId, settingId: "ssl", value: {} });
    // The provider types `value` as an object; the ssl setting takes a string (CLOUDFLARE.md).
    ssl.addOverride("value", props.sslMode);

    for (const [name, origin] of Object.entries(props.origins ?? {})) this.addOrigin(name, origin);
    for (const [host, route] of Object.entries(props.routes ?? {})) this.route(host, route);
    for (const record of props.records ?? []) this.addRecord(record);
    for (const ack of props.acknowledgements ?? []) this.acknowledge(ack);
  }

  /** The FQDN of a relative label (`@` is the apex); an FQDN is returned as it is. */
  fqdn(name: string): string {
    const lower = name.toLowerCase().replace(/\.$/, "");
    if (lower === "@" || lower === this.zoneName) return this.zoneName;
    return lower.endsWith(`.${this.zoneName}`) ? lower : `${lower}.${this.zoneName}`;
  }

  addOrigin(name: string, props: OriginProps): void {
    if (this.originAddresses.has(name))
      throw new Error(`origin ${name} is declared twice in ${this.node.path}`);
    const ipv4 = props.ipv4 ?? [];
    const ipv6 = props.ipv6 ?? [];
    if (ipv4.length + ipv6.length === 0) throw new Error(`origin ${name} needs at least one address`);
    this.originAddresses.set(name, { ipv4, ipv6 });
    const allowlist = props.allowlist ?? "cloudflare";
    this.declaration.origins.push({
      name,
      ipv4: [...ipv4],
      ipv6: [...ipv6],
      ports: (props.ports ?? DEFAULT_PORTS).map((p) => ({ port: p.port, scheme: p.scheme })),
      allowlist: allowlistDeclaration(allowlist),
      constructPath: `${this.node.path}/origin-${name}`,
    });
  }

  /** Route a hostname to an origin: one A/AAAA record per origin address, and an origin rule when needed. */
  route(name: string, props: RouteProps): void {
    const addresses = this.originAddresses.get(props.origin);
    if (!addresses)
      throw new Error(`route ${name}: origin ${props.origin} is not declared in ${this.node.path}`);
    const fqdn = this.fqdn(name);
    const proxied = props.proxied ?? true;
    // Labels that differ only in characters an id cannot hold ("www_1", "www-1") get ids of their own.
    const base = constructLabel(fqdn, this.zoneName);
    let label = base;
    for (let n = 1; this.node.tryFindChild(`${label}-a-0`) || this.node.tryFindChild(`${label}-aaaa-0`); n++)
      label = `${base}-${n}`;
    const common = { zoneId: this.zoneId, name: fqdn, proxied, ttl: proxied ? 1 : (props.ttl ?? 1) };
    addresses.ipv4.forEach((content, i) => {
      new DnsRecord(this, `${label}-a-${i}`, { ...common, type: "A", content, comment: props.comment });
    });
    addresses.ipv6.forEach((content, i) => {
      new DnsRecord(this, `${label}-aaaa-${i}`, { ...common, type: "AAAA", content, comment: props.comment });
    });
    if (props.originPort !== undefined && proxied && props.originPort !== defaultOriginPort(this.sslMode)) {
      this.addOriginRule(fqdn, props.originPort);
    }
    this.declaration.hostnames.push({
      fqdn,
      origin: props.origin,
      proxied,
      ...(props.originPort !== undefined ? { originPort: props.originPort } : {}),
      edgePorts: [...(props.edgePorts ?? [80, 443])],
      constructPath: `${this.node.path}/${label}`,
    });
  }

  /** A record beside the routed ones: MX, TXT, a CNAME to a SaaS host, ... */
  addRecord(record: RawRecordProps): DnsRecord {
    const fqdn = this.fqdn(record.name);
    const label = `${constructLabel(fqdn, this.zoneName)}-${record.type.toLowerCase()}`;
    let id = label;
    for (let n = 1; this.node.tryFindChild(id); n++) id = `${label}-${n}`;
    const proxied = record.proxied ?? false;
    return new DnsRecord(this, id, {
      zoneId: this.zoneId,
      name: fqdn,
      type: record.type,
      content: record.content,
      proxied,
      ttl: proxied ? 1 : (record.ttl ?? 1),
      priority: record.priority,
      comment: record.comment,
    });
  }

  /** Accept a finding in code, with a reason. */
  acknowledge(ack: AcknowledgementProps): void {
    this.declaration.acknowledgements.push({ ...ack, constructPath: this.node.path });
  }

  private addOriginRule(fqdn: string, port: number): void {
    this.originRules.push({
      description: `${fqdn} -> origin port ${port}`,
      expression: `(http.host eq "${fqdn}")`,
      action: "route",
      actionParameters: { origin: { port } },
      enabled: true,
    });
    if (this.ruleset) {
      this.ruleset.putRules([...this.originRules]);
      return;
    }
    this.ruleset = new Ruleset(this, "origin-rules", {
      zoneId: this.zoneId,
      name: "cf-preflight origin rules",
      kind: "zone",
      phase: "http_request_origin",
      rules: [...this.originRules],
    });
  }
}

function allowlistDeclaration(
  allowlist: NonNullable<OriginProps["allowlist"]>,
): NonNullable<ZoneDeclarationInput["origins"]>[number]["allowlist"] {
  if (typeof allowlist === "string") return allowlist;
  if ("cidrs" in allowlist) return { cidrs: [...allowlist.cidrs] };
  const refs = Array.isArray(allowlist.resource) ? allowlist.resource : [allowlist.resource];
  // Resolved at synth time, so a logical id overridden after the origin was added is the one written.
  const addresses = refs.map((ref: FirewallResourceRef) =>
    typeof ref === "string"
      ? ref
      : Lazy.stringValue({ produce: () => `${ref.terraformResourceType}.${ref.friendlyUniqueId}` }),
  );
  return { resource: addresses.length === 1 ? addresses[0]! : addresses };
}

function constructLabel(fqdn: string, zone: string): string {
  if (fqdn === zone) return "apex";
  return fqdn.slice(0, -(zone.length + 1)).replace(/[^a-z0-9-]/g, "-");
}
