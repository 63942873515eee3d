import { InterruptedError } from "./errors.js";

/**
 * Interruption for the layers below the CLI: the run's AbortSignal (aborted on SIGINT/SIGTERM, its
 * reason an `InterruptedError`) is passed down; these turn it into the error the CLI maps to exit
 * 130 or 143.
 */

/** The error an aborted signal stands for: its reason when that is an Error. */
export function interruption(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new InterruptedError("SIGTERM");
}

/** Throw the interruption when the signal is aborted. */
export function throwIfInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw interruption(signal);
}

/**
 * Settle with `promise`, or reject with the interruption as soon as the signal aborts, whichever
 * comes first. The work behind `promise` is expected to stop on the same signal; if it does not,
 * its late result or error is ignored.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(interruption(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(interruption(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(signal.aborted ? interruption(signal) : error);
      },
    );
  });
}
