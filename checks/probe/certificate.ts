import type { X509Certificate } from "node:crypto";
import type { PeerCertificate } from "node:tls";
import tls from "node:tls";
import type { CertificateEvidence, CertificateProblem } from "./result.js";

const MAX_CHAIN_DEPTH = 10;

function oneLine(distinguishedName: string): string {
  return distinguishedName.split("\n").filter(Boolean).join(", ");
}

function commonName(distinguishedName: string): string | undefined {
  for (const line of distinguishedName.split("\n")) {
    if (line.startsWith("CN=")) return line.slice(3);
  }
  return undefined;
}

/** SANs as a list: DNS names bare, other kinds with their prefix ("IP Address:127.0.0.1"). */
export function subjectAltNames(certificate: X509Certificate): string[] {
  const text = certificate.subjectAltName;
  if (!text) return [];
  return text.split(/,\s*/).map((entry) => (entry.startsWith("DNS:") ? entry.slice(4) : entry));
}

function isIssuedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.checkIssued(issuer) && child.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function isSelfSigned(certificate: X509Certificate): boolean {
  return isIssuedBy(certificate, certificate);
}

/** The name check node's own TLS uses (SAN DNS names, CN only when there are none). */
function nameMismatch(certificate: X509Certificate, hostname: string): string | undefined {
  const cn = commonName(certificate.subject);
  const peer = {
    subject: cn === undefined ? {} : { CN: cn },
    subjectaltname: certificate.subjectAltName ?? undefined,
  } as unknown as PeerCertificate;
  return tls.checkServerIdentity(hostname, peer)?.message;
}

interface AnchorIndex {
  readonly fingerprints: ReadonlySet<string>;
  readonly bySubject: ReadonlyMap<string, readonly X509Certificate[]>;
}

const indexes = new WeakMap<readonly X509Certificate[], AnchorIndex>();

/** Anchors by subject, so a chain is checked against the few roots that could have issued it. */
function anchorIndex(anchors: readonly X509Certificate[]): AnchorIndex {
  let index = indexes.get(anchors);
  if (index === undefined) {
    const bySubject = new Map<string, X509Certificate[]>();
    for (const anchor of anchors)
      bySubject.set(anchor.subject, [...(bySubject.get(anchor.subject) ?? []), anchor]);
    index = { fingerprints: new Set(anchors.map((a) => a.fingerprint256)), bySubject };
    indexes.set(anchors, index);
  }
  return index;
}

interface TrustPath {
  /** The leaf, the certificates it was issued through, and the anchor when one was reached. */
  readonly path: readonly X509Certificate[];
  readonly trusted: boolean;
  /** The leaf signed itself. */
  readonly selfSigned: boolean;
}

/**
 * The path of valid signatures from the leaf towards a trust anchor. It depends on the chain and
 * the anchors only, and the same origin presents the same chain to every probe of it, so each chain
 * is walked once (the signature checks are most of a probe's own work at a thousand probes).
 */
function trustPath(presented: readonly X509Certificate[], anchors: readonly X509Certificate[]): TrustPath {
  let walked = PATHS.get(anchors);
  if (walked === undefined) {
    walked = new Map();
    PATHS.set(anchors, walked);
  }
  const key = presented.map((c) => c.fingerprint256).join(" ");
  let found = walked.get(key);
  if (found === undefined) {
    found = walkPath(presented, anchors);
    if (walked.size >= PATHS_MAX) walked.clear();
    walked.set(key, found);
  }
  return found;
}

/** Paths walked, per set of anchors, by the fingerprints of the chain presented. */
const PATHS = new WeakMap<readonly X509Certificate[], Map<string, TrustPath>>();
const PATHS_MAX = 10_000;

function walkPath(presented: readonly X509Certificate[], anchors: readonly X509Certificate[]): TrustPath {
  const leaf = presented[0]!;
  const index = anchorIndex(anchors);
  const path: X509Certificate[] = [leaf];
  let trusted = false;
  let current = leaf;
  for (let depth = 0; depth < MAX_CHAIN_DEPTH; depth++) {
    if (index.fingerprints.has(current.fingerprint256)) {
      trusted = true;
      break;
    }
    const anchor = (index.bySubject.get(current.issuer) ?? []).find((a) => isIssuedBy(current, a));
    if (anchor !== undefined) {
      path.push(anchor);
      trusted = true;
      break;
    }
    if (isSelfSigned(current)) break;
    const next = presented.find((c) => c !== current && !path.includes(c) && isIssuedBy(current, c));
    if (next === undefined) break;
    path.push(next);
    current = next;
  }
  return { path, trusted, selfSigned: !trusted && path.length === 1 && isSelfSigned(leaf) };
}

/**
 * Judge an origin's certificate chain the way Full (strict) does: dates of every certificate in the
 * path, a path of valid signatures to a trust anchor, and the hostname in the SANs (or CN). Pure:
 * the chain, the anchors and "now" are given.
 */
export function assessCertificate(
  presented: readonly X509Certificate[],
  hostname: string,
  anchors: readonly X509Certificate[],
  now: Date,
): CertificateEvidence | undefined {
  const leaf = presented[0];
  if (leaf === undefined) return undefined;
  const problems = new Set<CertificateProblem>();
  const details: string[] = [];
  const { path, trusted, selfSigned } = trustPath(presented, anchors);

  for (const certificate of path) {
    const from = new Date(certificate.validFrom);
    const to = new Date(certificate.validTo);
    const who =
      certificate === leaf ? "the certificate" : `the chain certificate "${oneLine(certificate.subject)}"`;
    if (now.getTime() > to.getTime()) {
      problems.add("expired");
      details.push(`${who} expired on ${to.toISOString()}`);
    }
    if (now.getTime() < from.getTime()) {
      problems.add("not-yet-valid");
      details.push(`${who} is not valid before ${from.toISOString()}`);
    }
  }
  if (!trusted) {
    if (path.length === 1 && selfSigned) {
      problems.add("self-signed");
      details.push(`the certificate is self-signed ("${oneLine(leaf.subject)}")`);
    } else {
      problems.add("untrusted");
      const last = path[path.length - 1] ?? leaf;
      details.push(
        `the chain ends at "${oneLine(last.issuer)}", which is neither a public CA nor Cloudflare's Origin CA`,
      );
    }
  }
  const mismatch = nameMismatch(leaf, hostname);
  if (mismatch !== undefined) {
    problems.add("name-mismatch");
    details.push(mismatch);
  }

  return {
    subject: oneLine(leaf.subject),
    subjectAltNames: subjectAltNames(leaf),
    issuer: oneLine(leaf.issuer),
    validFrom: new Date(leaf.validFrom).toISOString(),
    validTo: new Date(leaf.validTo).toISOString(),
    fingerprint256: leaf.fingerprint256,
    chain: path.map((c) => oneLine(c.subject)),
    trusted,
    problems: [...problems],
    details,
  };
}
