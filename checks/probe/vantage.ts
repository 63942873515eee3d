import ipaddr from "ipaddr.js";
import type { Allowlist } from "../model/origin.js";
import type { ProbeResult, ProbeTarget } from "./result.js";

/** Whether the machine running the probes is admitted by the origins' firewalls (`--vantage`). */
export type ProbeVantage = "allowed" | "outside" | "unknown";

function inCidr(address: string, cidr: string): boolean {
  try {
    let parsed = ipaddr.parse(address);
    if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
      parsed = (parsed as ipaddr.IPv6).toIPv4Address();
    }
    const [net, bits] = ipaddr.parseCIDR(cidr);
    return net.kind() === parsed.kind() && parsed.match(net, bits);
  } catch {
    return false;
  }
}

/**
 * Whether an allowlist admits the probing machine: true, false, or undefined when it cannot be
 * told (the probing address is not known). Cloudflare's ranges never admit the machine running
 * the checker: it is not Cloudflare's edge.
 */
export function allowlistAdmits(allowlist: Allowlist, probingFrom: string | undefined): boolean | undefined {
  if (allowlist.kind === "none") return true;
  if (allowlist.kind === "cloudflare") return false;
  if (probingFrom === undefined) return undefined;
  return allowlist.cidrs.some((cidr) => inCidr(probingFrom, cidr));
}

const CONNECT_FAILURES = new Set(["521", "522", "523"]);

/**
 * Read a probe result in the light of where the probes run from (pure).
 *
 * - A connection that fails at the TCP phase (timeout above all, but also a firewall's reset or
 *   ICMP reject) at an origin whose declared allowlist does not admit the probing machine is
 *   "unknown: blocked by design" unless the vantage is `allowed`: from here it is expected.
 * - A connection accepted from a vantage declared `outside` the allowlist is a warning: the origin
 *   is exposed, anyone can bypass Cloudflare.
 */
export function applyVantage(
  result: ProbeResult,
  target: ProbeTarget,
  vantage: ProbeVantage,
  probingFrom?: string,
): ProbeResult {
  const allowlist = target.allowlist;
  if (allowlist === undefined || allowlist.kind === "none") return result;
  const from = probingFrom ?? result.localAddress;
  const admits = allowlistAdmits(allowlist, from);
  const described =
    allowlist.kind === "cloudflare" ? "Cloudflare's ranges" : `the ranges ${allowlist.cidrs.join(", ")}`;
  const origin = target.originName ?? result.address ?? target.hostname;

  if (
    vantage !== "allowed" &&
    admits !== true &&
    result.status === "fail" &&
    result.phase === "tcp" &&
    result.predicts !== null &&
    CONNECT_FAILURES.has(result.predicts)
  ) {
    const what =
      result.predicts === "522" ? "timed out" : result.predicts === "521" ? "was refused" : "was unreachable";
    return {
      ...result,
      status: "unknown",
      predicts: null,
      message:
        `unknown: blocked by design? the connection to ${origin} ${what} (${result.code}), and its firewall ` +
        `admits only ${described}, not this machine${from ? ` (${from})` : ""}; run from an admitted machine ` +
        `or declare --vantage allowed to judge it`,
      withoutVantage: { status: result.status, predicts: result.predicts },
      notes: [...(result.notes ?? []), `probe alone: ${result.message}`],
    };
  }

  const connected = result.phase !== "tcp" && result.phase !== "dns" && result.phase !== "plan";
  if (vantage === "outside" && connected && admits !== true) {
    const note =
      `exposed: ${origin} accepted a connection on port ${result.port} from outside its allowlist ` +
      `(${described}); anyone can reach it without Cloudflare`;
    return {
      ...result,
      status: result.status === "ok" ? "warn" : result.status,
      exposed: true,
      message: result.status === "ok" ? `${note} (${result.message})` : result.message,
      notes: [...(result.notes ?? []), note],
    };
  }
  return result;
}
