import type { X509Certificate } from "node:crypto";
import type net from "node:net";
import { assessCertificate } from "./certificate.js";
import { classifyConnectError, isRedirectLoop, PREDICTED_ERROR_MEANING, visitorUrl } from "./classify.js";
import { clientCertificateVerdict, demandsClientCertificate } from "./client-certificate.js";
import type { ConnectOutcomes } from "./connect-outcomes.js";
import { httpHead } from "./http.js";
import type { PeerChains } from "./peer-chains.js";
import type { KeyedSemaphore, Semaphore } from "./pool.js";
import { traceRedirects } from "./redirect-chain.js";
import type {
  CertificateEvidence,
  PhaseTimings,
  PredictedError,
  ProbeResult,
  ProbeTarget,
  ResponseHeaders,
} from "./result.js";
import { connectTcp } from "./tcp.js";
import { type ClientCertificate, tlsHandshake } from "./tls.js";

/** Everything one address probe needs besides the target. */
export interface AddressProbeSettings {
  readonly connectTimeoutMs: number;
  readonly tlsTimeoutMs: number;
  readonly readTimeoutMs: number;
  readonly maxHeaderBytes: number;
  readonly anchors: readonly X509Certificate[];
  readonly now: () => Date;
  /**
   * Bounds the phases that cost CPU (TLS, certificate, HTTP) once the TCP connection is up; the
   * run's `concurrency`. Connections still opening do not hold it (see `runProbes`).
   */
  readonly work?: Semaphore;
  /**
   * Bounds the connections open at once to one address and port, from the connection attempt to
   * the end of the probe (`connectionsPerOrigin` in `runProbes`).
   */
  readonly origins?: KeyedSemaphore;
  /** The connection failures seen so far in this run, shared by address and port. */
  readonly connects?: ConnectOutcomes;
  /** The chains presented so far in this run (each parsed once per endpoint and leaf). */
  readonly chains?: PeerChains;
  /** Destroys the socket of this probe when aborted (SIGINT/SIGTERM). */
  readonly signal?: AbortSignal;
  /** Presented when the route has Authenticated Origin Pulls on (`--client-cert`, `--client-key`). */
  readonly clientCertificate?: ClientCertificate;
  /** A validated certificate expiring within this many days warns (`--cert-horizon`). */
  readonly certHorizonDays?: number;
  /** Cloudflare's ranges (a CNAME target resolving into them is another account's: 1014). */
  readonly cloudflareRanges?: { readonly ipv4: readonly string[]; readonly ipv6: readonly string[] };
}

interface Progress {
  timings: PhaseTimings;
  bytesRead: number;
  localAddress?: string;
  certificate?: CertificateEvidence;
}

function describe(predicts: PredictedError, detail: string): string {
  return `${predicts === "redirect-loop" ? "redirect loop" : predicts} (${PREDICTED_ERROR_MEANING[predicts]}): ${detail}`;
}

/**
 * Probe one origin address the way Cloudflare would reach it: TCP connect, TLS with SNI (https),
 * the certificate (Full and Full (strict)), then one HTTP/1.1 request with the Host header.
 * Every phase is bounded in time and bytes. Never throws for anything the origin does.
 */
export function probeAddress(
  target: ProbeTarget,
  address: string,
  port: number,
  settings: AddressProbeSettings,
  dnsMs?: number,
): Promise<ProbeResult> {
  const probe = () => probeConnection(target, address, port, settings, dnsMs);
  return settings.origins ? settings.origins.run(`${address} ${port}`, probe) : probe();
}

