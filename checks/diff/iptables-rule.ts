import { InputError } from "../errors.js";
import { cidrFamily, type IpFamily, rangeToCidrs } from "./cidr-set.js";
import type { Condition, PortRange, Verdict } from "./firewall-program.js";
import type { IptablesParseOptions } from "./iptables-save.js";
import {
  flagsEqual,
  LOOPBACK_INTERFACE,
  packetTypeMatches,
  statesIncludeNew,
  synMatches,
  tcpFlags,
} from "./new-connection.js";

/**
 * One `-A` rule of an iptables-save export (its options, each tagged with the `-m` module it
 * belongs to) -> the conditions and verdict of the firewall model, for the first packet of a new
 * connection from Cloudflare. Every option is read by name: those the checker decides exactly are
 * listed in iptables-save.ts; any other is an unknown condition naming it, never skipped. Options
 * after `-j TARGET` are the target's own and do not match.
 */

export interface Option {
  readonly flag: string;
  readonly args: readonly string[];
  readonly negate: boolean;
  /** The `-m` module the option belongs to (undefined for the basic options). */
  readonly module?: string;
}

/**
 * iptables targets that neither decide nor redirect: the packet goes on to the next rule. The same
 * targets appear as opaque `xt` targets in `nft -j` exports of iptables-nft rules.
 */
export const TARGETS_WITHOUT_VERDICT: ReadonlySet<string> = new Set([
  "LOG",
  "NFLOG",
  "ULOG",
  "MARK",
  "CONNMARK",
  "CONNSECMARK",
  "SECMARK",
  "CT",
  "NOTRACK",
  "TRACE",
  "AUDIT",
  "CHECKSUM",
  "CLASSIFY",
  "DSCP",
  "TOS",
  "TCPMSS",
  "SET",
  "IDLETIMER",
  "LED",
  "TEE",
]);

/** Targets that send the packet where the checker does not follow (address translation, user space). */
const REDIRECTING_TARGETS: ReadonlySet<string> = new Set([
  "DNAT",
  "SNAT",
  "MASQUERADE",
  "REDIRECT",
  "NETMAP",
  "TPROXY",
  "NFQUEUE",
  "QUEUE",
  "SYNPROXY",
  "TARPIT",
]);

const SERVICE_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443, ssh: 22 };

/** What `--dport` and friends belong to when no `-m` names a module (iptables loads `-p`'s implicitly). */
const IMPLICIT_MODULE = "tcp";

export type Translated = { conditions: Condition[]; verdict: Verdict };

