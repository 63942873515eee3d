/**
 * What an origin's real firewall admits, read from an export of it (`nft -j list ruleset`,
 * `iptables-save` / `ip6tables-save`). Both parsers produce this one shape.
 *
 * `admitted` holds, for TCP, one entry per port the parser was asked about (the origin's ports) and
 * per port a rule names, with every source that reaches that port: the rules are evaluated in order
 * (accept, drop, reject, jump, goto, return) and the chain policy is already applied. The entry with
 * port `'any'` is what reaches a port no rule names. Read a port through `admittedOn`.
 *
 * `defaultPolicy` is the policy of the input chain(s): `drop` when every address family meets a
 * dropping policy, else `accept`. `unknowns` lists what the parser could not model (an ipset, a rate
 * limit, an interface match), each naming where it is, so a report can say how far to trust it.
 */
export interface EnforcedFirewall {
  readonly admitted: readonly AdmittedSources[];
  readonly defaultPolicy: "accept" | "drop";
  readonly unknowns: readonly string[];
}

export interface AdmittedSources {
  readonly port: number | "any";
  /** Merged CIDRs, IPv4 first, then IPv6. */
  readonly cidrs: string[];
}

/** The sources admitted on a TCP port: the entries for that port, or else those for `'any'`. */
export function admittedOn(firewall: EnforcedFirewall, port: number): string[] {
  const exact = firewall.admitted.filter((entry) => entry.port === port);
  const entries = exact.length > 0 ? exact : firewall.admitted.filter((entry) => entry.port === "any");
  return entries.flatMap((entry) => entry.cidrs);
}

/** The TCP ports a parser evaluates when not told the origin's ports. */
export const DEFAULT_FIREWALL_PORTS: readonly number[] = [80, 443];
