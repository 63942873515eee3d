import { ApiAnswerError } from "./answer-error.js";

/**
 * The whole body of an answer as text, at most `limitBytes`, strictly UTF-8, decoded as it
 * arrives. Reading stops with whatever the stream throws when the request's signal aborts (the
 * deadline, an interruption), so a body trickling in byte by byte is cut like any other wait. A
 * body over the limit or not UTF-8 is an `ApiAnswerError`.
 */
export async function readBodyText(
  response: Response,
  endpoint: string,
  limitBytes: number,
): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const parts: string[] = [];
  let total = 0;
  const refuse = async (problem: string): Promise<never> => {
    await reader.cancel().catch(() => {});
    throw new ApiAnswerError(endpoint, problem);
  };
  const notUtf8 = () => `the body is not valid UTF-8 (HTTP ${response.status}, ${total} bytes)`;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes)
      await refuse(`the body is larger than ${Math.round(limitBytes / 1024 / 1024)} MiB`);
    try {
      parts.push(decoder.decode(value, { stream: true }));
    } catch {
      await refuse(notUtf8());
    }
  }
  try {
    parts.push(decoder.decode());
  } catch {
    await refuse(notUtf8());
  }
  return parts.join("");
}
