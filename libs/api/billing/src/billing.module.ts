import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@tenantry/api-audit';
import { LicensingModule } from '@tenantry/api-licensing';
import { MailerModule } from '@tenantry/api-mailer';
import { PeopleModule } from '@tenantry/api-people';
import { BillingAccountsRepository } from './billing-accounts.repository.js';
import { BillingJobsProcessor } from './billing-jobs.processor.js';
import { BillingController } from './billing.controller.js';
import { BillingService } from './billing.service.js';
import { PlatformBillingController } from './platform-billing.controller.js';
import { BillingAccountEntity } from './entities/billing-account.entity.js';
import { ProcessedWebhookEventsRepository } from './processed-webhook-events.repository.js';
import { BILLING_QUEUE, StripeEvents } from './stripe-events.js';
import { StripeGateway } from './stripe-gateway.js';
import { SubscriptionSync } from './subscription-sync.js';
import { UsageReportsRepository } from './usage-reports.repository.js';
import { UsageReporter } from './usage-reporter.js';
import { WebhooksModule } from '@tenantry/api-webhooks';

@Module({
  imports: [
    TypeOrmModule.forFeature([BillingAccountEntity]),
    BullModule.registerQueue({ name: BILLING_QUEUE }),
    AuditModule,
    MailerModule,
    LicensingModule,
    PeopleModule,
    WebhooksModule,
  ],
  controllers: [BillingController, PlatformBillingController],
  providers: [
    BillingService,
    StripeGateway,
    SubscriptionSync,
    StripeEvents,
    UsageReporter,
    BillingJobsProcessor,
    BillingAccountsRepository,
    UsageReportsRepository,
    ProcessedWebhookEventsRepository,
  ],
  exports: [BillingService],
})
export class BillingModule {}