export function translateRule(
  options: readonly Option[],
  family: IpFamily,
  parse: IptablesParseOptions,
  at: string,
  untracked: string | undefined,
): Translated {
  const conditions: Condition[] = [];
  let verdict: Verdict = { kind: "none" };
  const arg = (option: Option, n = 0): string => {
    const value = option.args[n];
    if (value === undefined) throw new InputError(parse.file, at, `a value after ${option.flag}`);
    return value;
  };
  const unknown = (option: Option, why?: string) =>
    conditions.push({
      kind: "unknown",
      note: `${option.module && !option.module.startsWith("target ") ? `-m ${option.module} ` : ""}${option.negate ? "! " : ""}${[option.flag, ...option.args].join(" ")}${why ? ` (${why})` : ""}`,
    });
  for (const option of options) {
    if (option.module?.startsWith("target ")) continue; // the target's own options
    if (option.module !== undefined) {
      moduleOption(option, family, parse, at, untracked, conditions, arg, unknown);
      continue;
    }
    switch (option.flag) {
      case "-s":
      case "--source":
      case "--src": {
        const cidrs = arg(option)
          .split(",")
          .map((cidr) => checkCidr(cidr, family, parse.file, at));
        conditions.push({ kind: "source", family, cidrs, negate: option.negate });
        break;
      }
      case "-p":
      case "--protocol": {
        const protocol = arg(option).toLowerCase();
        if (protocol === "all" || protocol === "0") {
          if (option.negate) conditions.push({ kind: "never" });
          break;
        }
        const tcp = protocol === "tcp" || protocol === "6";
        conditions.push({ kind: "protocol", tcp: tcp !== option.negate });
        break;
      }
      case "-i":
      case "--in-interface":
        if (arg(option) === LOOPBACK_INTERFACE) {
          if (!option.negate) conditions.push({ kind: "never" });
        } else {
          unknown(option, "the checker cannot tell which interface Cloudflare's traffic arrives on");
        }
        break;
      case "-f":
      case "--fragment":
        // Second and later fragments only: a SYN is never one.
        if (!option.negate) conditions.push({ kind: "never" });
        break;
      case "-4":
      case "--ipv4":
        conditions.push({ kind: "family", family: 4 });
        break;
      case "-6":
      case "--ipv6":
        conditions.push({ kind: "family", family: 6 });
        break;
      case "-c":
      case "--set-counters":
        break;
      case "-m":
      case "--match":
        if (!KNOWN_MODULES.has(arg(option))) {
          // Its options come next and are reported one by one; a module without options is named here.
          if (!options.some((o) => o.module === arg(option)))
            unknown(option, "a match the checker does not model");
        }
        break;
      case "-j":
      case "--jump":
        verdict = target(arg(option));
        break;
      case "-g":
      case "--goto":
        verdict = { kind: "goto", target: arg(option) };
        break;
      case "-d":
      case "--destination":
      case "--dst":
        unknown(option, "the origin's own address as the host sees it, after any NAT");
        break;
      default:
        // Options of the implicit protocol module (`-p tcp --dport 443` without `-m tcp`).
        moduleOption(
          { ...option, module: IMPLICIT_MODULE },
          family,
          parse,
          at,
          untracked,
          conditions,
          arg,
          unknown,
        );
    }
  }
  return { conditions, verdict };
}

/** Modules whose options the checker reads (each option is still checked by name). */
const KNOWN_MODULES: ReadonlySet<string> = new Set([
  "tcp",
  "udp",
  "udplite",
  "sctp",
  "dccp",
  "icmp",
  "icmp6",
  "multiport",
  "iprange",
  "conntrack",
  "state",
  "set",
  "comment",
  "pkttype",
]);

