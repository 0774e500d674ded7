import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@tenantry/api-audit';
import { DomainVerifier } from './domain-verifier.js';
import { DomainsController } from './domains.controller.js';
import { DomainsRepository } from './domains.repository.js';
import { DomainsService } from './domains.service.js';
import { VerifiedDomainEntity } from './entities/verified-domain.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([VerifiedDomainEntity]), AuditModule],
  controllers: [DomainsController],
  providers: [DomainsService, DomainsRepository, DomainVerifier],
  exports: [DomainsService, DomainVerifier],
})
export class DomainsModule {}
