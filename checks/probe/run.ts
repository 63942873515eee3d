import { setMaxListeners } from "node:events";
import { abortable, throwIfInterrupted } from "../abort.js";
import { PROHIBITED_PROXY_TARGETS, rangeContaining } from "../model/address-space.js";
import { PREDICTED_ERROR_MEANING } from "./classify.js";
import { ConnectOutcomes } from "./connect-outcomes.js";
import { ipFamily, isDocumentationAddress } from "./documentation.js";
import { isSendableHost } from "./http.js";
import {
  CLOUDFLARE_CONNECT_TIMEOUT_MS,
  CLOUDFLARE_MAX_RESPONSE_HEADER_BYTES,
  CLOUDFLARE_READ_TIMEOUT_MS,
  DEFAULT_PROBE_CONCURRENCY,
} from "./limits.js";
import { PeerChains } from "./peer-chains.js";
import { DOCUMENTATION_REASON, RESTRICTED_CODE } from "./plan.js";
import { KeyedSemaphore, mapPool, Semaphore } from "./pool.js";
import type { AddressProbeSettings } from "./probe.js";
import { probeAddress } from "./probe.js";
import type { NameResolver } from "./resolver.js";
import { dnsResolver, NAME_DOES_NOT_RESOLVE } from "./resolver.js";
import type { ProbeResult, ProbeTarget } from "./result.js";
import { targetAddress } from "./result.js";
import type { ClientCertificate } from "./tls.js";
import { trustAnchors } from "./trust.js";

export interface ProbeOptions {
  /** Default 19 s, Cloudflare's (`--connect-timeout`). */
  readonly connectTimeoutMs?: number;
  /** Default 120 s, Cloudflare's Proxy Read Timeout (`--read-timeout`). */
  readonly readTimeoutMs?: number;
  /** The TLS handshake's bound; default the connect timeout. */
  readonly tlsTimeoutMs?: number;
  /** Default 128 KB, Cloudflare's response header limit. */
  readonly maxHeaderBytes?: number;
  /** Probes in flight at once (`--concurrency`). */
  readonly concurrency?: number;
  /** Extra trusted CA certificates (PEM), e.g. a private root standing in for the Origin CA in tests. */
  readonly extraCaPem?: string | readonly string[];
  /** Called as each result is ready (progress display). */
  readonly onResult?: (result: ProbeResult) => void;
  /** Resolves CNAME targets and origin-rule hosts; default: DNS through the system's servers. */
  readonly resolver?: NameResolver;
  /** "Now" for certificate dates; default the clock. */
  readonly now?: () => Date;
  /**
   * Aborts the probes (SIGINT/SIGTERM): the sockets of those in flight are destroyed, none starts
   * after, and `runProbes` rejects with the signal's reason at once.
   */
  readonly signal?: AbortSignal;
  /** Presented to origins whose route has Authenticated Origin Pulls on (`--client-cert`). */
  readonly clientCertificate?: ClientCertificate;
  /** Origin certificates that expire within this many days warn (`--cert-horizon`, default 14). */
  readonly certHorizonDays?: number;
  /** Cloudflare's ranges: a CNAME target that resolves into them is another account's (1014). */
  readonly cloudflareRanges?: { readonly ipv4: readonly string[]; readonly ipv6: readonly string[] };
}

function planUnknown(target: ProbeTarget, reason: string, address?: string, code?: string): ProbeResult {
  return {
    target,
    status: "unknown",
    predicts: null,
    phase: "plan",
    code: code ?? (reason === DOCUMENTATION_REASON ? "DOCUMENTATION_ADDRESS" : "UNRESOLVED"),
    message: `${target.hostname} -> ${address ?? targetAddress(target)}: ${reason}`,
    ...(address !== undefined ? { address } : {}),
    port: target.connectTo?.port ?? target.port,
    timings: {},
    bytesRead: 0,
  };
}

