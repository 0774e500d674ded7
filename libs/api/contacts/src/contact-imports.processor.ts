import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { TenancyService, TenantDb } from '@tenantry/api-tenancy';
import type { Job } from 'bullmq';
import { ContactImportsRepository } from './contact-imports.repository.js';
import { ContactImportsService, CONTACTS_QUEUE } from './contact-imports.service.js';

interface ImportJob {
  tenantId: string;
  importId: string;
}

/** Runs CSV imports; one that fails on its last attempt is marked failed (its progress so far stays). */
@Processor(CONTACTS_QUEUE)
export class ContactImportsProcessor extends WorkerHost {
  private readonly logger = new Logger(ContactImportsProcessor.name);

  constructor(
    private readonly imports: ContactImportsService,
    private readonly repository: ContactImportsRepository,
    private readonly db: TenantDb,
    private readonly tenancy: TenancyService,
  ) {
    super();
  }

  async process(job: Job<ImportJob>): Promise<void> {
    await this.imports.run(job.data.tenantId, job.data.importId);
  }

  @OnWorkerEvent('failed')
  async failed(job: Job<ImportJob> | undefined, error: Error): Promise<void> {
    const last = !!job && job.attemptsMade >= (job.opts.attempts ?? 1);
    this.logger[last ? 'warn' : 'log'](
      `contact import ${job?.data.importId} attempt ${job?.attemptsMade} failed: ${error.message}`,
    );
    if (!job || !last) return;
    const tenant = await this.tenancy.find(job.data.tenantId);
    if (!tenant) return;
    await this.db.withTenant(tenant, () => this.repository.failed(job.data.importId));
  }
}
