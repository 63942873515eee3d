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

/** What a chain says for a hostname whatever the date: everything but the validity checks. */
interface ChainVerdict {
  /** Each certificate of the path: its validity and how a message names it. */
  readonly dated: readonly { readonly from: number; readonly to: number; readonly who: string }[];
  readonly trusted: boolean;
  /** The trust problem and its detail, when the path reaches no anchor. */
  readonly untrusted?: { readonly problem: CertificateProblem; readonly detail: string };
  readonly mismatch: string | undefined;
  /** The evidence fields that depend on the chain alone. */
  readonly evidence: Omit<CertificateEvidence, "problems" | "details">;
}

/**
 * Verdicts by presented chain and hostname. A run reuses the chain objects an endpoint presented
 * (`PeerChains`), so each is judged once per name; only the dates are checked at every probe.
 */
const VERDICTS = new WeakMap<
  readonly X509Certificate[],
  Map<string, { readonly anchors: readonly X509Certificate[]; readonly verdict: ChainVerdict }>
>();

function chainVerdict(
  presented: readonly X509Certificate[],
  leaf: X509Certificate,
  hostname: string,
  anchors: readonly X509Certificate[],
): ChainVerdict {
  let byName = VERDICTS.get(presented);
  if (byName === undefined) {
    byName = new Map();
    VERDICTS.set(presented, byName);
  }
  const known = byName.get(hostname);
  // A verdict holds for the anchors it was reached with.
  if (known !== undefined && known.anchors === anchors) return known.verdict;
  const { path, trusted, selfSigned } = trustPath(presented, anchors);
  const dated = path.map((certificate) => ({
    from: new Date(certificate.validFrom).getTime(),
    to: new Date(certificate.validTo).getTime(),
    who: certificate === leaf ? "the certificate" : `the chain certificate "${oneLine(certificate.subject)}"`,
  }));
  let untrusted: ChainVerdict["untrusted"];
  if (!trusted) {
    if (path.length === 1 && selfSigned) {
      untrusted = {
        problem: "self-signed",
        detail: `the certificate is self-signed ("${oneLine(leaf.subject)}")`,
      };
    } else {
      const last = path[path.length - 1] ?? leaf;
      untrusted = {
        problem: "untrusted",
        detail: `the chain ends at "${oneLine(last.issuer)}", which is neither a public CA nor Cloudflare's Origin CA`,
      };
    }
  }
  const verdict: ChainVerdict = {
    dated,
    trusted,
    ...(untrusted ? { untrusted } : {}),
    mismatch: nameMismatch(leaf, hostname),
    evidence: {
      subject: oneLine(leaf.subject),
      subjectAltNames: subjectAltNames(leaf),
      issuer: oneLine(leaf.issuer),
      validFrom: new Date(leaf.validFrom).toISOString(),
      validTo: new Date(leaf.validTo).toISOString(),
      fingerprint256: leaf.fingerprint256,
      chain: path.map((c) => oneLine(c.subject)),
      trusted,
    },
  };
  byName.set(hostname, { anchors, verdict });
  return verdict;
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
  const verdict = chainVerdict(presented, leaf, hostname, anchors);
  const problems = new Set<CertificateProblem>();
  const details: string[] = [];
  const time = now.getTime();
  for (const { from, to, who } of verdict.dated) {
    if (time > to) {
      problems.add("expired");
      details.push(`${who} expired on ${new Date(to).toISOString()}`);
    }
    if (time < from) {
      problems.add("not-yet-valid");
      details.push(`${who} is not valid before ${new Date(from).toISOString()}`);
    }
  }
  if (verdict.untrusted !== undefined) {
    problems.add(verdict.untrusted.problem);
    details.push(verdict.untrusted.detail);
  }
  if (verdict.mismatch !== undefined) {
    problems.add("name-mismatch");
    details.push(verdict.mismatch);
  }
  return {
    ...verdict.evidence,
    subjectAltNames: [...verdict.evidence.subjectAltNames],
    chain: [...verdict.evidence.chain],
    problems: [...problems],
    details,
  };
}
