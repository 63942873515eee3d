import type net from "node:net";

export interface HttpHeadOptions {
  readonly hostHeader: string;
  readonly path: string;
  /** How Cloudflare reaches the origin (`X-Forwarded-Proto`) and how the visitor reached Cloudflare (`CF-Visitor`). */
  readonly schemes: RequestSchemes;
  /** A `Cookie` header value (cookies set earlier in a redirect chain), if any. */
  readonly cookie?: string;
  /** No complete response headers within this many ms after the request: 524. */
  readonly readTimeoutMs: number;
  /** Response headers larger than this: 520. */
  readonly maxHeaderBytes: number;
}

export type HttpHeadResult =
  | {
      readonly ok: true;
      readonly status: number;
      readonly headers: ReadonlyMap<string, string>;
      /** Every `Set-Cookie` header, in order (`headers` keeps only the first of each name). */
      readonly setCookies: readonly string[];
      readonly headerBytes: number;
      readonly ms: number;
      /** The start of the body, as far as it arrived with the headers (at most 512 bytes, latin1). */
      readonly bodyStart: string;
    }
  | {
      readonly ok: false;
      /** ETIMEDOUT (nothing), SLOW_HEADERS (some bytes, never complete), EMPTY_REPLY, ECONNRESET, HEADERS_TOO_LARGE, BAD_STATUS_LINE, TRUNCATED_HEADERS. */
      readonly code: string;
      readonly message: string;
      readonly headerBytes: number;
      readonly ms: number;
    };

const HEADER_END = Buffer.from("\r\n\r\n");
const STATUS_LINE = /^HTTP\/\d(?:\.\d)? (\d{3})(?: |$)/;

export interface RequestSchemes {
  /** The scheme Cloudflare uses towards the origin. */
  readonly origin: "http" | "https";
  /** The scheme the visitor used towards Cloudflare. */
  readonly visitor: "http" | "https";
}

/**
 * Whether a Host header (or SNI) value can be sent as it is: visible ASCII, no space, no control
 * character. A value from the input or the live API holding CR or LF would otherwise write headers,
 * or a second request, of its own to the origin.
 */
export function isSendableHost(value: string): boolean {
  return /^[\x21-\x7e]+$/.test(value);
}

/**
 * The request Cloudflare would send, written by hand so the Host header is exactly the hostname.
 * Cloudflare adds `X-Forwarded-Proto` (the protocol it uses to connect to the origin: `http` under
 * Flexible) and `CF-Visitor` (a JSON object whose `scheme` is the visitor's): an origin that
 * redirects on them answers the probe as it would answer Cloudflare. Checked 2026-11-30
 * (fundamentals/reference/http-request-headers).
 */
export function requestText(
  hostHeader: string,
  path: string,
  schemes: RequestSchemes,
  cookie?: string,
): string {
  return (
    `GET ${path} HTTP/1.1\r\nHost: ${hostHeader}\r\nUser-Agent: cf-preflight-probe\r\n` +
    "Accept: */*\r\nAccept-Encoding: identity\r\n" +
    `X-Forwarded-Proto: ${schemes.origin}\r\nCF-Visitor: {"scheme":"${schemes.visitor}"}\r\n` +
    (cookie ? `Cookie: ${cookie}\r\n` : "") +
    "Connection: close\r\n\r\n"
  );
}

interface ParsedHead {
  readonly status: number;
  readonly headers: Map<string, string>;
  readonly setCookies: string[];
}

function parseHead(text: string): ParsedHead | undefined {
  const lines = text.split("\r\n");
  const match = STATUS_LINE.exec(lines[0] ?? "");
  if (!match) return undefined;
  const headers = new Map<string, string>();
  const setCookies: string[] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === "set-cookie") setCookies.push(value);
    if (!headers.has(name)) headers.set(name, value);
  }
  return { status: Number(match[1]), headers, setCookies };
}

