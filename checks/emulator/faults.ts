import { z } from "zod";
import { type RecordInput, recordInputSchema } from "./seed.js";

/** Which requests a fault applies to: all, or by method and a path (substring or pattern). */
export interface FaultMatch {
  readonly method?: string;
  /** Matched against the API path without the `/client/v4` prefix, e.g. `/zones/abc/dns_records`. */
  readonly path?: string | RegExp;
}

export type Fault =
  | {
      readonly kind: "rate-limit";
      readonly count: number;
      readonly retryAfterSeconds: number;
      readonly match?: FaultMatch;
    }
  | {
      readonly kind: "server-error";
      readonly count: number;
      readonly status?: number;
      readonly match?: FaultMatch;
    }
  | { readonly kind: "latency"; readonly ms: number; readonly count?: number; readonly match?: FaultMatch }
  /** The answer's headers and half its body are sent, then the connection is cut. */
  | { readonly kind: "truncate"; readonly count: number; readonly match?: FaultMatch }
  /** This JSON body (with this status) instead of the real answer: wrong shapes, `success: false`. */
  | {
      readonly kind: "answer";
      readonly count: number;
      readonly status: number;
      readonly body: unknown;
      readonly match?: FaultMatch;
    }
  /** After page `afterPage` (default 1) of a DNS list for the zone is served, a record appears. */
  | {
      readonly kind: "add-record-between-pages";
      readonly zoneId: string;
      readonly afterPage?: number;
      readonly count?: number;
      readonly record?: RecordInput;
    };

/** The admin endpoint's JSON form of a fault (paths as substrings). */
const matchSchema = z.object({ method: z.string().optional(), path: z.string().optional() }).optional();
export const faultSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("rate-limit"),
    count: z.number().int().min(1),
    retryAfterSeconds: z.number().min(0),
    match: matchSchema,
  }),
  z.object({
    kind: z.literal("server-error"),
    count: z.number().int().min(1),
    status: z.number().int().min(500).max(599).optional(),
    match: matchSchema,
  }),
  z.object({
    kind: z.literal("latency"),
    ms: z.number().min(0),
    count: z.number().int().min(1).optional(),
    match: matchSchema,
  }),
  z.object({ kind: z.literal("truncate"), count: z.number().int().min(1), match: matchSchema }),
  z.object({
    kind: z.literal("answer"),
    count: z.number().int().min(1),
    status: z.number().int().min(200).max(599),
    body: z.unknown(),
    match: matchSchema,
  }),
  z.object({
    kind: z.literal("add-record-between-pages"),
    zoneId: z.string(),
    afterPage: z.number().int().min(1).optional(),
    count: z.number().int().min(1).optional(),
    record: recordInputSchema.optional(),
  }),
]);

interface Armed {
  fault: Fault;
  remaining: number;
}

function matches(match: FaultMatch | undefined, method: string, path: string): boolean {
  if (!match) return true;
  if (match.method && match.method.toUpperCase() !== method) return false;
  if (match.path === undefined) return true;
  return typeof match.path === "string" ? path.includes(match.path) : match.path.test(path);
}

/** The fault switchboard: tests arm faults; the server consumes them request by request. */
export class Faults {
  #armed: Armed[] = [];
  #inserted = 0;

  add(fault: Fault): void {
    const remaining = "count" in fault && fault.count !== undefined ? fault.count : Number.POSITIVE_INFINITY;
    this.#armed.push({ fault, remaining });
  }

  rateLimit(count: number, retryAfterSeconds: number, match?: FaultMatch): void {
    this.add({ kind: "rate-limit", count, retryAfterSeconds, ...(match ? { match } : {}) });
  }

  serverError(count: number, status = 503, match?: FaultMatch): void {
    this.add({ kind: "server-error", count, status, ...(match ? { match } : {}) });
  }

  latency(ms: number, match?: FaultMatch, count?: number): void {
    this.add({ kind: "latency", ms, ...(count === undefined ? {} : { count }), ...(match ? { match } : {}) });
  }

  truncate(count: number, match?: FaultMatch): void {
    this.add({ kind: "truncate", count, ...(match ? { match } : {}) });
  }

  /** Answer `count` matching requests with `body` (JSON) and `status` instead of the real answer. */
  answer(count: number, status: number, body: unknown, match?: FaultMatch): void {
    this.add({ kind: "answer", count, status, body, ...(match ? { match } : {}) });
  }

  addRecordBetweenPages(
    zoneId: string,
    options: { afterPage?: number; count?: number; record?: RecordInput } = {},
  ): void {
    this.add({ kind: "add-record-between-pages", zoneId, ...options, count: options.count ?? 1 });
  }

  clear(): void {
    this.#armed = [];
  }

  /** Faults still armed (remaining > 0). */
  active(): readonly Fault[] {
    return this.#armed.filter((a) => a.remaining > 0).map((a) => a.fault);
  }

  #take<K extends Fault["kind"]>(
    kind: K,
    method: string,
    path: string,
  ): Extract<Fault, { kind: K }> | undefined {
    for (const armed of this.#armed) {
      const { fault } = armed;
      if (fault.kind !== kind || armed.remaining <= 0) continue;
      if ("match" in fault && !matches(fault.match, method, path)) continue;
      armed.remaining -= 1;
      return fault as Extract<Fault, { kind: K }>;
    }
    return undefined;
  }

  /** Milliseconds to wait before answering. */
  takeLatency(method: string, path: string): number {
    return this.#take("latency", method, path)?.ms ?? 0;
  }

  /** An error answer to give instead of the real one (429 first, then 5xx). */
  takeFailure(
    method: string,
    path: string,
  ):
    | { status: 429; retryAfterSeconds: number }
    | { status: number; retryAfterSeconds?: undefined }
    | undefined {
    const limited = this.#take("rate-limit", method, path);
    if (limited) return { status: 429, retryAfterSeconds: limited.retryAfterSeconds };
    const failed = this.#take("server-error", method, path);
    if (failed) return { status: failed.status ?? 503 };
    return undefined;
  }

  /** A replacement answer, if one is armed for this request. */
  takeAnswer(method: string, path: string): { status: number; body: unknown } | undefined {
    const fault = this.#take("answer", method, path);
    return fault ? { status: fault.status, body: fault.body } : undefined;
  }

  takeTruncate(method: string, path: string): boolean {
    return this.#take("truncate", method, path) !== undefined;
  }

  /** Records to add to `zoneId` now that `page` of its DNS list has been served. */
  takeInsertions(zoneId: string, page: number): RecordInput[] {
    const out: RecordInput[] = [];
    for (const armed of this.#armed) {
      const { fault } = armed;
      if (fault.kind !== "add-record-between-pages" || armed.remaining <= 0) continue;
      if (fault.zoneId !== zoneId || (fault.afterPage ?? 1) !== page) continue;
      armed.remaining -= 1;
      this.#inserted += 1;
      // "0000-..." sorts before ordinary names, so every later page shifts by one.
      out.push(
        fault.record ?? {
          name: `0000-inserted-${this.#inserted}`,
          type: "A",
          content: "192.0.2.200",
          ttl: 300,
        },
      );
    }
    return out;
  }
}
