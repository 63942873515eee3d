import type { OriginCloudFirewall } from "./cloud-firewall.js";
import type { SourceRef } from "./source.js";
import type { Resolvable } from "./value.js";

export type Scheme = "http" | "https";

export interface OriginPort {
  readonly port: number;
  readonly scheme: Scheme;
}

/**
 * A host that serves one or more proxied hostnames, as the stack declares it. `allowlist` is the
 * source ranges its own firewall admits on its ports; `"cloudflare"` stands for Cloudflare's
 * published ranges (resolved against the live `/ips` at check time).
 */
export interface Origin {
  readonly name: string;
  readonly ipv4: readonly Resolvable<string>[];
  readonly ipv6: readonly Resolvable<string>[];
  readonly ports: readonly OriginPort[];
  readonly allowlist: Allowlist;
  /**
   * When the allowlist names cloud firewall resources of the configuration: those firewalls, whose
   * rules are what enforces it (the allowlist itself is then Cloudflare's ranges).
   */
  readonly cloudFirewall?: OriginCloudFirewall;
  /** Names of account IP lists (Cloudflare-side) the origin's allowlist is kept in, if any. */
  readonly source?: SourceRef;
}

export type Allowlist =
  | { readonly kind: "cloudflare" }
  | { readonly kind: "cidrs"; readonly cidrs: readonly string[] }
  | { readonly kind: "none" };

/** A hostname routed to an origin: A/AAAA records per origin address, proxied or DNS-only. */
export interface HostRoute {
  readonly fqdn: string;
  readonly origin: string;
  readonly proxied: boolean;
  /** Origin port when an origin rule overrides the SSL mode's default. */
  readonly originPort?: number;
  /** Edge ports visitors use (default 80 and 443). */
  readonly edgePorts: readonly number[];
  readonly source?: SourceRef;
}
