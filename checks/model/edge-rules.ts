import type { SourceRef } from "./source.js";
import type { SslMode } from "./ssl-mode.js";
import type { Resolvable } from "./value.js";

/**
 * A Configuration Rule (ruleset phase `http_config_settings`, action `set_config`): for requests
 * its expression matches, settings such as the SSL mode are overridden per hostname.
 */
export interface ConfigRule {
  readonly expression: Resolvable<string>;
  readonly ssl?: Resolvable<SslMode>;
  readonly enabled: boolean;
  readonly description?: string;
  readonly source?: SourceRef;
}

/**
 * A Page Rule: a URL pattern with the actions that decide how the edge reaches the origin. Every
 * rule is kept, whatever its actions: only the highest-priority matching rule applies, so a rule
 * with none of these actions still takes the place of lower ones.
 */
export interface PageRule {
  readonly target: Resolvable<string>;
  readonly ssl?: Resolvable<SslMode>;
  /** `forwarding_url`: matching requests are redirected at the edge and never reach the origin. */
  readonly forwards?: boolean;
  /** `resolve_override`: the hostname Cloudflare resolves instead of the record's content. */
  readonly resolveOverride?: Resolvable<string>;
  /** `host_header_override`: the Host header sent to the origin. */
  readonly hostHeader?: Resolvable<string>;
  readonly priority?: number;
  readonly enabled: boolean;
  readonly source?: SourceRef;
}

/** A Cloudflare Tunnel as the code declares it (account-level). */
export interface Tunnel {
  readonly name: Resolvable<string>;
  /** The tunnel's UUID: known for existing tunnels in a plan, else unresolved until apply. */
  readonly id: Resolvable<string>;
  readonly accountId?: Resolvable<string>;
  /** Remotely managed ingress rules (hostname -> service), when the code declares them. */
  readonly ingress?: readonly TunnelIngressRule[];
  readonly source?: SourceRef;
}

export interface TunnelIngressRule {
  /** Undefined for the catch-all rule. */
  readonly hostname?: Resolvable<string>;
  readonly service: Resolvable<string>;
  readonly path?: string;
}

/** Authenticated Origin Pulls as the code sets it for a zone (`undefined` hostname: zone-wide). */
export interface OriginPullSetting {
  readonly enabled: Resolvable<boolean>;
  readonly hostname?: string;
  readonly source?: SourceRef;
}
