import { StringDecoder } from "node:string_decoder";

/** A partial line (a prompt waiting for an answer) is passed on after this long without more output. */
const IDLE_FLUSH_MS = 100;

/**
 * Collect a child process's output and pass it on in whole lines, so the scrubber sees a secret
 * whole even when it arrives split across two chunks (and a multi-byte character is never cut).
 */
export function lineBuffered(write: (text: string) => void): {
  push(chunk: Buffer | string): void;
  flush(): void;
} {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  let idle: NodeJS.Timeout | undefined;
  const emit = () => {
    if (idle !== undefined) clearTimeout(idle);
    idle = undefined;
    if (pending !== "") write(pending);
    pending = "";
  };
  return {
    push(chunk) {
      pending += typeof chunk === "string" ? chunk : decoder.write(chunk);
      const end = pending.lastIndexOf("\n");
      if (end >= 0) {
        write(pending.slice(0, end + 1));
        pending = pending.slice(end + 1);
      }
      if (idle !== undefined) clearTimeout(idle);
      idle = pending === "" ? undefined : setTimeout(emit, IDLE_FLUSH_MS);
    },
    flush() {
      pending += decoder.end();
      emit();
    },
  };
}
