/**
 * Errors the reader's `fetch` throws for answers it will not hand to the SDK. The SDK wraps what its
 * `fetch` throws in an `APIConnectionError` (as `cause`) unless the error's text looks like a
 * timeout, in which case it throws a bare timeout error and drops the cause. `toString` therefore
 * returns the class name only, so API-provided text can never turn a malformed answer into a
 * retried "timeout"; the reader unwraps `cause` (see `retry.ts`).
 */

/** An answer that is not what the API promises (envelope, shape, totals): not retried, exit 3. */
export class ApiAnswerError extends Error {
  override readonly name = "ApiAnswerError";
  constructor(
    /** The path below the base URL, e.g. `/zones/abc/dns_records` (no query). */
    readonly endpoint: string,
    /** What was wrong, e.g. `success is false although the HTTP status is 200`. */
    readonly problem: string,
  ) {
    super(`the answer to GET ${endpoint} is not usable: ${problem}`);
  }
  override toString(): string {
    return this.name;
  }
}

/** An answer cut off or not complete in time (a connection reset mid-body): retried like a 5xx. */
export class IncompleteAnswerError extends Error {
  override readonly name = "IncompleteAnswerError";
  constructor(
    readonly endpoint: string,
    readonly problem: string,
  ) {
    super(`incomplete answer to GET ${endpoint}: ${problem}`);
  }
  override toString(): string {
    return this.name;
  }
}

/** The error a failed SDK call carries from the reader's `fetch`, if any. */
export function answerErrorOf(error: unknown): ApiAnswerError | IncompleteAnswerError | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; depth++) {
    if (e instanceof ApiAnswerError || e instanceof IncompleteAnswerError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
