import type { X509Certificate } from "node:crypto";
import type tls from "node:tls";
import { sessionPeerCertificate } from "./session-certificate.js";

/**
 * The certificates an origin presented, leaf first, each once, as OpenSSL received them. The leaf's
 * `issuerCertificate` links come from the certificates the origin sent; walking them costs no
 * further parsing (unlike `getPeerCertificate(true)`).
 */
export function peerChain(socket: tls.TLSSocket): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let current: X509Certificate | undefined = socket.getPeerX509Certificate();
  while (current !== undefined && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(current);
    current = current.issuerCertificate;
  }
  return chain;
}

/** Leaves remembered per run before the memory starts over (a few KB each). */
const MAX_REMEMBERED = 10_000;

/**
 * The chains presented during one run of probes, so that a chain is parsed once per origin
 * endpoint rather than once per probe: `getPeerX509Certificate()` parses each certificate of the
 * chain again (a third of a millisecond each under Node 20's OpenSSL 3.0), a quarter of a healthy
 * probe's CPU at a thousand probes.
 *
 * Every connection is still judged on what it received: its leaf is read byte for byte from the
 * connection's own session, and a chain is reused only for the same leaf from the same address,
 * port and SNI (with or without a client certificate presented). The intermediates an endpoint
 * sends with a given leaf for a given name are its configuration, not something that changes per
 * connection; a different leaf (a renewal, another certificate for another name) is parsed anew.
 */
export class PeerChains {
  private readonly byEndpoint = new Map<string, Map<string, X509Certificate[]>>();
  private remembered = 0;

  chainOf(socket: tls.TLSSocket, servername: string, presentedClientCertificate: boolean): X509Certificate[] {
    const leaf = sessionPeerCertificate(socket.getSession());
    if (leaf === undefined) return peerChain(socket);
    const endpoint = `${socket.remoteAddress} ${socket.remotePort} ${servername} ${presentedClientCertificate ? "client-certificate" : "-"}`;
    let chains = this.byEndpoint.get(endpoint);
    if (chains === undefined) {
      chains = new Map();
      this.byEndpoint.set(endpoint, chains);
    }
    const bytes = Buffer.from(leaf.buffer, leaf.byteOffset, leaf.byteLength);
    const key = bytes.toString("latin1");
    let chain = chains.get(key);
    if (chain === undefined) {
      chain = peerChain(socket);
      // Only a chain whose leaf is the session's own is remembered under it.
      if (chain[0] !== undefined && bytes.equals(chain[0].raw)) {
        if (this.remembered >= MAX_REMEMBERED) {
          for (const forgotten of this.byEndpoint.values()) forgotten.clear();
          this.byEndpoint.clear();
          this.byEndpoint.set(endpoint, chains);
          this.remembered = 0;
        }
        chains.set(key, chain);
        this.remembered++;
      }
    }
    return chain;
  }
}
