import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { LicensingService } from './licensing.service.js';
import { LimitWatch } from './limit-watch.js';
import { Trials } from './trials.js';
import { UsageMeter } from './usage-meter.js';

export const LICENSING_QUEUE = 'licensing';

/**
 * The licensing jobs, each run once for all API instances: every minute, usage
 * counted in Redis moves to Postgres; every 10 minutes, tenants' use of their
 * limits is checked for the console; daily at 03:00 UTC, licenses expire,
 * trials end, and reminders go out.
 */
@Processor(LICENSING_QUEUE)
export class LicensingJobsProcessor extends WorkerHost implements OnModuleInit {
  private readonly logger = new Logger(LicensingJobsProcessor.name);

  constructor(
    private readonly licensing: LicensingService,
    private readonly usage: UsageMeter,
    private readonly trials: Trials,
    private readonly limitWatch: LimitWatch,
    @InjectQueue(LICENSING_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onModuleInit(): Promise<void> {
    // A scheduler with a fixed id: every instance upserts the same one, so the job runs once a day in all.
    await this.queue.upsertJobScheduler(
      'license-expiry',
      { pattern: '0 3 * * *', tz: 'UTC' },
      { name: 'license-expiry' },
    );
    await this.queue.upsertJobScheduler('usage-flush', { every: 60_000 }, { name: 'usage-flush' });
    await this.queue.upsertJobScheduler('limit-watch', { every: 600_000 }, { name: 'limit-watch' });
  }

  // Three parameters: BullMQ then hands over the signal that cancels the job (shutdown, see GracefulShutdown).
  async process(job: Job, _token?: string, signal?: AbortSignal): Promise<void> {
    if (job.name === 'usage-flush') {
      await this.usage.flush();
    } else if (job.name === 'limit-watch') {
      await this.limitWatch.checkAll(signal);
    } else {
      const licenses = await this.licensing.expireAndRemind();
      const trials = await this.trials.endAndRemind();
      this.logger.log(
        `licenses: ${licenses.expired} expired, ${licenses.reminded} reminded; trials: ${trials.ended} ended, ${trials.reminded} reminded`,
      );
    }
  }
}
