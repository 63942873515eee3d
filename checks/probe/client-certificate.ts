/**
 * An origin that demands a client certificate (Authenticated Origin Pulls set up on the origin):
 * how the probe recognises it, and what it means for visitors. With AOP on (Full or Full (strict))
 * Cloudflare presents its origin-pull certificate, which this probe does not hold; with AOP off, or
 * in Off and Flexible where AOP does not apply, Cloudflare presents none and visitors get an error
 * (developers.cloudflare.com/ssl/origin-configuration/authenticated-origin-pull, checked 2026-11-30).
 */

/** OpenSSL alerts a TLS client gets when the server wanted a certificate it did not get or accept. */
export const CLIENT_CERTIFICATE_ALERTS: ReadonlySet<string> = new Set([
  /** TLS 1.3 alert 116: the server requires a certificate and got none. */
  "ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED",
  /** Alerts 42, 46, 48, 49: a certificate was sent and refused. */
  "ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE",
  "ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN",
  "ERR_SSL_TLSV1_ALERT_UNKNOWN_CA",
  "ERR_SSL_TLSV1_ALERT_ACCESS_DENIED",
]);

/** nginx (`ssl_verify_client on`) answers 400 with these pages instead of failing the handshake. */
const NGINX_CLIENT_CERTIFICATE_PAGES = [
  /No required SSL certificate was sent/i,
  /The SSL certificate error/i,
];

/** Whether a failure or an answer shows the origin demands a client certificate. */
export function demandsClientCertificate(
  code: string | null,
  httpStatus?: number,
  bodyStart?: string,
): boolean {
  if (code !== null && CLIENT_CERTIFICATE_ALERTS.has(code)) return true;
  return (
    httpStatus === 400 &&
    bodyStart !== undefined &&
    NGINX_CLIENT_CERTIFICATE_PAGES.some((p) => p.test(bodyStart))
  );
}

export type ClientCertificateVerdict =
  | { readonly status: "unknown"; readonly why: string }
  | { readonly status: "fail"; readonly why: string };

/** What an origin's demand for a client certificate means for visitors, given the route's AOP. */
export function clientCertificateVerdict(
  originPulls: "on" | "off" | "n/a" | "unknown" | undefined,
  presented: boolean,
): ClientCertificateVerdict {
  if (originPulls === "on")
    return {
      status: "unknown",
      why: presented
        ? "the origin refused the certificate given with --client-cert; whether it accepts Cloudflare's origin-pull certificate is not known"
        : "the origin demands a client certificate; with Authenticated Origin Pulls on, Cloudflare presents its origin-pull certificate, which this probe does not hold (give --client-cert and --client-key to complete the check)",
    };
  if (originPulls === "off" || originPulls === "n/a")
    return {
      status: "fail",
      why:
        originPulls === "n/a"
          ? "the origin demands a client certificate, but in this SSL mode Cloudflare speaks plain HTTP and presents none"
          : "the origin demands a client certificate, and Authenticated Origin Pulls is off: Cloudflare presents none",
    };
  return {
    status: "unknown",
    why: "the origin demands a client certificate, and whether Authenticated Origin Pulls is on is not known",
  };
}
