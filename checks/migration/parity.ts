import type { Migration, MigrationPolicy, MovingHostname } from "../model/migration.js";
import type { Origin } from "../model/origin.js";
import type { ProbeResult, ProbeTarget } from "../probe/result.js";
import { targetAddress } from "../probe/result.js";

export type ParityFamily = "ipv4" | "ipv6" | "name";

/** One connection Cloudflare makes today paired with the one it will make after the deploy. */
export interface PlannedPair {
  readonly hostname: string;
  readonly family: ParityFamily;
  readonly old: ProbeTarget;
  readonly new: ProbeTarget;
  /** Set when old and new cannot be told apart from here (no packets are sent). */
  readonly unknownReason?: string;
}

/** One request made to both origins: the same hostname, path and sample number. */
export interface ParitySample {
  readonly path: string;
  readonly old: ProbeResult;
  readonly new: ProbeResult;
}

export interface ParityPair extends PlannedPair {
  /** Per path, `policy.latencySamples` samples, in path order. Empty when `unknownReason` is set. */
  readonly samples: readonly ParitySample[];
}

/** A port the old origin serves, connected to on both origins (TCP only). */
export interface PlannedPort {
  readonly port: number;
  readonly family: "ipv4" | "ipv6";
  readonly oldAddress: string;
  readonly newAddress: string;
}

export interface PortOutcome {
  readonly answered: boolean;
  /** ECONNREFUSED, ETIMEDOUT, ... when it did not. */
  readonly code?: string;
}

export interface PortParity extends PlannedPort {
  readonly old: PortOutcome;
  readonly new: PortOutcome;
}

/** A migration with what parity found: the rules read this. */
export interface MigrationParity {
  readonly migration: Migration;
  readonly policy: MigrationPolicy;
  /** False with `--no-probes`: the migration is detected but nothing was compared. */
  readonly probed: boolean;
  readonly pairs: readonly ParityPair[];
  readonly ports: readonly PortParity[];
  /** The new origin as the code declares it, when it does. */
  readonly newOrigin?: Origin;
  /** Whether the new origin's real firewall was given (`--firewall NAME=FILE`). */
  readonly firewallExported: boolean;
}

export function familyOf(target: ProbeTarget): ParityFamily {
  if (target.origin.kind === "name") return "name";
  return target.origin.family === 6 ? "ipv6" : "ipv4";
}

/** Whether two targets make the very same connection (address, port, scheme, SSL mode, redirection). */
function sameConnection(a: ProbeTarget, b: ProbeTarget): boolean {
  return (
    targetAddress(a) === targetAddress(b) &&
    a.port === b.port &&
    a.scheme === b.scheme &&
    a.sslMode === b.sslMode &&
    a.connectTo?.address === b.connectTo?.address &&
    a.connectTo?.port === b.connectTo?.port
  );
}

/** Where a `--connect-to` mapping sends a target (address and port), if one does. */
function connectEndpoint(target: ProbeTarget): string | undefined {
  const to = target.connectTo;
  if (to === undefined) return undefined;
  return `${to.address ?? targetAddress(target)}|${to.port}`;
}

/**
 * Pair each new connection with an old one of the same address family (IPv6 with IPv6 when AAAA
 * records move), else with the first old one: a new AAAA record must serve like the old site did.
 */
export function planPairs(moving: MovingHostname): PlannedPair[] {
  const pairs: PlannedPair[] = [];
  for (const next of moving.new) {
    const family = familyOf(next);
    const old = moving.old.find((t) => familyOf(t) === family) ?? moving.old[0];
    if (old === undefined) continue;
    // This family did not move (say the A record moves and the AAAA stays): nothing to compare.
    if (sameConnection(old, next)) continue;
    const redirected = connectEndpoint(next);
    const unknownReason =
      old.unknownReason ??
      next.unknownReason ??
      (redirected !== undefined && redirected === connectEndpoint(old)
        ? `--connect-to ${next.connectTo?.spec} sends the old and the new connection to the same place, so they cannot be compared; map the origin addresses instead (ADDR:PORT:ADDR2:PORT2)`
        : undefined);
    pairs.push({
      hostname: moving.hostname,
      family,
      old,
      new: next,
      ...(unknownReason !== undefined ? { unknownReason: `${unknownReason}` } : {}),
    });
  }
  return pairs;
}

function firstIp(targets: readonly ProbeTarget[], family: 4 | 6): string | undefined {
  for (const t of targets) {
    if (t.unknownReason !== undefined || t.connectTo !== undefined) continue;
    if (t.origin.kind === "ip" && t.origin.family === family) return t.origin.address;
  }
  return undefined;
}

/**
 * The ports to compare (pure): every port Cloudflare uses at the old origin for the moving
 * hostnames, plus the ports the code declares for the old origin, on the first old and new address
 * of each family both sides have, when they differ. Targets redirected by `--connect-to` or not
 * probeable are left out.
 */
export function planPorts(migration: Migration, oldOrigin: Origin | undefined): PlannedPort[] {
  const old = migration.hostnames.flatMap((h) => h.old);
  const next = migration.hostnames.flatMap((h) => h.new);
  const ports = new Set<number>([...old.map((t) => t.port), ...(oldOrigin?.ports.map((p) => p.port) ?? [])]);
  const out: PlannedPort[] = [];
  for (const family of [4, 6] as const) {
    const oldAddress = firstIp(old, family);
    const newAddress = firstIp(next, family);
    if (oldAddress === undefined || newAddress === undefined) continue;
    // The same host on both sides (an origin-port or SSL mode move): there is no other host to compare.
    if (oldAddress === newAddress) continue;
    for (const port of [...ports].sort((a, b) => a - b))
      out.push({ port, family: family === 4 ? "ipv4" : "ipv6", oldAddress, newAddress });
  }
  return out;
}
