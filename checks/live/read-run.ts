import { InterruptedError } from "../errors.js";

/** Why a live read was stopped from outside its requests. */
export type StopCause =
  | { readonly kind: "deadline"; readonly budgetMs: number }
  | { readonly kind: "interrupted"; readonly signal: "SIGINT" | "SIGTERM" }
  /** The read ended (returned or failed): whatever is still in flight is cancelled. */
  | { readonly kind: "finished" };

/** The abort reason of a run's signal; `toString` is the name only (see `answer-error.ts`). */
export class ReadStopped extends Error {
  override readonly name = "ReadStopped";
  constructor(readonly cause_: StopCause) {
    super(`live read stopped (${cause_.kind})`);
  }
  override toString(): string {
    return this.name;
  }
}

/** The signal's name when an interruption aborts a read: the reason's, or SIGINT. */
export function interruptionSignal(signal: AbortSignal): "SIGINT" | "SIGTERM" {
  return signal.reason instanceof InterruptedError ? signal.reason.signal : "SIGINT";
}

/**
 * One live read's single deadline and its interruption: one signal that every request, every body
 * and every retry wait of the read listens to. It aborts when the time budget runs out, when the
 * caller's signal aborts (SIGINT/SIGTERM), or when the read ends (cancelling stragglers).
 */
export class ReadRun {
  readonly signal: AbortSignal;
  /** Epoch milliseconds when the budget runs out. */
  readonly deadline: number;
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #external: AbortSignal | undefined;
  readonly #onExternalAbort: () => void;

  constructor(
    readonly budgetMs: number,
    external?: AbortSignal,
  ) {
    this.signal = this.#controller.signal;
    this.deadline = Date.now() + budgetMs;
    this.#external = external;
    this.#timer = setTimeout(() => this.#stop({ kind: "deadline", budgetMs }), budgetMs);
    this.#onExternalAbort = () =>
      this.#stop({ kind: "interrupted", signal: interruptionSignal(external as AbortSignal) });
    if (external?.aborted) this.#onExternalAbort();
    else external?.addEventListener("abort", this.#onExternalAbort, { once: true });
  }

  #stop(cause: StopCause): void {
    if (!this.#controller.signal.aborted) this.#controller.abort(new ReadStopped(cause));
  }

  /**
   * Why the read was stopped, or undefined while it may go on. An interruption and the deadline
   * count even when the read had already ended, or the deadline's timer is late.
   */
  stopped(): StopCause | undefined {
    if (this.#external?.aborted) return { kind: "interrupted", signal: interruptionSignal(this.#external) };
    if (Date.now() >= this.deadline) return { kind: "deadline", budgetMs: this.budgetMs };
    const reason = this.signal.reason;
    return this.signal.aborted && reason instanceof ReadStopped ? reason.cause_ : undefined;
  }

  /** End the run: cancel what is still in flight and release the timer and listener. */
  close(): void {
    clearTimeout(this.#timer);
    this.#external?.removeEventListener("abort", this.#onExternalAbort);
    this.#stop({ kind: "finished" });
  }
}
