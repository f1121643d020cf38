/**
 * Runs `task` over `items` with at most `limit` tasks in flight: `limit` workers, each an async
 * loop that takes the next index until none is left. Results keep the order of `items`.
 */
export async function mapWithLimit<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<{ results: R[]; maxInFlight: number }> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let inFlight = 0;
  let maxInFlight = 0;

  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        results[index] = await task(items[index], index);
      } finally {
        inFlight--;
      }
    }
  };

  const workers: Promise<void>[] = [];
  for (let i = 0; i < Math.min(limit, items.length); i++) workers.push(worker());
  await Promise.all(workers);
  return { results, maxInFlight };
}
