import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { MAIL_QUEUE, type MailBrand, type MailMessage } from './mail-message.js';
import { assertQueueReachable } from '@tenantry/api-core';

/**
 * Sends email through a BullMQ job: the request that asks for it does not
 * wait for the SMTP server, and a failed delivery is retried with backoff
 * (5 tries over about a minute) by whichever API instance is free.
 */
@Injectable()
export class MailerService {
  private readonly logger = new Logger(MailerService.name);
  private brandOf: (() => Promise<MailBrand | null>) | null = null;

  constructor(@InjectQueue(MAIL_QUEUE) private readonly queue: Queue<MailMessage>) {}

  /** Where the current tenant's email branding comes from (the branding module registers itself). */
  brandWith(source: () => Promise<MailBrand | null>): void {
    this.brandOf = source;
  }

  async send(message: MailMessage): Promise<void> {
    // A branding look-up that fails must not cost the email: it goes out plain.
    const brand =
      message.brand ??
      (await this.brandOf?.().catch(
        (error: Error) => void this.logger.warn(`mail branding skipped: ${error.message}`),
      )) ??
      undefined;
    await assertQueueReachable(this.queue);
    await this.queue.add('send', brand ? { ...message, fromName: brand.fromName, brand } : message, {
      attempts: 5,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: 1000,
      removeOnFail: 5000,
    });
  }
}
