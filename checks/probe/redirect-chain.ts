import { BROWSER_MAX_REDIRECTS, redirectStep, visitorUrl } from "./classify.js";
import { type HttpHeadResult, httpHead } from "./http.js";
import type { AddressProbeSettings } from "./probe.js";
import type { ProbeTarget } from "./result.js";
import { connectTcp } from "./tcp.js";
import { tlsHandshake } from "./tls.js";

/**
 * Cloudflare passes an origin's redirects to the visitor, and the visitor's browser follows them
 * back through Cloudflare to the same origin: a redirect to the very URL asked for, or a chain that
 * comes back on itself or never ends, is what visitors get as ERR_TOO_MANY_REDIRECTS. This follows
 * a chain the way a browser would, as far as it stays on the probed hostname and on the connection
 * being probed (same address, port, scheme, SNI and Host), carrying the cookies the origin sets,
 * up to the browsers' limit, within one read timeout for the whole chain.
 */

export type RedirectTrace =
  /** The first response is not a redirect this connection serves the target of. */
  | { readonly kind: "none" }
  /** Followed, and it ends (a response that is not a redirect, or one to another host or connection). */
  | { readonly kind: "ends"; readonly hops: readonly string[] }
  /** Visitors are sent round for ever. */
  | {
      readonly kind: "loop";
      readonly code: "REDIRECT_TO_SELF" | "REDIRECT_CYCLE" | "TOO_MANY_REDIRECTS";
      readonly detail: string;
      readonly hops: readonly string[];
    }
  /** A hop could not be fetched, or the chain outlasted the read timeout: whether it ends is unknown. */
  | { readonly kind: "unfinished"; readonly detail: string; readonly hops: readonly string[] };

export interface FirstResponse {
  readonly status: number;
  readonly location: string | undefined;
  readonly setCookies: readonly string[];
}

/** Hops shown in a message; the evidence holds them all. */
const HOPS_IN_MESSAGE = 3;

export async function traceRedirects(
  target: ProbeTarget,
  address: string,
  port: number,
  first: FirstResponse,
  settings: AddressProbeSettings,
): Promise<RedirectTrace> {
  const started = performance.now();
  const start = visitorUrl(target.hostname, target.sslMode, target.path ?? "/");
  // A URL asked for again with the same cookies gets the same answer: that is the loop. With a
  // cookie set on the way (a cookie check), the next request differs and a browser goes on.
  const asked = (url: URL, cookie: string | undefined) => `${url.href}\u0000${cookie ?? ""}`;
  const seen = new Set([asked(start, undefined)]);
  const hops: string[] = [];
  const cookies = new Map<string, string>();
  let current = start;
  let sent: string | undefined;
  let response: FirstResponse = first;
  for (;;) {
    remember(cookies, response.setCookies);
    const cookie = cookieHeader(cookies);
    const step = redirectStep(current, response.status, response.location, target.hostname, target.sslMode);
    if (step.kind === "final") {
      return hops.length === 0
        ? { kind: "none" }
        : { kind: "ends", hops: [...hops, `HTTP ${response.status}`] };
    }
    const hop = `${response.status} ${current.href} -> ${step.url.href}`;
    if (step.kind === "leaves" || step.kind === "elsewhere") {
      if (hops.length === 0) return { kind: "none" };
      const where = step.kind === "leaves" ? "another host" : "another scheme or port";
      return { kind: "ends", hops: [...hops, `${hop} (${where}: not followed)`] };
    }
    hops.push(hop);
    if (step.kind === "self" && cookie === sent) {
      return {
        kind: "loop",
        code: "REDIRECT_TO_SELF",
        detail: `${current.href} answers HTTP ${response.status} with a redirect to itself`,
        hops,
      };
    }
    if (seen.has(asked(step.url, cookie))) {
      return {
        kind: "loop",
        code: "REDIRECT_CYCLE",
        detail: `the redirects come back to ${step.url.href} after ${hops.length}: ${summary(hops)}`,
        hops,
      };
    }
    if (hops.length > BROWSER_MAX_REDIRECTS) {
      return {
        kind: "loop",
        code: "TOO_MANY_REDIRECTS",
        detail: `more than ${BROWSER_MAX_REDIRECTS} redirects in a row, where browsers stop: ${summary(hops)}`,
        hops,
      };
    }
    seen.add(asked(step.url, cookie));
    const left = settings.readTimeoutMs - (performance.now() - started);
    if (left <= 0) {
      return {
        kind: "unfinished",
        detail: `the redirect chain did not end within the read timeout (${settings.readTimeoutMs} ms) after ${hops.length} redirect(s)`,
        hops,
      };
    }
    const next = await fetchHead(target, address, port, step.url, cookie, settings, left);
    if (!next.ok) {
      return {
        kind: "unfinished",
        detail: `following the redirect to ${step.url.href} failed (${next.code}: ${next.message})`,
        hops,
      };
    }
    current = step.url;
    sent = cookie;
    response = { status: next.status, location: next.headers.get("location"), setCookies: next.setCookies };
  }
}