/**
 * A name outside the account that resolves here to private, loopback, link-local or other reserved
 * space: Cloudflare does not connect there ("Error 1002: Restricted", a domain resolving to a local
 * or disallowed address; checked 2026-11-30, support/troubleshooting/http-status-codes/cloudflare-1xxx-errors),
 * and DNS as this machine sees it (a CI runner's split-horizon resolver) may not be public DNS. Such
 * an address is never probed: the probe would judge some other host (a cloud metadata service at
 * 169.254.169.254 answers HTTP 200), and a 52x or a pass from it would be a guess.
 */
function restrictedReason(name: string, range: string): string {
  return `${name} resolves here to an address in ${range} (private, loopback or reserved): Cloudflare does not connect there (1002 Restricted, if public DNS gives the same answer); not probed`;
}

function cloudflareRangeOf(address: string, settings: AddressProbeSettings): string | undefined {
  const ranges = settings.cloudflareRanges;
  if (!ranges) return undefined;
  return rangeContaining(address, ipFamily(address) === 4 ? ranges.ipv4 : ranges.ipv6);
}

async function probeTarget(
  target: ProbeTarget,
  settings: AddressProbeSettings,
  resolver: NameResolver,
): Promise<ProbeResult[]> {
  if (target.unknownReason !== undefined)
    return [planUnknown(target, target.unknownReason, undefined, target.unknownCode)];
  for (const [what, value] of [
    ["Host header", target.hostHeader],
    ["SNI", target.sni],
  ] as const) {
    if (!isSendableHost(value))
      return [
        planUnknown(
          target,
          `the ${what} ${JSON.stringify(value.slice(0, 80))} holds spaces or control characters and is not sent; not probed`,
          undefined,
          "INVALID_HOST_HEADER",
        ),
      ];
  }
  const port = target.connectTo?.port ?? target.port;
  const direct =
    target.connectTo?.address ?? (target.origin.kind === "ip" ? target.origin.address : undefined);
  if (direct !== undefined) {
    if (isDocumentationAddress(direct)) return [planUnknown(target, DOCUMENTATION_REASON, direct)];
    return [await probeAddress(target, direct, port, settings)];
  }
  const name = targetAddress(target);
  const started = performance.now();
  const resolved = await resolver(name);
  const dnsMs = Math.round(performance.now() - started);
  if (!resolved.ok) {
    const doesNotResolve = NAME_DOES_NOT_RESOLVE.has(resolved.code);
    return [
      {
        target,
        status: doesNotResolve ? "fail" : "unknown",
        predicts: doesNotResolve ? "1016" : null,
        phase: "dns",
        code: resolved.code,
        message: doesNotResolve
          ? `1016 (origin DNS error, 530): ${target.hostname} is sent by ${target.nameVia ?? "a CNAME"} to ${name}, which does not resolve (${resolved.message})`
          : `${target.hostname}: could not ask DNS about ${name} (${resolved.message})`,
        port,
        timings: { dns: dnsMs },
        bytesRead: 0,
      },
    ];
  }
  const inCloudflare = resolved.addresses.filter(
    ({ address }) => cloudflareRangeOf(address, settings) !== undefined,
  );
  if (inCloudflare.length > 0 && inCloudflare.length === resolved.addresses.length) {
    // A name served by Cloudflare outside this account: the edge refuses to proxy to it (1014),
    // unless its zone set the hostname up for SSL for SaaS, which only that zone's owner knows.
    const address = inCloudflare[0]!.address;
    return [
      {
        target,
        status: "warn",
        predicts: "1014",
        phase: "dns",
        code: "CNAME_INTO_CLOUDFLARE",
        message: `1014 (${PREDICTED_ERROR_MEANING["1014"]}): ${target.hostname} is sent by ${target.nameVia ?? "a CNAME"} to ${name}, which resolves to Cloudflare's ${address} (${cloudflareRangeOf(address, settings)}) and is not a zone of this account; it works only if that zone has set the hostname up for SSL for SaaS`,
        address,
        port,
        timings: { dns: dnsMs },
        bytesRead: 0,
      },
    ];
  }
  const results: ProbeResult[] = [];
  for (const { address } of resolved.addresses) {
    if (ipFamily(address) === undefined) continue;
    const restricted = rangeContaining(address, PROHIBITED_PROXY_TARGETS);
    if (isDocumentationAddress(address)) results.push(planUnknown(target, DOCUMENTATION_REASON, address));
    else if (restricted !== undefined)
      results.push({
        ...planUnknown(target, restrictedReason(name, restricted), address, RESTRICTED_CODE),
        phase: "dns",
        timings: { dns: dnsMs },
      });
    else results.push(await probeAddress(target, address, port, settings, dnsMs));
  }
  return results;
}

