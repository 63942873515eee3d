import { Resolver } from "node:dns/promises";

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

export type ResolveResult =
  | { readonly ok: true; readonly addresses: readonly ResolvedAddress[] }
  | { readonly ok: false; readonly code: string; readonly message: string };

/** Resolves a CNAME target to addresses; injectable so tests use a DNS server on loopback. */
export type NameResolver = (name: string) => Promise<ResolveResult>;

/** Answers meaning "this name has no address": Cloudflare answers 530 with error 1016. */
export const NAME_DOES_NOT_RESOLVE = new Set(["ENOTFOUND", "ENODATA", "ESERVFAIL", "NXDOMAIN"]);

export interface DnsResolverOptions {
  /** DNS servers ("127.0.0.1:5353", "[::1]:53"); default: the system's. */
  readonly servers?: readonly string[];
  readonly timeoutMs?: number;
  readonly tries?: number;
}

/**
 * A resolver that asks DNS for A and AAAA records (as Cloudflare does for a CNAME target; the local
 * hosts file plays no part). The name has addresses if either family has some.
 */
export function dnsResolver(options: DnsResolverOptions = {}): NameResolver {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 5000, tries: options.tries ?? 2 });
  if (options.servers !== undefined) resolver.setServers([...options.servers]);
  return async (name) => {
    const [v4, v6] = await Promise.allSettled([resolver.resolve4(name), resolver.resolve6(name)]);
    const addresses: ResolvedAddress[] = [
      ...(v4.status === "fulfilled" ? v4.value.map((address) => ({ address, family: 4 as const })) : []),
      ...(v6.status === "fulfilled" ? v6.value.map((address) => ({ address, family: 6 as const })) : []),
    ];
    if (addresses.length > 0) return { ok: true, addresses };
    const errors = [v4, v6].flatMap((r) =>
      r.status === "rejected" ? [r.reason as NodeJS.ErrnoException] : [],
    );
    const decisive = errors.find((e) => !NAME_DOES_NOT_RESOLVE.has(e.code ?? "")) ?? errors[0];
    if (decisive === undefined)
      return { ok: false, code: "ENODATA", message: `${name} has no A or AAAA records` };
    return { ok: false, code: decisive.code ?? "EUNKNOWN", message: `${name}: ${decisive.message}` };
  };
}
