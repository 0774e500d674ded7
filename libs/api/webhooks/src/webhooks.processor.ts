import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import type { OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { WEBHOOKS_QUEUE, WebhooksService } from './webhooks.service.js';

interface DeliveryJob {
  tenantId: string;
  deliveryId: string;
}

/** Delivers webhooks (BullMQ retries a failed attempt with exponential backoff); sweeps stranded deliveries each minute and the log daily. */
// Deliveries mostly wait on other people's servers (up to WEBHOOK_TIMEOUT_MS each): many at once per instance.
@Processor(WEBHOOKS_QUEUE, { concurrency: 50 })
export class WebhooksProcessor extends WorkerHost implements OnModuleInit {
  constructor(
    private readonly webhooks: WebhooksService,
    @InjectQueue(WEBHOOKS_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onModuleInit(): Promise<void> {
    await this.queue.upsertJobScheduler('requeue-stranded', { every: 60_000 }, { name: 'requeue-stranded' });
    await this.queue.upsertJobScheduler('prune-log', { pattern: '30 3 * * *', tz: 'UTC' }, { name: 'prune-log' });
  }

  // Three parameters: BullMQ then hands over the signal that cancels the job (shutdown, see GracefulShutdown).
  async process(job: Job<DeliveryJob>, _token?: string, signal?: AbortSignal): Promise<void> {
    if (job.name === 'requeue-stranded') await this.webhooks.requeueStranded();
    else if (job.name === 'prune-log') await this.webhooks.pruneLog();
    else await this.webhooks.attempt(job.data.tenantId, job.data.deliveryId, job.attemptsMade, signal);
  }
}
