/**
 * What Cloudflare offers an origin in its ClientHello, so the probe's handshake succeeds exactly
 * where Cloudflare's does: an origin Cloudflare reaches over TLS 1.0 must not be a 525, and one that
 * only accepts a suite Cloudflare does not offer (ChaCha20 over TLS 1.2, finite-field DHE, CBC with
 * SHA-256) must be one. Checked 2026-11-30 against developers.cloudflare.com
 * ssl/origin-configuration/cipher-suites ("cipher suites Cloudflare presents to origin servers").
 */

/** The lowest protocol version Cloudflare offers an origin: TLS 1.0 (up to TLS 1.3). Checked 2026-11-30. */
export const CLOUDFLARE_ORIGIN_TLS_MIN_VERSION = "TLSv1";

/**
 * The suites Cloudflare presents to origins, in its order of preference. TLS 1.3 suites by their
 * RFC 8446 names (Cloudflare lists them as AEAD-AES128-GCM-SHA256, ...); TLS 1.2 and lower by their
 * OpenSSL names. DES-CBC3-SHA (TLS 1.0 only) is listed by Cloudflare but absent from Node's OpenSSL
 * build: an origin that accepts nothing else is the one case the probe cannot reproduce.
 * Checked 2026-11-30.
 */
export const CLOUDFLARE_ORIGIN_CIPHER_SUITES = [
  "TLS_AES_128_GCM_SHA256",
  "TLS_AES_256_GCM_SHA384",
  "TLS_CHACHA20_POLY1305_SHA256",
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES128-SHA",
  "AES128-GCM-SHA256",
  "AES128-SHA",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-SHA384",
  "AES256-SHA",
  "DES-CBC3-SHA",
] as const;

/**
 * The OpenSSL cipher string for the probe's client context. Security level 0: OpenSSL 3 refuses
 * TLS 1.0 and 1.1 at any higher level, and Cloudflare's BoringSSL has no such levels. The
 * certificate is judged on its own afterwards (`assessCertificate`), not by the handshake.
 */
export const CLOUDFLARE_ORIGIN_CIPHER_STRING = `${CLOUDFLARE_ORIGIN_CIPHER_SUITES.join(":")}:@SECLEVEL=0`;
