import type { X509Certificate } from "node:crypto";
import type net from "node:net";
import tls from "node:tls";
import { CLOUDFLARE_ORIGIN_CIPHER_STRING, CLOUDFLARE_ORIGIN_TLS_MIN_VERSION } from "./cloudflare-tls.js";
import { type PeerChains, peerChain } from "./peer-chains.js";

export type TlsHandshakeResult =
  | {
      readonly ok: true;
      readonly socket: tls.TLSSocket;
      readonly ms: number;
      readonly protocol: string | null;
      /** The certificates the origin presented, leaf first. */
      readonly chain: readonly X509Certificate[];
    }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly ms: number };

let sharedContext: tls.SecureContext | undefined;
const certificateContexts = new WeakMap<ClientCertificate, tls.SecureContext>();

/** A client certificate the probe presents when the origin asks for one (`--client-cert`). */
export interface ClientCertificate {
  readonly cert: string;
  readonly key: string;
}

/**
 * Cloudflare's offer to an origin: its protocol versions and cipher suites (see `cloudflare-tls.ts`).
 * It trusts no CA (`ca: []`, not Node's roots): OpenSSL verifies the chain against the context's
 * store in every handshake even when the result is ignored, as it is here (the certificate phase
 * judges the chain against its own anchors, once per chain), so an empty store spares each probe
 * that second chain walk and its signature checks.
 */
const CLOUDFLARE_OFFER: tls.SecureContextOptions = {
  minVersion: CLOUDFLARE_ORIGIN_TLS_MIN_VERSION,
  ciphers: CLOUDFLARE_ORIGIN_CIPHER_STRING,
  ca: [],
};

/** One client context for every probe: building one per connection costs more than the handshake. */
function clientContext(certificate?: ClientCertificate): tls.SecureContext {
  if (certificate) {
    let context = certificateContexts.get(certificate);
    if (!context) {
      context = tls.createSecureContext({
        ...CLOUDFLARE_OFFER,
        cert: certificate.cert,
        key: certificate.key,
      });
      certificateContexts.set(certificate, context);
    }
    return context;
  }
  sharedContext ??= tls.createSecureContext(CLOUDFLARE_OFFER);
  return sharedContext;
}

/**
 * A TLS handshake over a connected socket, with SNI, within `timeoutMs`. The certificate is not
 * judged here (`rejectUnauthorized: false`): the certificate phase validates it itself so it can
 * say precisely what is wrong. `chains`, when given, reads the chain once per endpoint and leaf.
 */
export function tlsHandshake(
  socket: net.Socket,
  servername: string,
  timeoutMs: number,
  clientCertificate?: ClientCertificate,
  chains?: PeerChains,
): Promise<TlsHandshakeResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const secure = tls.connect({
      socket,
      servername,
      secureContext: clientContext(clientCertificate),
      rejectUnauthorized: false,
      ALPNProtocols: ["http/1.1"],
    });
    let settled = false;
    const elapsed = (): number => Math.round(performance.now() - started);
    const finish = (result: TlsHandshakeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      secure.removeAllListeners("secureConnect");
      secure.removeAllListeners("error");
      secure.removeAllListeners("close");
      if (!result.ok) {
        secure.destroy();
        socket.destroy();
      } else secure.on("error", () => {});
      resolve(result);
    };
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          code: "ETIMEDOUT",
          message: `TLS handshake not finished within ${timeoutMs} ms`,
          ms: elapsed(),
        }),
      timeoutMs,
    );
    secure.once("secureConnect", () => {
      let chain: X509Certificate[];
      try {
        chain = chains
          ? chains.chainOf(secure, servername, clientCertificate !== undefined)
          : peerChain(secure);
      } catch (error) {
        finish({ ok: false, code: "ERR_BAD_CERTIFICATE", message: String(error), ms: elapsed() });
        return;
      }
      finish({ ok: true, socket: secure, ms: elapsed(), protocol: secure.getProtocol(), chain });
    });
    secure.once("error", (error: NodeJS.ErrnoException) =>
      finish({ ok: false, code: error.code ?? "ERR_TLS", message: error.message, ms: elapsed() }),
    );
    secure.once("close", () =>
      finish({
        ok: false,
        code: "ECONNRESET",
        message: "the origin closed the connection during the TLS handshake",
        ms: elapsed(),
      }),
    );
  });
}
