/**
 * Runs `work` for every item with at most `limit` running at once and returns the results in item order.
 * File-system calls each take a trip through libuv's thread pool; thousands of them one after another leave
 * the process idle between trips, while a few in flight keep the pool busy.
 */
export async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
