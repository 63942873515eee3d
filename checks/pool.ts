/**
 * Map `items` through `work` with at most `limit` running at once, keeping the items' order. A slow
 * item holds only its own slot. The first failure rejects the whole and nothing new is started;
 * work that never throws (the probes, which return errors as values) is unaffected by that.
 */
export async function mapPool<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
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
  return results;
}
