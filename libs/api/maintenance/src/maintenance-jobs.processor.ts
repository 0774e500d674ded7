import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { TenantDb, TenantsRepository } from '@tenantry/api-tenancy';
import { MailerService } from '@tenantry/api-mailer';
import { PeopleService } from '@tenantry/api-people';
import type { Job } from 'bullmq';
import { MAINTENANCE_QUEUE, MaintenanceService } from './maintenance.service.js';
import { maintenanceReminderMail } from './maintenance-mail.js';

/**
 * A window's boundaries: at its start and end every instance drops its
 * cached state at once (the state itself follows from the clock, so a late
 * job never keeps the platform down); a day before, owners and admins of
 * every live tenant are told.
 */
@Processor(MAINTENANCE_QUEUE)
export class MaintenanceJobsProcessor extends WorkerHost {
  private readonly logger = new Logger(MaintenanceJobsProcessor.name);

  constructor(
    private readonly maintenance: MaintenanceService,
    private readonly db: TenantDb,
    private readonly tenants: TenantsRepository,
    private readonly mailer: MailerService,
    private readonly people: PeopleService,
  ) {
    super();
  }

  async process(job: Job<{ windowId: string }>): Promise<void> {
    if (job.name !== 'reminder') return this.maintenance.changed();
    const next = await this.maintenance.nextOccurrence(job.data.windowId);
    if (!next) return; // removed meanwhile
    const recipients = await this.adminEmails();
    for (const email of recipients) await this.mailer.send(maintenanceReminderMail(email, next));
    this.logger.log(`maintenance reminder sent to ${recipients.length} owners and admins`);
  }

  /** Owners and admins of every live tenant, each address once (read tenant by tenant: row-level security). */
  async adminEmails(): Promise<string[]> {
    const emails = new Set<string>();
    for (const id of await this.tenants.serving()) {
      await this.db.withTenant({ id }, async () => {
        for (const email of await this.people.adminEmails()) emails.add(email);
      });
    }
    return [...emails].sort();
  }
}
