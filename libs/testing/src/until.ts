import type { Queue } from 'bullmq';

/** Reads until `done` holds (every 20 ms), at most `timeoutMs`; the last value, or an error naming `what` and where it stood. */
export async function until<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Waits until `queue` has no job waiting or running (scheduled jobs and retries
 * due later aside): what was queued so far has been done, so a test may then
 * claim that nothing more comes of it.
 */
export function untilQueueIdle(queue: Queue, timeoutMs = 10_000): Promise<unknown> {
  return until(
    `the ${queue.name} queue idle`,
    () => queue.getJobCounts('wait', 'active', 'prioritized'),
    (counts) => Object.values(counts).every((n) => n === 0),
    timeoutMs,
  );
}
