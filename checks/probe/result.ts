import type { Allowlist, Scheme } from "../model/origin.js";
import type { SslMode } from "../model/ssl-mode.js";

/**
 * How the origin's certificate is judged: `enforce` in Full (strict) (a problem predicts 526),
 * `warn` in Full (Cloudflare does not validate, a problem is a warning), `none` over plain HTTP.
 */
export type CertificateCheck = "enforce" | "warn" | "none";

/** Where Cloudflare would connect: a literal address, or a name resolved at probe time (a CNAME target). */
export type OriginAddress =
  | { readonly kind: "ip"; readonly address: string; readonly family: 4 | 6 }
  | { readonly kind: "name"; readonly name: string };

/** A `--connect-to` redirection applied by the plan: connect here instead. */
export interface ConnectOverride {
  /** Undefined when the mapping keeps the original host (a CNAME target is then still resolved). */
  readonly address: string | undefined;
  readonly port: number;
  /** The option as written, for evidence. */
  readonly spec: string;
}

/** One connection Cloudflare would make to an origin for a proxied hostname. */
export interface ProbeTarget {
  readonly zone: string;
  readonly hostname: string;
  /** The record that routes the hostname there (A, AAAA or CNAME). */
  readonly recordType: "A" | "AAAA" | "CNAME";
  readonly origin: OriginAddress;
  /** The origin port Cloudflare would use (SSL mode default or origin rule). */
  readonly port: number;
  readonly scheme: Scheme;
  readonly sslMode: SslMode | undefined;
  readonly sni: string;
  readonly hostHeader: string;
  /** The request path (default "/"). */
  readonly path?: string;
  readonly certificate: CertificateCheck;
  /** The declared origin that owns the address, when the stack declares one. */
  readonly originName?: string;
  readonly allowlist?: Allowlist;
  /** Set when a `--connect-to` mapping covers (hostname, port). */
  readonly connectTo?: ConnectOverride;
  /** Set when the plan already knows the target cannot be probed honestly (no packets are sent). */
  readonly unknownReason?: string;
  /** The result's code for `unknownReason` (default DOCUMENTATION_ADDRESS or UNRESOLVED). */
  readonly unknownCode?: string;
  /** Remarks from planning (e.g. an origin rule whose hosts could not be read). */
  readonly notes?: readonly string[];
  /** An IPv6 address beside an IPv4 one: Cloudflare prefers IPv4, so a failure here is not a 52x. */
  readonly fallback?: boolean;
  /** Authenticated Origin Pulls on the route: whether Cloudflare presents its client certificate. */
  readonly originPulls?: "on" | "off" | "n/a" | "unknown";
  /** What sends the hostname to a name origin: "a CNAME" or an origin rule's host override. */
  readonly nameVia?: string;
}

export type ProbeStatus = "ok" | "fail" | "warn" | "unknown";

/** The Cloudflare error a probe predicts. 530 with 1016 is written "1016". */
export type PredictedError =
  | "520"
  | "521"
  | "522"
  | "523"
  | "524"
  | "525"
  | "526"
  | "1014"
  | "1016"
  | "redirect-loop";

export type ProbePhase = "plan" | "dns" | "tcp" | "tls" | "certificate" | "http";

/** Milliseconds spent in each phase that ran. */
export interface PhaseTimings {
  dns?: number;
  tcp?: number;
  tls?: number;
  http?: number;
}

export type CertificateProblem =
  | "expired"
  | "not-yet-valid"
  | "self-signed"
  | "untrusted"
  | "name-mismatch"
  | "no-certificate";

export interface CertificateEvidence {
  readonly subject: string;
  readonly subjectAltNames: readonly string[];
  readonly issuer: string;
  readonly validFrom: string;
  readonly validTo: string;
  readonly fingerprint256: string;
  /** Subjects from leaf to the last certificate the chain reached. */
  readonly chain: readonly string[];
  /** Whether the chain ends at a trusted root (public roots, Cloudflare Origin CA, extra CAs). */
  readonly trusted: boolean;
  readonly problems: readonly CertificateProblem[];
  /** One line per problem, precise (dates, names). */
  readonly details: readonly string[];
}

/** The key response headers parity compares between an old and a new origin. */
export interface ResponseHeaders {
  readonly contentType?: string;
  readonly strictTransportSecurity?: string;
}

export interface ProbeResult {
  readonly target: ProbeTarget;
  readonly status: ProbeStatus;
  readonly predicts: PredictedError | null;
  /** The phase the result was decided in (the last phase reached). */
  readonly phase: ProbePhase;
  /** ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH, ERR_SSL_..., EMPTY_REPLY, HEADERS_TOO_LARGE, ... */
  readonly code: string | null;
  /** One line for people. */
  readonly message: string;
  /** Where the probe really connected (after DNS and `--connect-to`). */
  readonly address?: string;
  readonly port: number;
  /** The local address the connection used, when it got that far. */
  readonly localAddress?: string;
  readonly timings: PhaseTimings;
  readonly bytesRead: number;
  readonly httpStatus?: number;
  readonly location?: string;
  /** Response headers host migrations compare (issue 6), when the origin sent them. */
  readonly headers?: ResponseHeaders;
  readonly certificate?: CertificateEvidence;
  /** Set by `applyVantage` when an origin answered a vantage outside its allowlist. */
  readonly exposed?: boolean;
  /** Set by `applyVantage` when it turned a failure into "unknown": what the probe alone would say. */
  readonly withoutVantage?: { readonly status: ProbeStatus; readonly predicts: PredictedError | null };
  readonly notes?: readonly string[];
}

/** The address a target names, for display and subjects. */
export function targetAddress(target: ProbeTarget): string {
  return target.origin.kind === "ip" ? target.origin.address : target.origin.name;
}