/**
 * Connections allowed to be opening or waiting at once, for a `concurrency` of N: a connection that
 * waits for a SYN+ACK costs no CPU, so up to 16N (at most 1,024 sockets) open ahead while N probes do
 * the TLS, certificate and HTTP work. A silent origin then waits out its connect timeout beside the
 * healthy ones instead of after them. No one origin address and port is sent more than
 * `connectionsPerOrigin(N)` of them at once (see there).
 */
export function openConnectionsFor(concurrency: number): number {
  return Math.max(concurrency, Math.min(concurrency * OPEN_AHEAD_FACTOR, MAX_OPEN_CONNECTIONS));
}

/**
 * Connections open at once to one origin address and port, for a `concurrency` of N: N doing the
 * work and N opened ahead for the next ones. Most zones send hundreds of hostnames to a handful of
 * origins; an origin is not asked to hold hundreds of idle connections (a server with a worker per
 * connection would run out of workers and look broken), and the look-ahead goes to the other
 * origins, where a silent one starts its timeout early.
 */
export function connectionsPerOrigin(concurrency: number): number {
  return 2 * concurrency;
}

const OPEN_AHEAD_FACTOR = 16;
const MAX_OPEN_CONNECTIONS = 1024;

/**
 * Probe every target with bounded concurrency; results come back in target order (a CNAME target
 * gives one result per address it resolves to). Targets the plan marked unknown send no packet.
 * An aborted `signal` rejects with its reason (no partial results: they would look like a verdict).
 */
export async function runProbes(
  targets: readonly ProbeTarget[],
  options: ProbeOptions = {},
): Promise<ProbeResult[]> {
  const connectTimeoutMs = options.connectTimeoutMs ?? CLOUDFLARE_CONNECT_TIMEOUT_MS;
  const settings: AddressProbeSettings = {
    connectTimeoutMs,
    tlsTimeoutMs: options.tlsTimeoutMs ?? connectTimeoutMs,
    readTimeoutMs: options.readTimeoutMs ?? CLOUDFLARE_READ_TIMEOUT_MS,
    maxHeaderBytes: options.maxHeaderBytes ?? CLOUDFLARE_MAX_RESPONSE_HEADER_BYTES,
    anchors: targets.some((t) => t.certificate !== "none") ? trustAnchors(options.extraCaPem) : [],
    now: options.now ?? (() => new Date()),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.clientCertificate ? { clientCertificate: options.clientCertificate } : {}),
    ...(options.certHorizonDays !== undefined ? { certHorizonDays: options.certHorizonDays } : {}),
    ...(options.cloudflareRanges ? { cloudflareRanges: options.cloudflareRanges } : {}),
  };
  const { signal } = options;
  throwIfInterrupted(signal);
  // Every socket in flight listens to the signal: up to 1,024 at once.
  if (signal) setMaxListeners(0, signal);
  const resolver = options.resolver ?? dnsResolver();
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_PROBE_CONCURRENCY));
  const work = new Semaphore(concurrency);
  const chains = new PeerChains();
  const connects = new ConnectOutcomes();
  const origins = new KeyedSemaphore(connectionsPerOrigin(concurrency));
  const perTarget = await abortable(
    mapPool(
      targets,
      openConnectionsFor(concurrency),
      async (target) => {
        const results = await probeTarget(target, { ...settings, work, chains, connects, origins }, resolver);
        if (!signal?.aborted) for (const result of results) options.onResult?.(result);
        return results;
      },
      signal,
    ),
    signal,
  );
  return perTarget.flat();
}
