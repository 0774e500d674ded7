import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { LicensingService } from './licensing.service.js';
import { UsageMeter } from './usage-meter.js';

export const LICENSING_QUEUE = 'licensing';

/**
 * The licensing jobs, each run once for all API instances: every minute, usage
 * counted in Redis moves to Postgres; daily at 03:00 UTC, licenses expire and
 * reminders go out.
 */
@Processor(LICENSING_QUEUE)
export class LicensingJobsProcessor extends WorkerHost implements OnModuleInit {
  private readonly logger = new Logger(LicensingJobsProcessor.name);

  constructor(
    private readonly licensing: LicensingService,
    private readonly usage: UsageMeter,
    @InjectQueue(LICENSING_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onModuleInit(): Promise<void> {
    // A scheduler with a fixed id: every instance upserts the same one, so the job runs once a day in all.
    await this.queue.upsertJobScheduler('license-expiry', { pattern: '0 3 * * *', tz: 'UTC' }, { name: 'license-expiry' });
    await this.queue.upsertJobScheduler('usage-flush', { every: 60_000 }, { name: 'usage-flush' });
  }

  async process(job: Job): Promise<void> {
    if (job.name === 'usage-flush') {
      await this.usage.flush();
      return;
    }
    const { expired, reminded } = await this.licensing.expireAndRemind();
    this.logger.log(`license expiry: ${expired} expired, ${reminded} reminded`);
  }
}
