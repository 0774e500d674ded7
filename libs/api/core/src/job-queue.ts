import { ErrorCode } from '@tenantry/contracts';
import { AppError } from './app-error.js';

/** What this needs of a BullMQ Queue: its Redis connection. */
interface QueueLike {
  readonly backend: { readonly client: Promise<{ status: string }> };
}

/**
 * Call before adding jobs from a request: while Redis is unreachable it
 * fails at once with 503 UNHEALTHY, where BullMQ would hold the call (and
 * the request, and its transaction) until Redis returns. Workers keep
 * BullMQ's waiting: a finished job is recorded once Redis is back.
 */
export async function assertQueueReachable(queue: QueueLike): Promise<void> {
  if ((await queue.backend.client).status !== 'ready')
    throw new AppError(ErrorCode.UNHEALTHY, { components: { redis: 'down' } });
}
