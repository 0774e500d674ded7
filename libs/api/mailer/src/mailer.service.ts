import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { MAIL_QUEUE, type MailMessage } from './mail-message.js';

/**
 * Sends email through a BullMQ job: the request that asks for it does not
 * wait for the SMTP server, and a failed delivery is retried with backoff
 * (5 tries over about a minute) by whichever API instance is free.
 */
@Injectable()
export class MailerService {
  constructor(@InjectQueue(MAIL_QUEUE) private readonly queue: Queue<MailMessage>) {}

  async send(message: MailMessage): Promise<void> {
    await this.queue.add('send', message, {
      attempts: 5,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: 1000,
      removeOnFail: 5000,
    });
  }
}
