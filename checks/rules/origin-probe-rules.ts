import type { Finding, FindingStatus } from "../model/finding.js";
import type { ProbePhase, ProbeResult } from "../probe/result.js";
import { targetAddress } from "../probe/result.js";
import { finding, type Rule, type RuleContext } from "./rule.js";

/**
 * The probe rules: each turns the probe results decided in its phase into findings (pure). A
 * healthy probe is a `pass` of the HTTP rule; a probe the run could not make honestly is `unknown`.
 */
function probeRule(
  id: string,
  phases: readonly ProbePhase[],
  wording: Pick<Rule, "predicts" | "checks" | "why" | "fix">,
): Rule {
  return {
    id,
    ...wording,
    needs: ["probes"],
    evaluate(context: RuleContext): Finding[] {
      return (context.probes ?? []).filter((r) => phases.includes(r.phase)).map((r) => probeFinding(this, r));
    },
  };
}

const STATUS: Record<ProbeResult["status"], FindingStatus> = {
  ok: "pass",
  fail: "fail",
  warn: "warn",
  unknown: "unknown",
};

/**
 * "When both IPv4 and IPv6 connections are available, Cloudflare prefers IPv4" (Cloudflare's IPv6
 * documentation, checked 2026-11-30): a failing IPv6 address beside an IPv4 one is a warning.
 */
export const IPV4_PREFERRED = true;

function probeFinding(rule: Rule, r: ProbeResult): Finding {
  const t = r.target;
  if (IPV4_PREFERRED && t.fallback && r.status === "fail") {
    const base = probeFinding(rule, { ...r, target: { ...t, fallback: false } });
    return {
      ...base,
      status: "warn",
      blocking: false,
      message: `${base.message} (IPv6 beside an IPv4 address: Cloudflare prefers IPv4, so visitors are not served through this address while IPv4 answers)`,
      evidence: { ...base.evidence, fallback: "IPv6 beside IPv4" },
    };
  }
  const predicts = r.predicts === "redirect-loop" ? null : r.predicts;
  const evidence: Record<string, unknown> = {
    phase: r.phase,
    code: r.code,
    scheme: t.scheme,
    sslMode: t.sslMode,
    sni: t.sni,
    connectedTo: r.address !== undefined ? `${r.address}:${r.port}` : undefined,
    timingsMs: r.timings,
    bytesRead: r.bytesRead,
    ...(r.httpStatus !== undefined ? { httpStatus: r.httpStatus } : {}),
    ...(r.location !== undefined ? { location: r.location } : {}),
    ...(r.predicts === "redirect-loop" ? { predicts: "redirect loop (ERR_TOO_MANY_REDIRECTS)" } : {}),
    ...(r.certificate
      ? {
          certificate: {
            subject: r.certificate.subject,
            subjectAltNames: r.certificate.subjectAltNames,
            issuer: r.certificate.issuer,
            validTo: r.certificate.validTo,
            trusted: r.certificate.trusted,
            problems: r.certificate.details,
          },
        }
      : {}),
    ...(t.connectTo ? { connectTo: t.connectTo.spec } : {}),
    ...(r.withoutVantage ? { withoutVantage: r.withoutVantage } : {}),
    ...(r.notes?.length ? { notes: r.notes } : {}),
    ...(t.notes?.length ? { route: t.notes } : {}),
  };
  return finding(
    rule,
    STATUS[r.status],
    { zone: t.zone, hostname: t.hostname, type: t.recordType, address: targetAddress(t), port: t.port },
    `${t.scheme}://${t.hostname} via ${targetAddress(t)}:${t.port}: ${r.message}${t.notes?.length ? ` [${t.notes.join("; ")}]` : ""}`,
    evidence,
    { predicts: r.status === "ok" ? null : predicts },
  );
}

export const originDns = probeRule("origin-dns", ["dns"], {
  predicts: "1016",
  checks: "The target of every proxied CNAME resolves to an address.",
  why: "Cloudflare cannot reach an origin whose name does not resolve: visitors get 530 with error 1016.",
  fix: "Point the CNAME at a name that resolves (check for typos and deleted hosts), or at the origin's address.",
});

export const originTcp = probeRule("origin-tcp", ["plan", "tcp"], {
  predicts: "522",
  checks: "The origin accepts a TCP connection on the port Cloudflare uses, within the connect timeout.",
  why:
    "Nothing listening is a 521, no answer within 19 s (a firewall dropping Cloudflare's ranges, a wrong " +
    "address) is a 522, no route to the address is a 523.",
  fix: "Start the service on that port, admit Cloudflare's ranges in the origin firewall, or correct the A/AAAA record.",
});

export const originTls = probeRule("origin-tls", ["tls"], {
  predicts: "525",
  checks: "In Full and Full (strict) the origin completes a TLS handshake with SNI on the port.",
  why: "Cloudflare speaks TLS to the origin in those modes; no TLS, a protocol or cipher mismatch is a 525.",
  fix: "Serve TLS (1.2 or later recommended; Cloudflare offers 1.0 to 1.3 and a fixed list of cipher suites) on the origin port with a certificate for the hostname, or use the right port.",
});

export const originCertificate = probeRule("origin-certificate", ["certificate"], {
  predicts: "526",
  checks:
    "In Full (strict) the origin certificate is valid now, trusted (public CA or Cloudflare Origin CA) and names the hostname.",
  why: "Full (strict) refuses an expired, not yet valid, self-signed, untrusted or misnamed certificate: visitors get 526. In Full it is only a warning.",
  fix: "Install a certificate for the hostname from a public CA or the Cloudflare Origin CA, and renew before it expires.",
});

export const originHttp = probeRule("origin-http", ["http"], {
  predicts: "520",
  checks:
    "The origin answers an HTTP request for the hostname with valid headers within the read timeout, and its redirects on the hostname end (followed as a browser would, up to 20).",
  why:
    "An empty reply, a reset, or headers over 128 KB are a 520; no response within 120 s is a 524. Cloudflare " +
    "passes redirects to the visitor: an origin redirecting HTTP to HTTPS under Flexible, a redirect to the " +
    "same URL, or a chain that comes back on itself or never ends leaves visitors with ERR_TOO_MANY_REDIRECTS.",
  fix: "Fix the origin's handling of the hostname (virtual host, upstream, timeouts, redirect rules; behind Cloudflare, decide on X-Forwarded-Proto or CF-Visitor), or the SSL mode.",
});

export const originExposed: Rule = {
  id: "origin-exposed",
  predicts: null,
  checks: "An origin does not accept connections from a vantage outside its declared allowlist.",
  why: "If anyone can reach the origin directly, anyone can bypass Cloudflare's WAF, DDoS protection and caching.",
  fix: "Restrict the origin's firewall to Cloudflare's ranges (or use Cloudflare Tunnel).",
  needs: ["probes"],
  evaluate(context) {
    return (context.probes ?? [])
      .filter((r) => r.exposed)
      .map((r) =>
        finding(
          this,
          "warn",
          {
            zone: r.target.zone,
            hostname: r.target.hostname,
            address: targetAddress(r.target),
            port: r.target.port,
          },
          `origin ${r.target.originName ?? targetAddress(r.target)} accepted a connection from outside its allowlist (${r.localAddress ?? "this machine"})`,
          { localAddress: r.localAddress, allowlist: r.target.allowlist },
        ),
      );
  },
};