/**
 * Send one HTTP/1.1 GET and read only the status line and headers (at most `maxHeaderBytes`, at
 * most `readTimeoutMs`), then close: a huge body, endless headers or a dribbling origin cannot
 * hold the probe or its memory. Interim 1xx responses are skipped.
 */
export function httpHead(socket: net.Socket, options: HttpHeadOptions): Promise<HttpHeadResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    // A growable buffer: appending a dribble of tiny chunks stays linear, and the search for the end
    // of the headers resumes where it stopped.
    let store = Buffer.allocUnsafe(4096);
    let length = 0;
    let searchFrom = 0;
    let buffer = store.subarray(0, 0);
    let consumed = 0;
    let settled = false;
    const elapsed = (): number => Math.round(performance.now() - started);
    const finish = (result: HttpHeadResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners("data");
      socket.removeAllListeners("end");
      socket.removeAllListeners("close");
      socket.on("error", () => {});
      socket.destroy();
      resolve(result);
    };
    const fail = (code: string, message: string): void =>
      finish({ ok: false, code, message, headerBytes: consumed + buffer.length, ms: elapsed() });

    const timer = setTimeout(() => {
      if (consumed + buffer.length === 0) {
        fail("ETIMEDOUT", `no response within ${options.readTimeoutMs} ms`);
      } else {
        fail(
          "SLOW_HEADERS",
          `response headers not complete within ${options.readTimeoutMs} ms (${consumed + buffer.length} bytes received)`,
        );
      }
    }, options.readTimeoutMs);

    socket.on("data", (chunk: Buffer) => {
      if (length + chunk.length > store.length) {
        const grown = Buffer.allocUnsafe(Math.max(store.length * 2, length + chunk.length));
        store.copy(grown, 0, 0, length);
        store = grown;
      }
      chunk.copy(store, length);
      length += chunk.length;
      buffer = store.subarray(0, length);
      for (;;) {
        const end = buffer.indexOf(HEADER_END, searchFrom);
        searchFrom = Math.max(0, buffer.length - (HEADER_END.length - 1));
        const limit = options.maxHeaderBytes - consumed;
        if (end === -1 || end + HEADER_END.length > limit) {
          if (buffer.length > limit) {
            fail("HEADERS_TOO_LARGE", `response headers exceed ${options.maxHeaderBytes} bytes`);
          }
          return;
        }
        const head = parseHead(buffer.subarray(0, end).toString("latin1"));
        if (head === undefined) {
          const first = buffer.subarray(0, Math.min(end, 80)).toString("latin1").split("\r\n")[0];
          fail(
            "BAD_STATUS_LINE",
            `the origin did not answer with an HTTP/1.x status line (got ${JSON.stringify(first)})`,
          );
          return;
        }
        consumed += end + HEADER_END.length;
        store = Buffer.from(buffer.subarray(end + HEADER_END.length));
        length = store.length;
        buffer = store.subarray(0, length);
        searchFrom = 0;
        if (store.length === 0) store = Buffer.allocUnsafe(4096);
        if (head.status >= 100 && head.status < 200 && head.status !== 101) continue;
        finish({
          ok: true,
          status: head.status,
          headers: head.headers,
          setCookies: head.setCookies,
          headerBytes: consumed,
          ms: elapsed(),
          bodyStart: buffer.subarray(0, 512).toString("latin1"),
        });
        return;
      }
    });
    socket.once("end", () => {
      if (consumed + buffer.length === 0)
        fail("EMPTY_REPLY", "the origin closed the connection without a response");
      else
        fail("TRUNCATED_HEADERS", "the origin closed the connection in the middle of the response headers");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => fail(error.code ?? "ERR_SOCKET", error.message));
    socket.once("close", () => fail("ECONNRESET", "the connection closed before a response"));
    socket.write(requestText(options.hostHeader, options.path, options.schemes, options.cookie));
  });
}
