import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { failure } from "./envelope.js";
import { type Faults, faultSchema } from "./faults.js";
import { CF_ERROR } from "./limits.js";
import { type Answer, route } from "./routes.js";
import type { EmulatorState } from "./state.js";

/** The API's path prefix: the SDK's base URL ends with it. */
export const API_PREFIX = "/client/v4";
/** Test controls; not part of the v4 API. */
export const ADMIN_PREFIX = "/__emulator";

export interface RequestLogEntry {
  readonly method: string;
  /** Path without the `/client/v4` prefix. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly status: number;
  /** When the request arrived (epoch milliseconds): tests hold a paced read to its pace with it. */
  readonly at: number;
}

export interface ServerParts {
  readonly state: EmulatorState;
  readonly faults: Faults;
  readonly log: RequestLogEntry[];
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function write(res: ServerResponse, data: string): Promise<void> {
  if (!res.write(data)) {
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off("drain", done);
        res.off("close", done);
        resolve();
      };
      res.on("drain", done);
      res.on("close", done);
    });
  }
}

/** Cut the connection once what was written has reached the socket (headers and part of a body). */
async function cut(res: ServerResponse): Promise<void> {
  await new Promise<void>((resolve) => res.write("", () => resolve()));
  res.destroy();
}

/** Send an answer; with `truncate`, send the headers and half the body, then cut the connection. */
async function send(
  res: ServerResponse,
  answer: Answer,
  truncate: boolean,
  extraHeaders: Record<string, string> = {},
) {
  const contentType =
    answer.kind === "text" ? "text/plain; charset=utf-8" : "application/json; charset=utf-8";
  if (answer.kind === "pieces") {
    res.writeHead(answer.status, { "content-type": contentType, ...extraHeaders });
    const sent = truncate ? Math.max(1, Math.floor(answer.pieces.length / 2)) : answer.pieces.length;
    for (let i = 0; i < sent; i++) {
      const piece = answer.pieces[i]!;
      await write(res, truncate && answer.pieces.length === 1 ? piece.slice(0, piece.length >> 1) : piece);
    }
    if (truncate) await cut(res);
    else res.end();
    return;
  }
  const body = answer.kind === "text" ? answer.body : JSON.stringify(answer.body);
  const bytes = Buffer.from(body, "utf8");
  res.writeHead(answer.status, {
    "content-type": contentType,
    "content-length": String(bytes.length),
    ...extraHeaders,
  });
  if (truncate) {
    res.write(bytes.subarray(0, bytes.length >> 1));
    await cut(res);
  } else {
    res.end(bytes);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(text);
}

async function admin(
  parts: ServerParts,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const sub = path.slice(ADMIN_PREFIX.length);
  if (sub === "/requests" && req.method === "GET") return sendJson(res, 200, parts.log);
  if (sub === "/requests" && req.method === "DELETE") {
    parts.log.length = 0;
    return sendJson(res, 200, { ok: true });
  }
  if (sub === "/faults" && req.method === "GET") return sendJson(res, 200, parts.faults.active());
  if (sub === "/faults" && req.method === "DELETE") {
    parts.faults.clear();
    return sendJson(res, 200, { ok: true });
  }
  if (sub === "/faults" && req.method === "POST") {
    const parsed = faultSchema.safeParse(await readBody(req));
    if (!parsed.success) return sendJson(res, 400, { ok: false, error: parsed.error.issues[0]?.message });
    parts.faults.add(parsed.data);
    return sendJson(res, 200, { ok: true });
  }
  if (sub === "/health") return sendJson(res, 200, { ok: true });
  return sendJson(res, 404, { ok: false, error: "unknown emulator control" });
}

async function handle(parts: ServerParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://emulator.invalid");
  if (url.pathname.startsWith(`${ADMIN_PREFIX}/`)) return admin(parts, req, res, url.pathname);
  const method = (req.method ?? "GET").toUpperCase();
  const path = url.pathname.startsWith(API_PREFIX)
    ? url.pathname.slice(API_PREFIX.length) || "/"
    : url.pathname;
  const entry = { method, path, query: Object.fromEntries(url.searchParams), status: 0, at: Date.now() };
  parts.log.push(entry);
  const body = method === "GET" || method === "HEAD" ? undefined : await readBody(req);

  const delay = parts.faults.takeLatency(method, path);
  if (delay > 0) await sleep(delay);

  let answer: Answer;
  let headers: Record<string, string> = {};
  const injected = parts.faults.takeFailure(method, path);
  const replaced = injected ? undefined : parts.faults.takeAnswer(method, path);
  if (!url.pathname.startsWith(API_PREFIX)) {
    answer = {
      kind: "json",
      status: 404,
      body: failure([{ code: CF_ERROR.noRoute, message: "No route for that URI" }]),
    };
  } else if (injected?.status === 429) {
    answer = {
      kind: "json",
      status: 429,
      body: failure([
        { code: CF_ERROR.rateLimited, message: "Please wait and consider throttling your request speed" },
      ]),
    };
    headers = { "retry-after": String(injected.retryAfterSeconds) };
  } else if (injected) {
    answer = {
      kind: "json",
      status: injected.status,
      body: failure([{ code: CF_ERROR.emulatedServerError, message: "Internal Server Error (emulated)" }]),
    };
  } else if (replaced) {
    answer = { kind: "json", status: replaced.status, body: replaced.body };
  } else {
    answer = route(
      { state: parts.state, faults: parts.faults, request: { method, path, query: url.searchParams, body } },
      req.headers.authorization,
    );
  }
  entry.status = answer.status;
  await send(res, answer, parts.faults.takeTruncate(method, path), headers);
}

export function createEmulatorServer(parts: ServerParts): Server {
  return createServer((req, res) => {
    handle(parts, req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        sendJson(res, 500, failure([{ code: CF_ERROR.emulatedServerError, message: String(error) }]));
      } else {
        res.destroy();
      }
    });
  });
}

export async function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}
