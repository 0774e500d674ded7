import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import type { OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { TenantLifecycleService } from './tenant-lifecycle.service.js';

export const LIFECYCLE_QUEUE = 'lifecycle';

/** Hourly, once for all instances: deleted tenants past their grace period are purged. */
@Processor(LIFECYCLE_QUEUE)
export class LifecycleJobsProcessor extends WorkerHost implements OnModuleInit {
  constructor(
    private readonly lifecycle: TenantLifecycleService,
    @InjectQueue(LIFECYCLE_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onModuleInit(): Promise<void> {
    await this.queue.upsertJobScheduler('purge', { every: 3_600_000 }, { name: 'purge' });
  }

  async process(): Promise<void> {
    await this.lifecycle.purgeDue();
  }
}
