import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import type { OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { PlatformStatsService } from './platform-stats.service.js';

export const PLATFORM_STATS_QUEUE = 'platform-stats';

/** Daily at 23:55 UTC, once for all instances: the day's snapshot for the console's history charts. */
@Processor(PLATFORM_STATS_QUEUE)
export class PlatformStatsProcessor extends WorkerHost implements OnModuleInit {
  constructor(
    private readonly stats: PlatformStatsService,
    @InjectQueue(PLATFORM_STATS_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onModuleInit(): Promise<void> {
    await this.queue.upsertJobScheduler('snapshot', { pattern: '55 23 * * *', tz: 'UTC' }, { name: 'snapshot' });
  }

  async process(): Promise<void> {
    await this.stats.compute();
  }
}