async function probeConnection(
  target: ProbeTarget,
  address: string,
  port: number,
  settings: AddressProbeSettings,
  dnsMs: number | undefined,
): Promise<ProbeResult> {
  const progress: Progress = { timings: dnsMs === undefined ? {} : { dns: dnsMs }, bytesRead: 0 };
  const base = { target, address, port };
  const result = (
    fields: Pick<ProbeResult, "status" | "predicts" | "phase" | "code" | "message"> &
      Partial<Pick<ProbeResult, "httpStatus" | "location" | "headers" | "notes">>,
  ): ProbeResult => ({
    ...base,
    ...fields,
    timings: progress.timings,
    bytesRead: progress.bytesRead,
    ...(progress.localAddress !== undefined ? { localAddress: progress.localAddress } : {}),
    ...(progress.certificate !== undefined ? { certificate: progress.certificate } : {}),
  });

  const open = () => connectTcp(address, port, settings.connectTimeoutMs, settings.signal);
  const tcp = await (settings.connects ? settings.connects.connect(address, port, open) : open());
  progress.timings.tcp = tcp.ms;
  if (!tcp.ok) {
    const predicts = classifyConnectError(tcp.code);
    if (predicts === null) {
      return result({
        status: "unknown",
        predicts: null,
        phase: "tcp",
        code: tcp.code,
        message: tcp.message,
      });
    }
    return result({
      status: "fail",
      predicts,
      phase: "tcp",
      code: tcp.code,
      message: describe(predicts, `${address} port ${port}: ${tcp.message}`),
    });
  }
  const raw: net.Socket = tcp.socket;
  progress.localAddress = raw.localAddress;
  // Cloudflare presents its origin-pull certificate only with AOP on; the probe presents the one
  // given on the command line in its place, and none otherwise (as Cloudflare with AOP off).
  const presented = target.originPulls === "on" ? settings.clientCertificate : undefined;
  const clientCertificateDemand = (code: string, predicts: PredictedError | null): ProbeResult => {
    const verdict = clientCertificateVerdict(target.originPulls, presented !== undefined);
    return result({
      status: verdict.status,
      predicts: verdict.status === "fail" ? predicts : null,
      phase: "tls",
      code: "CLIENT_CERT_REQUIRED",
      message: `${target.hostname} via ${address} port ${port}: ${verdict.why} (${code})`,
    });
  };
  const afterConnect = async (): Promise<ProbeResult> => {
    const warnings: string[] = [];
    try {
      let stream: net.Socket = raw;
      if (target.scheme === "https") {
        const handshake = await tlsHandshake(
          raw,
          target.sni,
          settings.tlsTimeoutMs,
          presented,
          settings.chains,
        );
        progress.timings.tls = handshake.ms;
        progress.bytesRead = raw.bytesRead;
        if (!handshake.ok && demandsClientCertificate(handshake.code))
          return clientCertificateDemand(handshake.code, "525");
        if (!handshake.ok) {
          return result({
            status: "fail",
            predicts: "525",
            phase: "tls",
            code: handshake.code,
            message: describe("525", `${address} port ${port} (SNI ${target.sni}): ${handshake.message}`),
          });
        }
        stream = handshake.socket;
        if (target.certificate !== "none") {
          const evidence = assessCertificate(
            handshake.chain,
            target.hostname,
            settings.anchors,
            settings.now(),
          );
          if (evidence === undefined) {
            const detail = "the origin presented no certificate";
            if (target.certificate === "enforce") {
              return result({
                status: "fail",
                predicts: "526",
                phase: "certificate",
                code: "NO_CERTIFICATE",
                message: describe("526", detail),
              });
            }
            warnings.push(`${detail}; Full (strict) would answer 526`);
          } else {
            progress.certificate = evidence;
            const horizon = settings.certHorizonDays ?? 0;
            const daysLeft = (Date.parse(evidence.validTo) - settings.now().getTime()) / 86_400_000;
            if (
              target.certificate === "enforce" &&
              evidence.problems.length === 0 &&
              Number.isFinite(daysLeft) &&
              daysLeft < horizon
            )
              warnings.push(
                `certificate: it expires on ${new Date(evidence.validTo).toISOString().slice(0, 10)}, within ${horizon} days (--cert-horizon); Full (strict) answers 526 from then on`,
              );
            if (evidence.problems.length > 0) {
              const detail = evidence.details.join("; ");
              const code = `CERT_${evidence.problems[0]?.toUpperCase().replaceAll("-", "_")}`;
              if (target.certificate === "enforce") {
                return result({
                  status: "fail",
                  predicts: "526",
                  phase: "certificate",
                  code,
                  message: describe("526", `${target.hostname}: ${detail}`),
                });
              }
              warnings.push(
                `certificate: ${detail}; Full does not validate it, Full (strict) would answer 526`,
              );
            }
          }
        }
      }

      const path = target.path ?? "/";
      const head = await httpHead(stream, {
        hostHeader: target.hostHeader,
        path,
        schemes: {
          origin: target.scheme,
          visitor: visitorUrl(target.hostname, target.sslMode, path).protocol === "http:" ? "http" : "https",
        },
        readTimeoutMs: settings.readTimeoutMs,
        maxHeaderBytes: settings.maxHeaderBytes,
      });
      progress.timings.http = head.ms;
      progress.bytesRead = raw.bytesRead;
      // TLS 1.3 servers refuse a missing client certificate after the client's side of the
      // handshake is done: the refusal arrives with the response; nginx answers 400 instead.
      if (!head.ok && demandsClientCertificate(head.code)) return clientCertificateDemand(head.code, "525");
      if (head.ok && demandsClientCertificate(null, head.status, head.bodyStart))
        return clientCertificateDemand(`HTTP ${head.status}`, null);
      if (!head.ok) {
        const predicts: PredictedError =
          head.code === "ETIMEDOUT" || head.code === "SLOW_HEADERS" ? "524" : "520";
        return result({
          status: "fail",
          predicts,
          phase: "http",
          code: head.code,
          message: describe(
            predicts,
            `${target.scheme}://${target.hostHeader} via ${address} port ${port}: ${head.message}`,
          ),
          ...(warnings.length > 0 ? { notes: warnings } : {}),
        });
      }
      const location = head.headers.get("location");
      const headers = keyHeaders(head.headers);
      const extra = {
        httpStatus: head.status,
        ...(location !== undefined ? { location } : {}),
        ...(headers !== undefined ? { headers } : {}),
      };
      if (
        target.scheme === "http" &&
        (target.sslMode === "flexible" || target.sslMode === "off") &&
        isRedirectLoop(head.status, location, target.hostname)
      ) {
        return result({
          status: "fail",
          predicts: "redirect-loop",
          phase: "http",
          code: "REDIRECT_TO_HTTPS",
          message: describe(
            "redirect-loop",
            `${target.hostname} answers HTTP ${head.status} to ${location} while the zone's SSL mode is ${target.sslMode}`,
          ),
          ...extra,
        });
      }
      // Redirects the visitor's browser follows back through Cloudflare to this origin (issue 12).
      const chain = await traceRedirects(
        target,
        address,
        port,
        { status: head.status, location, setCookies: head.setCookies },
        settings,
      );
      if (chain.kind === "loop") {
        return result({
          status: "fail",
          predicts: "redirect-loop",
          phase: "http",
          code: chain.code,
          message: describe("redirect-loop", `${target.hostname}: ${chain.detail}`),
          ...extra,
          notes: [...warnings, ...chain.hops],
        });
      }
      if (chain.kind === "unfinished") {
        return result({
          status: "unknown",
          predicts: null,
          phase: "http",
          code: "REDIRECT_NOT_FOLLOWED",
          message: `${target.hostname} answers HTTP ${head.status} to ${location}; whether its redirects end is unknown: ${chain.detail}`,
          ...extra,
          notes: [...warnings, ...chain.hops],
        });
      }
      const followed = chain.kind === "ends" ? chain.hops : [];
      if (warnings.length > 0) {
        return result({
          status: "warn",
          predicts: null,
          phase: "certificate",
          code: progress.certificate
            ? progress.certificate.problems[0] !== undefined
              ? `CERT_${progress.certificate.problems[0].toUpperCase().replaceAll("-", "_")}`
              : "CERT_EXPIRES_SOON"
            : null,
          message: `${target.hostname} answers HTTP ${head.status}, but ${warnings.join("; ")}`,
          notes: [...warnings, ...followed],
          ...extra,
        });
      }
      return result({
        status: "ok",
        predicts: null,
        phase: "http",
        code: null,
        message: `${target.scheme}://${target.hostHeader} via ${address} port ${port} answers HTTP ${head.status}${followed.length > 0 ? ` (its redirects end after ${followed.length - 1} on this origin: ${followed.at(-1)})` : ""}`,
        ...extra,
        ...(followed.length > 0 ? { notes: followed } : {}),
      });
    } finally {
      raw.destroy();
    }
  };
  return settings.work ? settings.work.run(afterConnect) : afterConnect();
}

/** Content-Type and Strict-Transport-Security, when present (what migration parity compares). */
function keyHeaders(headers: ReadonlyMap<string, string>): ResponseHeaders | undefined {
  const contentType = headers.get("content-type");
  const hsts = headers.get("strict-transport-security");
  if (contentType === undefined && hsts === undefined) return undefined;
  return {
    ...(contentType !== undefined ? { contentType } : {}),
    ...(hsts !== undefined ? { strictTransportSecurity: hsts } : {}),
  };
}
