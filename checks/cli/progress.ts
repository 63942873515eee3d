import type { ProbeResult } from "../probe/result.js";
import { targetAddress } from "../probe/result.js";
import type { Io } from "./io.js";

/**
 * Probe progress on stderr: one line rewritten in place on a terminal, plain lines otherwise (CI
 * logs). Returns the callback and a function that clears the terminal line when done.
 */
export function probeProgress(io: Io): {
  onProbe: (done: number, total: number, r: ProbeResult) => void;
  end: () => void;
} {
  let drawn = false;
  return {
    onProbe(done, total, r) {
      const verdict = r.status === "ok" ? "ok" : `${r.status}${r.predicts ? ` ${r.predicts}` : ""}`;
      const line = `probe ${done}/${total} ${r.target.hostname} ${targetAddress(r.target)}:${r.target.port} ${verdict}`;
      if (io.stderrIsTty) {
        io.stderr(`\r\u001b[2K${line}`);
        drawn = true;
      } else io.stderr(`${line}\n`);
    },
    end() {
      if (drawn) io.stderr("\r\u001b[2K");
      drawn = false;
    },
  };
}
