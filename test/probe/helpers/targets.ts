import type { Allowlist } from "../../../checks/model/origin.js";
import type { SslMode } from "../../../checks/model/ssl-mode.js";
import type { ProbeTarget } from "../../../checks/probe/result.js";

export const HOSTNAME = "www.example.test";

/** A target as the plan would make it, pointed straight at a loopback (or lab) address. */
export function targetFor(
  address: string,
  port: number,
  sslMode: SslMode,
  extra: { hostname?: string; allowlist?: Allowlist; originName?: string } = {},
): ProbeTarget {
  const hostname = extra.hostname ?? HOSTNAME;
  const https = sslMode === "full" || sslMode === "strict";
  return {
    zone: "example.test",
    hostname,
    recordType: address.includes(":") ? "AAAA" : "A",
    origin: { kind: "ip", address, family: address.includes(":") ? 6 : 4 },
    port,
    scheme: https ? "https" : "http",
    sslMode,
    sni: hostname,
    hostHeader: hostname,
    certificate: sslMode === "strict" ? "enforce" : sslMode === "full" ? "warn" : "none",
    ...(extra.allowlist ? { allowlist: extra.allowlist, originName: extra.originName ?? "origin" } : {}),
  };
}
