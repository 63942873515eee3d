/**
 * What an origin's real firewall admits, read from an export of it (`nft -j list ruleset`,
 * `iptables-save` / `ip6tables-save`). Both parsers produce this one shape.
 *
 * `admitted` holds, for TCP, one entry per port the parser was asked about (the origin's ports) and
 * per port a rule names, with the sources that certainly reach that port (`cidrs`) and those that
 * may or may not (`uncertain`): a rule the checker cannot decide (an `xt` match whose options the
 * JSON does not show, a rate limit, an interface or mark match, a set it cannot resolve, a DNAT)
 * makes the sources it touches uncertain, and `causes` names those rules. The rules are evaluated
 * in order (accept, drop, reject, jump, goto, return) and the chain policy is already applied. The
 * entry with port `'any'` is what reaches a port no rule names. Read a port through `admittedOn`
 * and `uncertainOn`.
 *
 * `defaultPolicy` is the policy of the input chain(s): `drop` when every address family meets a
 * dropping policy, else `accept`. `unknowns` lists every part of the export the checker could not
 * model, each naming where it is, whether or not it changed a port's answer.
 */
export interface EnforcedFirewall {
  readonly admitted: readonly AdmittedSources[];
  readonly defaultPolicy: "accept" | "drop";
  readonly unknowns: readonly string[];
}

export interface AdmittedSources {
  readonly port: number | "any";
  /** Merged CIDRs certainly admitted, IPv4 first, then IPv6. */
  readonly cidrs: string[];
  /** Merged CIDRs that may or may not be admitted (empty when the ruleset is fully understood). */
  readonly uncertain: string[];
  /** The rules that make `uncertain` uncertain ("<where>: <what>"). */
  readonly causes: string[];
}

/** The sources certainly admitted on a TCP port: the entries for that port, or else those for `'any'`. */
export function admittedOn(firewall: EnforcedFirewall, port: number): string[] {
  return entriesFor(firewall, port).flatMap((entry) => entry.cidrs);
}

/** The sources whose admission on a TCP port the checker cannot decide, and the rules that make it so. */
export function uncertainOn(
  firewall: EnforcedFirewall,
  port: number,
): { readonly cidrs: string[]; readonly causes: string[] } {
  const entries = entriesFor(firewall, port);
  return {
    cidrs: entries.flatMap((entry) => entry.uncertain),
    causes: [...new Set(entries.flatMap((entry) => entry.causes))],
  };
}

function entriesFor(firewall: EnforcedFirewall, port: number): readonly AdmittedSources[] {
  const exact = firewall.admitted.filter((entry) => entry.port === port);
  return exact.length > 0 ? exact : firewall.admitted.filter((entry) => entry.port === "any");
}

/** The TCP ports a parser evaluates when not told the origin's ports. */
export const DEFAULT_FIREWALL_PORTS: readonly number[] = [80, 443];
