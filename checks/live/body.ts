import { isUtf8 } from "node:buffer";
import { ApiAnswerError } from "./answer-error.js";

/**
 * The whole body of an answer as text, at most `limitBytes`, strictly UTF-8. Reading stops with
 * whatever the stream throws when the request's signal aborts (the deadline, an interruption), so
 * a body trickling in byte by byte is cut like any other wait. A body over the limit or not UTF-8
 * is an `ApiAnswerError`. The bytes are checked and decoded once, at the end (one pass, not one
 * decoder call per chunk: pages of the API run to megabytes).
 */
export async function readBodyText(
  response: Response,
  endpoint: string,
  limitBytes: number,
): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const refuse = async (problem: string): Promise<never> => {
    await reader.cancel().catch(() => {});
    throw new ApiAnswerError(endpoint, problem);
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes)
      await refuse(`the body is larger than ${Math.round(limitBytes / 1024 / 1024)} MiB`);
    chunks.push(value);
  }
  const bytes = Buffer.concat(chunks, total);
  if (!isUtf8(bytes))
    throw new ApiAnswerError(
      endpoint,
      `the body is not valid UTF-8 (HTTP ${response.status}, ${total} bytes)`,
    );
  const text = bytes.toString("utf8");
  // A byte order mark is dropped, as a TextDecoder would.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
