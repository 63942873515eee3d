import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import tls from "node:tls";

/**
 * Cloudflare's Origin CA roots (ECC and RSA), bundled as data; valid until 2029-08-15 (checked
 * 2026-11-21). Full (strict) trusts origin certificates issued under them as well as public CAs.
 */
const ORIGIN_CA_CANDIDATES = [
  new URL("./data/cloudflare-origin-ca.pem", import.meta.url),
  // When running from the compiled `dist/checks/probe/`, the data stays in the source tree.
  new URL("../../../checks/probe/data/cloudflare-origin-ca.pem", import.meta.url),
];

/** Split a PEM bundle into its certificates (comments and blank lines between them are ignored). */
export function splitPem(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

export function parsePemBundle(pem: string): X509Certificate[] {
  return splitPem(pem).map((block) => new X509Certificate(block));
}

let originCa: X509Certificate[] | undefined;

/** Cloudflare's Origin CA roots from the bundled PEM. */
export function cloudflareOriginCaRoots(): X509Certificate[] {
  if (originCa === undefined) {
    let text: string | undefined;
    for (const candidate of ORIGIN_CA_CANDIDATES) {
      try {
        text = readFileSync(candidate, "utf8");
        break;
      } catch {
        // try the next location
      }
    }
    if (text === undefined) throw new Error("bundled checks/probe/data/cloudflare-origin-ca.pem is missing");
    originCa = parsePemBundle(text);
  }
  return originCa;
}

let publicRoots: X509Certificate[] | undefined;

/** Node's bundled public roots (Mozilla's store), the stand-in for the public CAs Cloudflare trusts. */
export function publicRootCertificates(): X509Certificate[] {
  publicRoots ??= tls.rootCertificates.map((pem) => new X509Certificate(pem));
  return publicRoots;
}

/** The anchors Full (strict) validates against: public roots, Cloudflare Origin CA, and extra CAs (tests). */
export function trustAnchors(extraCaPem?: string | readonly string[]): X509Certificate[] {
  const extras = extraCaPem === undefined ? [] : typeof extraCaPem === "string" ? [extraCaPem] : extraCaPem;
  return [...publicRootCertificates(), ...cloudflareOriginCaRoots(), ...extras.flatMap(parsePemBundle)];
}
