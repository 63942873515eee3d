import type { MigrationPolicy } from "../model/migration.js";
import type { ProbeResult } from "../probe/result.js";
import type { ParitySample } from "./parity.js";

/** The response parts parity compares, and whether a difference in each blocks. */
export const COMPARED_FIELDS = {
  status: true,
  location: true,
  "content-type": true,
  "strict-transport-security": false,
} as const;
export type ComparedField = keyof typeof COMPARED_FIELDS;

export interface ResponseDifference {
  readonly field: ComparedField;
  readonly old: string | undefined;
  readonly new: string | undefined;
  /** A difference visitors notice (status, redirect target, content type) blocks; HSTS warns. */
  readonly blocking: boolean;
}

/**
 * A redirect target as a visitor's browser would follow it: relative targets resolved against the
 * requested URL (https, the way visitors reach a proxied site), so `/login` and
 * `https://www.example.com/login` compare equal.
 */
export function normalizeLocation(
  location: string | undefined,
  hostname: string,
  path: string,
): string | undefined {
  if (location === undefined) return undefined;
  try {
    return new URL(location, `https://${hostname}${path}`).href;
  } catch {
    return location.trim();
  }
}

/** `text/html; charset=utf-8` -> `text/html`: the charset spelling is not a migration problem. */
export function mediaType(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const type = contentType.split(";")[0]?.trim().toLowerCase();
  return type === "" ? undefined : type;
}

/** Whether HSTS is on, and for how long: `max-age=0` turns it off (undefined, as without the header). */
export function hstsSummary(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const maxAge = /max-age\s*=\s*"?(\d+)"?/i.exec(value)?.[1];
  if (maxAge !== undefined && Number(maxAge) === 0) return undefined;
  const flags = ["includesubdomains", "preload"].filter((f) => value.toLowerCase().includes(f));
  return [`max-age=${maxAge ?? "?"}`, ...flags].join("; ");
}

function isSuccess(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}

/** The differences between two answers to the same request (pure); empty when they match. */
export function compareResponses(
  old: ProbeResult,
  next: ProbeResult,
  hostname: string,
  path: string,
): ResponseDifference[] {
  const pairs: [ComparedField, string | undefined, string | undefined][] = [
    ["status", old.httpStatus?.toString(), next.httpStatus?.toString()],
    [
      "location",
      normalizeLocation(old.location, hostname, path),
      normalizeLocation(next.location, hostname, path),
    ],
    ["content-type", mediaType(old.headers?.contentType), mediaType(next.headers?.contentType)],
    [
      "strict-transport-security",
      hstsSummary(old.headers?.strictTransportSecurity),
      hstsSummary(next.headers?.strictTransportSecurity),
    ],
  ];
  // A redirect or an empty answer may carry a Content-Type on one side only: visitors see nothing
  // of it. Compare it when both answers are 2xx or both send the header.
  const bothSuccess = isSuccess(old.httpStatus) && isSuccess(next.httpStatus);
  const bothTyped = old.headers?.contentType !== undefined && next.headers?.contentType !== undefined;
  return pairs
    .filter(([field]) => field !== "content-type" || bothSuccess || bothTyped)
    .filter(([, a, b]) => a !== b)
    .map(([field, a, b]) => ({ field, old: a, new: b, blocking: COMPARED_FIELDS[field] }));
}

/** Connect + TLS + time to the response headers: what Cloudflare waits for on a cold connection. */
export function responseMs(result: ProbeResult): number | undefined {
  if (result.httpStatus === undefined || result.timings.http === undefined) return undefined;
  return (result.timings.tcp ?? 0) + (result.timings.tls ?? 0) + result.timings.http;
}

/** The fastest answer among samples of one side (the least disturbed by noise on this machine). */
export function fastest(samples: readonly ParitySample[], side: "old" | "new"): number | undefined {
  let best: number | undefined;
  for (const sample of samples) {
    const ms = responseMs(sample[side]);
    if (ms !== undefined && (best === undefined || ms < best)) best = ms;
  }
  return best;
}

/** Whether the new origin is slower than the policy allows: over the factor and over the slack. */
export function tooSlow(oldMs: number, newMs: number, policy: MigrationPolicy): boolean {
  return newMs > oldMs * policy.latencyFactor && newMs - oldMs > policy.latencySlackMs;
}
