/**
 * The two failures the CLI turns into exit codes. Everything else that goes wrong at run time is
 * a value (a finding, a probe result), and an exception of another class is a programming error.
 */

/** Bad input, usage or configuration: exit 2. Names the file, the path inside it and what was expected. */
export class InputError extends Error {
  override readonly name = "InputError";
  constructor(
    readonly file: string | undefined,
    readonly path: string | undefined,
    readonly expected: string,
    readonly detail?: string,
  ) {
    super(formatInputError(file, path, expected, detail));
  }
}

export function formatInputError(
  file: string | undefined,
  path: string | undefined,
  expected: string,
  detail?: string,
): string {
  const where = [file, path ? `at ${path}` : undefined].filter(Boolean).join(" ");
  const got = detail ? ` (${detail})` : "";
  return `${where ? `${where}: ` : ""}expected ${expected}${got}`;
}

/**
 * `cf-preflight <command>: <message>`, the command named once. Messages thrown for one command
 * often begin with its name (`check: unexpected argument`, `gate: --synth is not accepted`) so they
 * read on their own; the line printed for the user already names it (pure).
 */
export function errorLine(command: string, message: string): string {
  const own = `${command}: `;
  return `cf-preflight ${own}${message.startsWith(own) ? message.slice(own.length) : message}`;
}

/** A usage error on the command line: exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * The checker could not verify (API unreachable, auth refused, rate limit outlasted, a zone it
 * cannot read): exit 3. The gate fails closed on it unless `--allow-unverified`.
 */
export class VerifyError extends Error {
  override readonly name = "VerifyError";
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/**
 * The run was interrupted (SIGINT or SIGTERM) and stopped what it was doing: no verdict may be
 * reported. `signal` names the signal, so the CLI exits 130 or 143.
 */
export class InterruptedError extends Error {
  override readonly name = "InterruptedError";
  constructor(readonly signal: "SIGINT" | "SIGTERM") {
    super(`interrupted by ${signal}`);
  }
}

export const EXIT = {
  ok: 0,
  blocked: 1,
  input: 2,
  unverified: 3,
  drift: 4,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
