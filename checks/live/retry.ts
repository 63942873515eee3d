import { setTimeout as sleep } from "node:timers/promises";
import { APIConnectionError, APIError } from "cloudflare/core/error";
import { InterruptedError, VerifyError } from "../errors.js";
import { ApiAnswerError, answerErrorOf, IncompleteAnswerError } from "./answer-error.js";
import { describeApiErrors } from "./envelope.js";
import { PERMISSION_FOR, type ReadKind } from "./limits.js";
import type { RequestLedger } from "./read-plan.js";
import type { ReadRun } from "./read-run.js";
import { scrubSecret } from "./scrub.js";

/** What a run may spend on one read, and the secret to keep out of every message. */
export interface ReadPolicy {
  /** The read's one deadline and its interruption; every request and wait listens to its signal. */
  readonly run: ReadRun;
  readonly maxRetries: number;
  readonly backoffMs: number;
  readonly token: string;
  readonly onProgress?: (message: string) => void;
  /** What the read expects to send; each read announces the requests it learns it needs. */
  readonly ledger?: RequestLedger;
}

/** What is being read, for messages. */
export interface ReadTarget {
  readonly kind: ReadKind;
  /** e.g. `DNS records of zone example.com`. */
  readonly what: string;
  /** The path read, below the base URL and without the query, e.g. `/zones/abc/dns_records`. */
  readonly endpoint: string;
}

/** ` (GET /zones/abc/dns_records)`: where a message about a read says it failed. */
function at(target: ReadTarget): string {
  return ` (GET ${target.endpoint})`;
}

export function verifyError(policy: Pick<ReadPolicy, "token">, message: string, hint?: string): VerifyError {
  return new VerifyError(
    scrubSecret(message, policy.token),
    hint === undefined ? undefined : scrubSecret(hint, policy.token),
  );
}

function cloudflareErrors(error: APIError, policy: Pick<ReadPolicy, "token">): string {
  const list = describeApiErrors(error.errors, policy.token);
  return list ? ` (Cloudflare: ${list})` : "";
}

/** `Retry-After` in milliseconds (seconds or an HTTP date), or undefined. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const raw = headers?.get("retry-after");
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function permissionMessage(
  target: ReadTarget,
  status: 401 | 403,
  httpStatus: number,
): { message: string; hint: string } {
  const permission = PERMISSION_FOR[target.kind];
  const needs = permission ? `"${permission}"` : "a valid token";
  if (status === 401) {
    return {
      message: `Cloudflare did not accept the API token (HTTP ${httpStatus}) while reading ${target.what}${at(target)}: it is invalid, expired, or lacks ${needs}`,
      hint: `Check CLOUDFLARE_API_TOKEN; the token needs ${needs}${permission ? " on this zone or account" : ""}.`,
    };
  }
  return {
    message: `the API token is not allowed to read ${target.what}${at(target)} (HTTP 403): it likely lacks the ${needs} permission`,
    hint: `Add ${needs} to the token's permissions (Cloudflare dashboard, My Profile, API Tokens).`,
  };
}

/**
 * Error codes Cloudflare uses for a refused credential even when the HTTP status is 400 (checked
 * 2026-11-21): 6003/6111 malformed Authorization header, 9106 "Authentication failed" or missing
 * headers, 9109 "Unauthorized to access requested resource", 10000 "Authentication error".
 */
export const AUTH_ERROR_CODES: ReadonlySet<number> = new Set([6003, 6111, 9106, 9109, 10000]);

/** 401, 403, or 400 carrying an authentication error code: the status to report, or undefined. */
export function authFailureStatus(
  status: number,
  errors: readonly { readonly code?: number | undefined }[],
): 401 | 403 | undefined {
  if (status === 401 || status === 403) return status;
  if (status === 400 && errors.some((e) => e.code !== undefined && AUTH_ERROR_CODES.has(e.code))) return 401;
  return undefined;
}

type Verdict =
  | { readonly retry: "rate-limit"; readonly waitMs: number | undefined; readonly reason: string }
  | { readonly retry: "transient"; readonly reason: string }
  | { readonly retry: "no"; readonly error: VerifyError | InterruptedError };

