import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import type { OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { CustomDomainsService } from './custom-domains.service.js';

export const CUSTOM_DOMAINS_QUEUE = 'custom-domains';

/** Daily at 04:00 UTC, once for all API instances: every verified custom domain's TXT record is looked up again. */
@Processor(CUSTOM_DOMAINS_QUEUE)
export class CustomDomainsJobsProcessor extends WorkerHost implements OnModuleInit {
  constructor(
    private readonly domains: CustomDomainsService,
    @InjectQueue(CUSTOM_DOMAINS_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onModuleInit(): Promise<void> {
    await this.queue.upsertJobScheduler('dns-recheck', { pattern: '0 4 * * *', tz: 'UTC' }, { name: 'dns-recheck' });
  }

  async process(): Promise<void> {
    await this.domains.recheckAll();
  }
}
