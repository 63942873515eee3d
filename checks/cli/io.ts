/** What a command may touch: given by cli.ts, the only place that holds the real process. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdoutIsTty: boolean;
  readonly stderrIsTty: boolean;
  /**
   * Aborted when the user interrupts (SIGINT/SIGTERM); its `reason` is an `InterruptedError`.
   * Commands pass it to everything that waits (API reads, probes, child processes) and write no
   * report once it is aborted.
   */
  readonly signal: AbortSignal;
  /** The scrubber `stdout` and `stderr` apply; report files written by the CLI go through it too. */
  readonly scrub: (text: string) => string;
}
