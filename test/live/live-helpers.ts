import { expect } from "vitest";
import type { Emulator } from "../../checks/emulator/index.js";
import { VerifyError } from "../../checks/errors.js";
import { type LiveReadOptions, type LiveStateRequest, readLiveState } from "../../checks/live/index.js";
import type { LiveState } from "../../checks/model/zone.js";
import { TOKEN } from "../emulator/fixtures.js";

/**
 * Reading live state with the real SDK from an emulator over HTTP, keeping every message the reader
 * produced (progress, errors, hints) so a test file can prove the token is in none of them.
 */
export function liveReader(emulator: () => Emulator) {
  const messages: string[] = [];
  const options = (extra: Partial<LiveReadOptions> = {}): LiveReadOptions => ({
    token: TOKEN,
    baseURL: emulator().url,
    backoffMs: 5,
    maxRetries: 1,
    onProgress: (message) => messages.push(message),
    ...extra,
  });
  const read = async (
    request: LiveStateRequest,
    extra: Partial<LiveReadOptions> = {},
  ): Promise<LiveState> => {
    try {
      return await readLiveState(request, options(extra));
    } catch (error) {
      if (error instanceof VerifyError) messages.push(error.message, error.hint ?? "");
      throw error;
    }
  };
  /** The read must fail closed: a VerifyError (exit 3), never live state. */
  const failure = async (
    request: LiveStateRequest,
    extra: Partial<LiveReadOptions> = {},
  ): Promise<VerifyError> => {
    const outcome = await read(request, extra).then(
      (state) => ({ state }),
      (error: unknown) => ({ error }),
    );
    expect("state" in outcome, "the read returned live state").toBe(false);
    const { error } = outcome as { error: unknown };
    expect(error).toBeInstanceOf(VerifyError);
    return error as VerifyError;
  };
  /** No message of the file quotes the token. */
  const expectNoToken = () => {
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) expect(message).not.toContain(TOKEN);
  };
  /** Paths requested so far, without the zone ids' noise where a test wants to count them. */
  const paths = () =>
    emulator()
      .requests()
      .map((r) => r.path);
  return { read, failure, expectNoToken, paths, messages };
}

/** A Cloudflare error envelope, for faults that answer one. */
export function cloudflareFailure(code: number, message: string) {
  return { success: false, errors: [{ code, message }], messages: [], result: null };
}

/** A successful envelope around `result`, for faults that answer a body of the wrong shape. */
export function envelope(result: unknown, resultInfo?: unknown) {
  return {
    success: true,
    errors: [],
    messages: [],
    result,
    ...(resultInfo === undefined ? {} : { result_info: resultInfo }),
  };
}
