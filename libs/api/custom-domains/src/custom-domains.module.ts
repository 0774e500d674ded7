import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@tenantry/api-audit';
import { DomainsModule } from '@tenantry/api-domains';
import { CUSTOM_DOMAINS_QUEUE, CustomDomainsJobsProcessor } from './custom-domains-jobs.processor.js';
import { CustomDomainsController } from './custom-domains.controller.js';
import { CustomDomainsRepository } from './custom-domains.repository.js';
import { CustomDomainsService } from './custom-domains.service.js';
import { CustomHostsModule } from './custom-hosts.module.js';
import { CustomDomainEntity } from './entities/custom-domain.entity.js';
import { TlsAskController } from './tls-ask.controller.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([CustomDomainEntity]),
    BullModule.registerQueue({ name: CUSTOM_DOMAINS_QUEUE }),
    AuditModule,
    DomainsModule,
    CustomHostsModule,
  ],
  controllers: [CustomDomainsController, TlsAskController],
  providers: [CustomDomainsService, CustomDomainsRepository, CustomDomainsJobsProcessor],
  exports: [CustomDomainsService],
})
export class CustomDomainsModule {}