function classify(error: unknown, target: ReadTarget, policy: ReadPolicy): Verdict {
  if (error instanceof VerifyError || error instanceof InterruptedError) return { retry: "no", error };
  // What the reader's own `fetch` refused, however the SDK wrapped it.
  const answer = answerErrorOf(error);
  if (answer instanceof ApiAnswerError) {
    return { retry: "no", error: verifyError(policy, `could not read ${target.what}: ${answer.message}`) };
  }
  if (answer instanceof IncompleteAnswerError) {
    return { retry: "transient", reason: `incomplete or malformed response (${answer.problem})` };
  }
  if (error instanceof APIConnectionError) {
    const cause = (error as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? `: ${cause.message}` : "";
    return { retry: "transient", reason: `${error.message}${detail}` };
  }
  if (error instanceof APIError && typeof error.status === "number") {
    const status = error.status;
    const auth = authFailureStatus(status, error.errors);
    if (auth !== undefined) {
      const { message, hint } = permissionMessage(target, auth, status);
      return {
        retry: "no",
        error: verifyError(policy, `${message}${cloudflareErrors(error, policy)}`, hint),
      };
    }
    if (status === 429) {
      return {
        retry: "rate-limit",
        waitMs: retryAfterMs(error.headers),
        reason: `HTTP 429${cloudflareErrors(error, policy)}`,
      };
    }
    if (status === 408 || status === 409 || status >= 500) {
      return { retry: "transient", reason: `HTTP ${status}${cloudflareErrors(error, policy)}` };
    }
    return {
      retry: "no",
      error: verifyError(
        policy,
        `Cloudflare refused to return ${target.what}${at(target)} (HTTP ${status})${cloudflareErrors(error, policy)}`,
      ),
    };
  }
  // Nothing the API or the network can cause reaches here (the boundary classifies those): a bug.
  const message = error instanceof Error ? error.message : String(error);
  return {
    retry: "no",
    error: verifyError(
      policy,
      `could not read ${target.what}${at(target)}: unexpected ${errorName(error)} (${message})`,
    ),
  };
}

/** Milliseconds as seconds for a message: `120`, `0.7`. */
function seconds(ms: number): string {
  return String(Number((ms / 1000).toFixed(1)));
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/**
 * The error a stopped read ends with: the interruption (exit 130/143), the deadline (exit 3), or,
 * for work still in flight when the read already failed, a VerifyError nobody waits for.
 */
function stopError(policy: ReadPolicy, target: ReadTarget): Error | undefined {
  const stop = policy.run.stopped();
  if (stop === undefined) return undefined;
  if (stop.kind === "interrupted") return new InterruptedError(stop.signal);
  if (stop.kind === "deadline") {
    return verifyError(
      policy,
      `gave up reading ${target.what}${at(target)}: the time allowed for reading live state (${seconds(stop.budgetMs)} s) ran out`,
      "Raise --api-timeout if the API is slow but answering, or run again later.",
    );
  }
  return verifyError(policy, `stopped reading ${target.what}${at(target)}: the live read already ended`);
}

/**
 * Run one read with the reader's retry policy: a 429 waits `Retry-After` (or a backoff) as long as
 * the deadline allows, then fails "rate limit outlasted"; a 5xx, connection failure or cut-off body
 * is retried `maxRetries` times with exponential backoff; 401/403 name the missing permission.
 * Every failure is a `VerifyError` without the token in it.
 */
export async function withRetries<T>(
  target: ReadTarget,
  policy: ReadPolicy,
  read: () => Promise<T>,
): Promise<T> {
  let transientFailures = 0;
  for (let attempt = 1; ; attempt++) {
    const stopped = stopError(policy, target);
    if (stopped) throw stopped;
    try {
      return await read();
    } catch (error) {
      // A request cut by the deadline or an interruption fails in whatever way the SDK reports it.
      const stoppedNow = stopError(policy, target);
      if (stoppedNow) throw stoppedNow;
      const verdict = classify(error, target, policy);
      if (verdict.retry === "no") throw verdict.error;
      let waitMs: number;
      if (verdict.retry === "rate-limit") {
        waitMs = verdict.waitMs ?? policy.backoffMs * 2 ** Math.min(attempt - 1, 6);
        if (Date.now() + waitMs > policy.run.deadline) {
          throw verifyError(
            policy,
            `rate limit outlasted while reading ${target.what}${at(target)}: Cloudflare asked to wait ${Math.ceil(waitMs / 1000)} s, beyond the time allowed`,
            "Cloudflare allows 1,200 requests per 5 minutes per user, shared with the dashboard and every token; try again later or raise --api-timeout.",
          );
        }
      } else {
        transientFailures += 1;
        if (transientFailures > policy.maxRetries) {
          throw verifyError(
            policy,
            `could not read ${target.what}${at(target)} after ${transientFailures} attempts: ${verdict.reason}`,
          );
        }
        waitMs = Math.min(
          policy.backoffMs * 2 ** (transientFailures - 1),
          Math.max(0, policy.run.deadline - Date.now()),
        );
      }
      policy.onProgress?.(
        scrubSecret(`${target.what}: ${verdict.reason}; retrying in ${Math.round(waitMs)} ms`, policy.token),
      );
      policy.ledger?.expect(1);
      // The wait ends early when the read is stopped; the next turn says why.
      await sleep(waitMs, undefined, { signal: policy.run.signal }).catch(() => {});
    }
  }
}
