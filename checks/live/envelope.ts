import { apiText } from "./api-text.js";

/**
 * The v4 envelope every JSON answer of the API comes in (`{ success, errors, messages, result,
 * result_info? }`), checked before the SDK sees it. The SDK unwraps `result` without looking at
 * `success`, so an HTTP 200 carrying an HTML page or `success: false` would otherwise read as an
 * empty result. Pure: the caller reads the body and names the endpoint.
 */

/** How many of Cloudflare's `errors[]` a message quotes. */
const QUOTED_ERRORS = 3;

export type EnvelopeCheck =
  | { readonly ok: true; readonly body: Record<string, unknown> }
  | { readonly ok: false; readonly problem: string };

/** Cloudflare's `errors[]` as `code: message; …` (bounded, see `apiText`), or "" when there are none. */
export function describeApiErrors(errors: unknown, token: string | undefined): string {
  if (!Array.isArray(errors)) return "";
  const parts = errors.slice(0, QUOTED_ERRORS).map((e) => {
    const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
    return [
      typeof code === "number" ? String(code) : undefined,
      typeof message === "string" ? apiText(message, token) : undefined,
    ]
      .filter((v) => v !== undefined)
      .join(": ");
  });
  const more = errors.length > QUOTED_ERRORS ? `; and ${errors.length - QUOTED_ERRORS} more` : "";
  const list = parts.filter(Boolean).join("; ");
  return list ? `${list}${more}` : "";
}

/** Whether a Content-Type names JSON (`application/json`, `application/problem+json`, ...). */
export function isJsonContentType(contentType: string | null): boolean {
  const media = contentType?.split(";")[0]?.trim().toLowerCase() ?? "";
  return media === "application/json" || media.endsWith("+json");
}

/** Where a JSON.parse error says the body went wrong, without quoting the body. */
function parseErrorPlace(error: unknown): string {
  const message = error instanceof Error ? error.message : "";
  if (/unexpected end/i.test(message)) return "it ends too early";
  const position = /at position (\d+)/.exec(message);
  return position ? `at byte ${position[1]}` : "";
}

/**
 * Check a successful (2xx) answer: a JSON content type, a JSON object body, `success === true` and
 * a `result` that is present. The problem names what was wrong without quoting the body (only
 * Cloudflare's own `errors[]`, which the caller scrubs).
 */
export function checkEnvelope(
  status: number,
  contentType: string | null,
  text: string,
  token: string | undefined,
): EnvelopeCheck {
  // Only a problem quotes the size: measuring every page of a large read costs a pass over its text.
  const size = () => `HTTP ${status}, ${Buffer.byteLength(text)} bytes`;
  if (!isJsonContentType(contentType)) {
    const got = contentType ? `"${apiText(contentType, token, 80)}"` : "no content type";
    return { ok: false, problem: `expected a JSON answer (application/json), got ${got} (${size()})` };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    const place = parseErrorPlace(error);
    return { ok: false, problem: `the body is not valid JSON${place ? ` (${place})` : ""} (${size()})` };
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    const kind = body === null ? "null" : Array.isArray(body) ? "an array" : `a ${typeof body}`;
    return { ok: false, problem: `expected the API's JSON envelope (an object), got ${kind} (${size()})` };
  }
  const envelope = body as Record<string, unknown>;
  if (envelope.success !== true) {
    const errors = describeApiErrors(envelope.errors, token);
    const said =
      envelope.success === false
        ? `success is false although the HTTP status is ${status}`
        : `"success" is ${envelope.success === undefined ? "missing" : `not true (${typeof envelope.success})`}`;
    return { ok: false, problem: `${said}${errors ? ` (Cloudflare: ${errors})` : ""}` };
  }
  if (envelope.result === undefined || envelope.result === null) {
    return {
      ok: false,
      problem: `"result" is ${envelope.result === null ? "null" : "missing"} although success is true`,
    };
  }
  return { ok: true, body: envelope };
}
