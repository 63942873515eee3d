/** What a command may touch: given by cli.ts, the only place that holds the real process. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdoutIsTty: boolean;
  readonly stderrIsTty: boolean;
  /** Resolves when the user interrupts (SIGINT/SIGTERM); long-running commands stop on it. */
  readonly interrupted: Promise<void>;
}
