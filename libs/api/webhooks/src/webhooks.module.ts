import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AuditModule } from '@tenantry/api-audit';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksProcessor } from './webhooks.processor.js';
import { WebhooksRepository } from './webhooks.repository.js';
import { WEBHOOKS_QUEUE, WebhooksService } from './webhooks.service.js';

@Module({
  imports: [BullModule.registerQueue({ name: WEBHOOKS_QUEUE }), AuditModule],
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhooksRepository, WebhooksProcessor],
  exports: [WebhooksService],
})
export class WebhooksModule {}
