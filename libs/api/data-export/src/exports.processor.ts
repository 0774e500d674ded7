import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { DataExportService, EXPORTS_QUEUE } from './data-export.service.js';

interface ExportJob {
  tenantId: string;
  exportId: string;
}

/** Writes exports; hourly, expires those past their 24 hours. An export whose last attempt fails is marked failed. */
@Processor(EXPORTS_QUEUE)
export class ExportsProcessor extends WorkerHost implements OnModuleInit {
  private readonly logger = new Logger(ExportsProcessor.name);

  constructor(
    private readonly exports: DataExportService,
    @InjectQueue(EXPORTS_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onModuleInit(): Promise<void> {
    await this.queue.upsertJobScheduler('expire', { every: 3_600_000 }, { name: 'expire' });
  }

  async process(job: Job<ExportJob>): Promise<void> {
    if (job.name === 'expire') await this.exports.expire();
    else await this.exports.run(job.data.tenantId, job.data.exportId);
  }

  @OnWorkerEvent('failed')
  async failed(job: Job<ExportJob> | undefined, error: Error): Promise<void> {
    const last = !!job && job.attemptsMade >= (job.opts.attempts ?? 1);
    this.logger[last ? 'warn' : 'log'](
      `export job ${job?.name} ${job?.data.exportId ?? ''} attempt ${job?.attemptsMade} failed: ${error.message}`,
    );
    if (job?.name === 'export' && last) await this.exports.failed(job.data.tenantId, job.data.exportId);
  }
}
