/**
 * What the first packet of a new connection from Cloudflare to an origin looks like to the origin's
 * firewall, for the matches both parsers can decide exactly. It is a TCP SYN (no ACK, FIN, RST,
 * PSH or URG; ECE and CWR set when the sender asks for ECN, which the checker cannot know), in
 * conntrack state `new` and direction `original`, addressed to this host (packet type host /
 * unicast), never arriving on the loopback interface. Everything else about it (the interface it
 * arrives on, marks, its source port) is unknown. Checked 2026-11-30 against nft(8),
 * iptables-extensions(8) and RFC 3168 (ECN-setup SYN).
 */

/** TCP flag names as nft and iptables spell them (lower case). */
export type TcpFlag = "fin" | "syn" | "rst" | "psh" | "ack" | "urg" | "ecn" | "cwr";

const TCP_FLAGS: ReadonlySet<string> = new Set(["fin", "syn", "rst", "psh", "ack", "urg", "ecn", "cwr"]);

/** The flags of a plain SYN and of an ECN-setup SYN (ECE and CWR; nft calls ECE `ecn`). */
const SYN_VARIANTS: readonly ReadonlySet<string>[] = [new Set(["syn"]), new Set(["syn", "ecn", "cwr"])];

/**
 * Whether a test of the TCP flags matches the SYN: true or false when it does the same for a plain
 * and an ECN-setup SYN, undefined when the answer depends on ECN.
 */
export function synMatches(test: (flags: ReadonlySet<string>) => boolean): boolean | undefined {
  const answers = SYN_VARIANTS.map(test);
  return answers.every((answer) => answer === answers[0]) ? answers[0] : undefined;
}

/** Flag names, or undefined when one is not a TCP flag. `iptables` spells them in upper case. */
export function tcpFlags(names: readonly unknown[]): Set<string> | undefined {
  const flags = new Set<string>();
  for (const name of names) {
    if (typeof name !== "string") return undefined;
    const lower = name.toLowerCase();
    if (lower === "ece") flags.add("ecn");
    else if (TCP_FLAGS.has(lower)) flags.add(lower);
    else return undefined;
  }
  return flags;
}

/** `(flags & mask) == compare`. */
export function flagsEqual(
  flags: ReadonlySet<string>,
  mask: ReadonlySet<string> | undefined,
  compare: ReadonlySet<string>,
): boolean {
  const masked = [...flags].filter((flag) => mask === undefined || mask.has(flag));
  return masked.length === compare.size && masked.every((flag) => compare.has(flag));
}

/** The conntrack state of the SYN (nft lower case, iptables upper case). */
export const NEW_CONNECTION_STATE = "new";

/** Whether a list of conntrack states (`established,related`, `NEW`) holds the SYN's. */
export function statesIncludeNew(states: readonly unknown[]): boolean {
  return states.some((state) => typeof state === "string" && state.toLowerCase() === NEW_CONNECTION_STATE);
}

/** Packet types the SYN has: nft `host` (to this host), iptables `unicast`. */
const PACKET_TYPES_OF_SYN: ReadonlySet<string> = new Set(["host", "unicast"]);
const PACKET_TYPES: ReadonlySet<string> = new Set(["host", "unicast", "broadcast", "multicast", "other"]);

/** Whether a packet-type match holds for the SYN; undefined for a type the checker does not know. */
export function packetTypeMatches(types: readonly unknown[]): boolean | undefined {
  let matches = false;
  for (const type of types) {
    if (typeof type !== "string" || !PACKET_TYPES.has(type.toLowerCase())) return undefined;
    if (PACKET_TYPES_OF_SYN.has(type.toLowerCase())) matches = true;
  }
  return matches;
}

/** The loopback interface, which Cloudflare's traffic never arrives on. */
export const LOOPBACK_INTERFACE = "lo";
