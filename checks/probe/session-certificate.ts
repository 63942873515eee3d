/**
 * The peer's leaf certificate (DER) inside an OpenSSL session as `TLSSocket.getSession()` gives it:
 * the `SSL_SESSION` ASN.1 structure (OpenSSL's ssl/ssl_asn1.c, stable since 1.0), a SEQUENCE whose
 * field `[3] EXPLICIT Certificate` is the peer's certificate exactly as it arrived. Reading it costs
 * a walk of a few DER headers; `getPeerX509Certificate()` instead parses every certificate of the
 * chain again, a third of a millisecond each under Node 20's OpenSSL 3.0 (its key decoders are slow).
 * Pure: anything unexpected gives `undefined`, and the caller reads the chain the slow way.
 */

const SEQUENCE = 0x30;
/** Context-specific, constructed, tag 3: the session's `peer` field. */
const PEER_FIELD = 0xa3;

interface Element {
  readonly tag: number;
  /** Where the contents start and end. */
  readonly start: number;
  readonly end: number;
}

/** The DER element at `at`, or undefined if it does not fit in `der` (definite lengths only). */
function element(der: Uint8Array, at: number, limit: number): Element | undefined {
  if (at + 2 > limit) return undefined;
  const tag = der[at]!;
  let length = der[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    // Indefinite lengths are not DER; four length bytes are more than any session holds.
    if (bytes === 0 || bytes > 4 || start + bytes > limit) return undefined;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[start + i]!;
    start += bytes;
  }
  const end = start + length;
  return end > limit ? undefined : { tag, start, end };
}

/** The peer certificate's DER in a serialized OpenSSL session, if the session holds one. */
export function sessionPeerCertificate(session: Uint8Array | undefined): Uint8Array | undefined {
  if (session === undefined) return undefined;
  const outer = element(session, 0, session.length);
  if (outer === undefined || outer.tag !== SEQUENCE) return undefined;
  let at = outer.start;
  while (at < outer.end) {
    const field = element(session, at, outer.end);
    if (field === undefined) return undefined;
    if (field.tag === PEER_FIELD) {
      const certificate = element(session, field.start, field.end);
      if (certificate === undefined || certificate.tag !== SEQUENCE || certificate.end !== field.end)
        return undefined;
      return session.subarray(field.start, field.end);
    }
    at = field.end;
  }
  return undefined;
}
