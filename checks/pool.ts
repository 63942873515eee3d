import { throwIfInterrupted } from "./abort.js";

/**
 * Map `items` through `work` with at most `limit` running at once, keeping the items' order. A slow
 * item holds only its own slot. The first failure rejects the whole and nothing new is started;
 * work that never throws (the probes, which return errors as values) is unaffected by that. Once
 * `signal` aborts, nothing new is started either, and the whole rejects with the interruption
 * when the work in flight has stopped (it is expected to stop on the same signal).
 */
export async function mapPool<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && !signal?.aborted && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const slots = Math.max(1, Math.min(Math.floor(limit), items.length));
  await Promise.all(Array.from({ length: slots }, worker));
  throwIfInterrupted(signal);
  return results;
}
