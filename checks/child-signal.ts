import type { ChildProcess } from "node:child_process";
import { InterruptedError } from "./errors.js";

export interface ForwardOptions {
  /**
   * The child was spawned `detached` (a process group of its own): the signal goes to the whole
   * group, so cdktf's own children (the app, terraform) get it exactly once.
   */
  readonly group?: boolean;
  /** SIGKILL the child (or group) if it is still running this long after the signal. */
  readonly killAfterMs?: number;
}

/**
 * Pass the run's interruption on to a child process (cdktf synth, cdktf deploy): when the signal
 * aborts, the child gets the same signal (SIGINT or SIGTERM) so it can stop cleanly (terraform
 * releases its state lock on SIGINT). Returns a function to call once the child has exited.
 */
export function forwardInterruption(
  child: ChildProcess,
  signal: AbortSignal | undefined,
  options: ForwardOptions = {},
): () => void {
  if (signal === undefined) return () => {};
  let killer: NodeJS.Timeout | undefined;
  const send = (name: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    try {
      if (options.group) process.kill(-child.pid, name);
      else child.kill(name);
    } catch {
      // already gone
    }
  };
  const forward = () => {
    const reason: unknown = signal.reason;
    send(reason instanceof InterruptedError ? reason.signal : "SIGTERM");
    if (options.killAfterMs !== undefined) {
      killer = setTimeout(() => send("SIGKILL"), options.killAfterMs);
      killer.unref();
    }
  };
  if (signal.aborted) forward();
  else signal.addEventListener("abort", forward, { once: true });
  return () => {
    signal.removeEventListener("abort", forward);
    if (killer !== undefined) clearTimeout(killer);
  };
}
