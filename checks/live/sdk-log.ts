import { echoesSecret } from "./api-text.js";
import { redactUserinfo } from "./base-url.js";
import { scrubSecret } from "./scrub.js";

/** The SDK's logger interface (`ClientOptions.logger`). */
export interface SdkLogger {
  error(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  debug(message: string, ...rest: unknown[]): void;
}

/** The longest SDK log line passed on: `CLOUDFLARE_LOG=debug` logs whole response bodies. */
export const SDK_LOG_LINE_MAX_CHARS = 2_000;

function render(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return value.message;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * A logger for the SDK that sends every line to `log` (the CLI passes stderr) with the token and
 * URL userinfo removed and the length bounded; without `log`, the SDK logs nothing. The SDK's
 * default logger is `console`, whose info and debug go to stdout, where a report may be written.
 * The level stays the SDK's own (`CLOUDFLARE_LOG`, default warn).
 */
export function sdkLogger(log: ((line: string) => void) | undefined, token: string): SdkLogger {
  const at =
    (level: string) =>
    (message: string, ...rest: unknown[]) => {
      if (!log) return;
      // Cut first (the part beyond is never shown), with room for a token straddling the cut.
      const text = [message, ...rest.map(render)].join(" ").slice(0, SDK_LOG_LINE_MAX_CHARS + 256);
      // A line quoting part of the token (a debug log of an answer echoing it) is withheld whole.
      if (echoesSecret(text, token)) {
        log(`cloudflare sdk ${level}: [a log line quoting part of the API token was withheld]`);
        return;
      }
      const clean = scrubSecret(redactUserinfo(text), token);
      const bounded =
        clean.length > SDK_LOG_LINE_MAX_CHARS ? `${clean.slice(0, SDK_LOG_LINE_MAX_CHARS)}… (cut)` : clean;
      log(`cloudflare sdk ${level}: ${bounded}`);
    };
  return { error: at("error"), warn: at("warn"), info: at("info"), debug: at("debug") };
}
