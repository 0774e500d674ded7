import { AppError } from './app-error.js';
import { assertQueueReachable } from './job-queue.js';

describe('assertQueueReachable', () => {
  it('passes while the queue is connected', async () => {
    await expect(
      assertQueueReachable({ backend: { client: Promise.resolve({ status: 'ready' }) } }),
    ).resolves.toBeUndefined();
  });

  it('answers 503 UNHEALTHY at once while the queue reconnects', async () => {
    for (const status of ['reconnecting', 'connecting', 'end']) {
      const refused = await assertQueueReachable({ backend: { client: Promise.resolve({ status }) } }).catch(
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(AppError);
      expect(refused).toMatchObject({ code: 'UNHEALTHY', status: 503, details: { components: { redis: 'down' } } });
    }
  });
});
