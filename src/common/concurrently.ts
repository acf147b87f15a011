/*
 * Work over many items with a few running at once. File-system calls each take a trip through libuv's thread
 * pool; thousands of them one after another leave the process idle between trips, while a few in flight keep
 * the pool busy.
 */

/**
 * Runs `work` for each item with at most `limit` running at once, pulling items only as workers free up, so a
 * walk of 300,000 rows never sits in memory. The first failure stops the other workers before their next item;
 * once the items in flight have ended, it is rethrown.
 */
export async function forEachConcurrently<T>(items: AsyncIterable<T> | Iterable<T>, limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const iterator = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    try {
      while (failure === undefined) {
        // Calls to next() on one async generator queue up, so each worker gets an item of its own.
        const step = await iterator.next();
        if (step.done || failure !== undefined) return;
        await work(step.value);
      }
    } catch (error) {
      failure ??= { error };
    }
  };
  try {
    // Waiting for every worker means nothing still runs (or reports) after this returns.
    await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
  } finally {
    // Ends the walk (and frees what it holds) when a failure or a cancellation stopped it early.
    if (failure !== undefined) await Promise.resolve(iterator.return?.(undefined)).catch(() => undefined);
  }
  if (failure !== undefined) throw failure.error;
}

/** forEachConcurrently over an array, with the results in item order. */
export async function mapConcurrently<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  await forEachConcurrently(items.keys(), limit, async (index) => {
    results[index] = await work(items[index], index);
  });
  return results;
}
