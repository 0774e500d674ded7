import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@tenantry/api-core';
import type { Job } from 'bullmq';
import { createTransport, type Transporter } from 'nodemailer';
import { brandedHtml } from './mail-html.js';
import { MAIL_QUEUE, type MailMessage } from './mail-message.js';

/** Delivers queued mail over SMTP; a thrown error makes BullMQ retry the job. */
@Processor(MAIL_QUEUE)
export class MailProcessor extends WorkerHost implements OnApplicationShutdown {
  private readonly logger = new Logger(MailProcessor.name);
  private readonly transport: Transporter;
  private readonly from: string;

  constructor(@Inject(ConfigService) config: ConfigService<AppConfig, true>) {
    super();
    const mail = config.get('mail', { infer: true });
    this.transport = createTransport(mail.smtpUrl);
    this.from = mail.from;
  }

  async process(job: Job<MailMessage>): Promise<void> {
    const { to, subject, text, fromName, brand } = job.data;
    const html = job.data.html ?? (brand ? brandedHtml(text, brand) : undefined);
    const address = this.from.match(/<([^>]+)>/)?.[1] ?? this.from;
    await this.transport.sendMail({
      from: fromName ? { name: fromName, address } : this.from,
      to,
      subject,
      text,
      html,
    });
    // Recipient, subject (names) and body (single-use links) are personal or secret: log none of them.
    this.logger.log(`mail delivered (job ${job.id}, attempt ${job.attemptsMade + 1})`);
  }

  /** After the workers stopped (a mail being sent at SIGTERM is finished first). */
  onApplicationShutdown(): void {
    this.transport.close();
  }
}