function summary(hops: readonly string[]): string {
  if (hops.length <= HOPS_IN_MESSAGE) return hops.join("; ");
  return `${hops.slice(0, HOPS_IN_MESSAGE - 1).join("; ")}; ... ${hops.at(-1)}`;
}

/** One more request of the chain, on a connection of its own (Connection: close). */
async function fetchHead(
  target: ProbeTarget,
  address: string,
  port: number,
  url: URL,
  cookie: string | undefined,
  settings: AddressProbeSettings,
  budgetMs: number,
): Promise<HttpHeadResult> {
  const failed = (code: string, message: string): HttpHeadResult => ({
    ok: false,
    code,
    message,
    headerBytes: 0,
    ms: 0,
  });
  const tcp = await connectTcp(address, port, Math.min(settings.connectTimeoutMs, budgetMs));
  if (!tcp.ok) return failed(tcp.code, tcp.message);
  try {
    let stream = tcp.socket;
    if (target.scheme === "https") {
      // The certificate the first request presented (Authenticated Origin Pulls on, `--client-cert`):
      // an origin that demands one refuses every hop asked without it.
      const presented = target.originPulls === "on" ? settings.clientCertificate : undefined;
      const handshake = await tlsHandshake(
        tcp.socket,
        target.sni,
        Math.min(settings.tlsTimeoutMs, budgetMs),
        presented,
      );
      if (!handshake.ok) return failed(handshake.code, handshake.message);
      stream = handshake.socket;
    }
    return await httpHead(stream, {
      hostHeader: target.hostHeader,
      path: `${url.pathname}${url.search}`,
      schemes: { origin: target.scheme, visitor: url.protocol === "http:" ? "http" : "https" },
      ...(cookie !== undefined ? { cookie } : {}),
      readTimeoutMs: budgetMs,
      maxHeaderBytes: settings.maxHeaderBytes,
    });
  } finally {
    tcp.socket.destroy();
  }
}

/** Keep `name=value` of each Set-Cookie (a later one replaces an earlier one; an empty value or Max-Age=0 removes it). */
function remember(cookies: Map<string, string>, setCookies: readonly string[]): void {
  for (const header of setCookies) {
    const [pair = "", ...attributes] = header.split(";");
    const equals = pair.indexOf("=");
    if (equals <= 0) continue;
    const name = pair.slice(0, equals).trim();
    const value = pair.slice(equals + 1).trim();
    const expired = attributes.some((a) => /^\s*max-age\s*=\s*(0|-\d+)\s*$/i.test(a));
    if (value === "" || expired) cookies.delete(name);
    else cookies.set(name, value);
  }
}

function cookieHeader(cookies: ReadonlyMap<string, string>): string | undefined {
  if (cookies.size === 0) return undefined;
  return [...cookies].map(([name, value]) => `${name}=${value}`).join("; ");
}
