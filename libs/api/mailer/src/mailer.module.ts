import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { MAIL_QUEUE } from './mail-message.js';
import { MailProcessor } from './mail.processor.js';
import { MailerService } from './mailer.service.js';

/** Needs BullModule.forRoot (the Redis connection of jobs) in the app module. */
@Module({
  imports: [BullModule.registerQueue({ name: MAIL_QUEUE })],
  providers: [MailerService, MailProcessor],
  exports: [MailerService],
})
export class MailerModule {}