function moduleOption(
  option: Option,
  family: IpFamily,
  parse: IptablesParseOptions,
  at: string,
  untracked: string | undefined,
  conditions: Condition[],
  arg: (option: Option, n?: number) => string,
  unknown: (option: Option, why?: string) => void,
): void {
  const module = option.module!;
  const flag = option.flag;
  if (["udp", "udplite", "sctp", "dccp", "icmp", "icmp6"].includes(module)) {
    // Another protocol's header: never a TCP SYN.
    conditions.push({ kind: "protocol", tcp: false });
    return;
  }
  if (module === "comment" && flag === "--comment") return;
  if (
    (module === "tcp" || module === "multiport") &&
    ["--dport", "--destination-port", "--dports", "--destination-ports"].includes(flag)
  ) {
    conditions.push({ kind: "port", ranges: portRanges(arg(option), parse.file, at), negate: option.negate });
    return;
  }
  if (
    (module === "tcp" || module === "multiport") &&
    ["--sport", "--source-port", "--sports", "--source-ports", "--ports"].includes(flag)
  ) {
    unknown(option, "Cloudflare connects from ephemeral source ports");
    return;
  }
  if (module === "tcp" && (flag === "--syn" || flag === "--tcp-flags")) {
    const mask = flag === "--syn" ? new Set(["syn", "rst", "ack", "fin"]) : flagList(arg(option, 0));
    const compare = flag === "--syn" ? new Set(["syn"]) : flagList(arg(option, 1));
    const matches = mask && compare ? synMatches((flags) => flagsEqual(flags, mask, compare)) : undefined;
    if (matches === undefined) unknown(option);
    else if (matches === option.negate) conditions.push({ kind: "never" });
    return;
  }
  if (module === "iprange" && flag === "--src-range") {
    const [first, last] = arg(option).split("-");
    if (
      first === undefined ||
      last === undefined ||
      cidrFamily(first) !== family ||
      cidrFamily(last) !== family
    ) {
      throw new InputError(parse.file, at, `an IPv${family} range first-last after --src-range`, arg(option));
    }
    conditions.push({ kind: "source", family, cidrs: rangeToCidrs(first, last), negate: option.negate });
    return;
  }
  if ((module === "conntrack" && flag === "--ctstate") || (module === "state" && flag === "--state")) {
    if (untracked !== undefined) {
      unknown(option, `${untracked} marks some traffic untracked`);
      return;
    }
    // A new inbound connection is NEW; ESTABLISHED, RELATED and INVALID never match it.
    if (statesIncludeNew(arg(option).split(",")) === option.negate) conditions.push({ kind: "never" });
    return;
  }
  if (module === "conntrack" && flag === "--ctdir") {
    const direction = arg(option).toUpperCase();
    if (direction !== "ORIGINAL" && direction !== "REPLY") unknown(option);
    else if ((direction === "ORIGINAL") === option.negate) conditions.push({ kind: "never" });
    return;
  }
  if (module === "pkttype" && flag === "--pkt-type") {
    const matches = packetTypeMatches([arg(option)]);
    if (matches === undefined) unknown(option);
    else if (matches === option.negate) conditions.push({ kind: "never" });
    return;
  }
  if (module === "set" && flag === "--match-set") {
    const name = arg(option);
    const members = parse.ipsets?.[name];
    if (option.args[1] !== undefined && option.args[1] !== "src") {
      unknown(option, "matched on more than the source address");
    } else if (members) {
      const cidrs = members
        .filter((member) => cidrFamily(member) === family)
        .map((member) => checkCidr(member, family, parse.file, `ipset ${name}`));
      conditions.push({ kind: "source", family, cidrs, negate: option.negate });
    } else {
      unknown(option, "its members are not in the export");
    }
    return;
  }
  unknown(option, "not modelled");
}

function flagList(text: string): Set<string> | undefined {
  if (text === "NONE") return new Set();
  if (text === "ALL") return new Set(["fin", "syn", "rst", "psh", "ack", "urg"]);
  return tcpFlags(text.split(","));
}

function target(name: string): Verdict {
  switch (name) {
    case "ACCEPT":
      return { kind: "accept" };
    case "DROP":
      return { kind: "drop" };
    case "REJECT":
      return { kind: "reject" };
    case "RETURN":
      return { kind: "return" };
    default:
      if (TARGETS_WITHOUT_VERDICT.has(name)) return { kind: "none" };
      if (REDIRECTING_TARGETS.has(name)) {
        return { kind: "unknown", note: `-j ${name} (the packet goes where the checker does not follow)` };
      }
      return { kind: "jump", target: name };
  }
}

function checkCidr(cidr: string, family: IpFamily, file: string, at: string): string {
  if (cidrFamily(cidr) !== family) {
    throw new InputError(
      file,
      at,
      `an IPv${family} address or CIDR (ip${family === 6 ? "6" : ""}tables-save)`,
      cidr,
    );
  }
  return cidr;
}

function portRanges(text: string, file: string, at: string): PortRange[] {
  return text.split(",").map((part) => {
    const [low, high] = part.split(":");
    const first = portNumber(low === "" ? "0" : low, file, at);
    const last = high === undefined ? first : portNumber(high === "" ? "65535" : high, file, at);
    return [first, last] as const;
  });
}

function portNumber(text: string | undefined, file: string, at: string): number {
  const port = text === undefined ? Number.NaN : (SERVICE_PORTS[text] ?? Number(text));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InputError(file, at, "a port number or range such as 443 or 1000:2000", text);
  }
  return port;
}
