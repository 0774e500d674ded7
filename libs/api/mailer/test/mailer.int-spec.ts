import 'reflect-metadata';
import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { ConfigModule } from '@nestjs/config';
import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig, redisConnectionOptions } from '@tenantry/api-core';
import type { Queue } from 'bullmq';
import { TestMailbox } from '@tenantry/testing/mailbox';
import { until } from '@tenantry/testing/until';
import { MailerModule, MailerService } from '../src/index.js';
import { MAIL_QUEUE } from '../src/mail-message.js';

/** The mailer alone, on real Redis (queue `prefix` of its own) and the given SMTP server. */
async function mailerWith(smtpUrl: string, prefix: string): Promise<INestApplicationContext> {
  const config = loadConfig({
    JWT_SECRET: 'x'.repeat(32),
    SMTP_URL: smtpUrl,
    MAIL_FROM: 'Tenantry <no-reply@tenantry.test>',
  });
  @Module({
    imports: [
      ConfigModule.forRoot({ isGlobal: true, load: [() => config], ignoreEnvFile: true }),
      BullModule.forRoot({ connection: redisConnectionOptions(config.redis.url), prefix }),
      MailerModule,
    ],
  })
  class MailerTestModule {}
  return NestFactory.createApplicationContext(MailerTestModule, { logger: false });
}

describe('MailerService', () => {
  it('delivers a queued message over SMTP, in the sender name given', async () => {
    const mailbox = await new TestMailbox().start();
    const module = await mailerWith(mailbox.url, `test-mail-${process.pid}-a`);
    try {
      await module.get(MailerService).send({
        to: 'ada@acme.test',
        subject: 'Welcome',
        text: 'Open https://acme.example.test/x',
        fromName: 'Acme via Tenantry',
      });
      const mail = await mailbox.waitFor('ada@acme.test');
      expect(mail).toMatchObject({
        subject: 'Welcome',
        from: '"Acme via Tenantry" <no-reply@tenantry.test>',
        links: ['https://acme.example.test/x'],
      });
    } finally {
      await module.close();
      await mailbox.stop();
    }
  });

  it('retries while the SMTP server is down, and delivers once it is back', async () => {
    const probe = await new TestMailbox().start();
    const port = probe.port;
    await probe.stop(); // nothing listens there now
    const module = await mailerWith(`smtp://127.0.0.1:${port}`, `test-mail-${process.pid}-b`);
    const mailbox = new TestMailbox();
    try {
      await module.get(MailerService).send({ to: 'grace@acme.test', subject: 'Retry me', text: 'hello' });
      const queue = module.get<Queue>(getQueueToken(MAIL_QUEUE));
      await until(
        'the first attempt failed and a retry is due later',
        () => queue.getJobCounts('delayed'),
        (counts) => counts.delayed === 1,
        5_000,
      );
      expect(mailbox.messages).toHaveLength(0);
      await mailbox.start(port);
      expect((await mailbox.waitFor('grace@acme.test')).subject).toBe('Retry me');
      expect(mailbox.messages).toHaveLength(1);
    } finally {
      await module.close();
      await mailbox.stop();
    }
  });
});
