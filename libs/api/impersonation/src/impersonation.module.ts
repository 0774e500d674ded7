import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@tenantry/api-audit';
import { AuthModule } from '@tenantry/api-auth';
import { PeopleModule } from '@tenantry/api-people';
import { ImpersonationEntity } from './entities/impersonation.entity.js';
import { ImpersonationAuditInterceptor } from './impersonation-audit.interceptor.js';
import { ImpersonationController } from './impersonation.controller.js';
import { ImpersonationService } from './impersonation.service.js';
import { ImpersonationsRepository } from './impersonations.repository.js';
import { PlatformController } from './platform.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([ImpersonationEntity]), AuditModule, AuthModule, PeopleModule],
  controllers: [PlatformController, ImpersonationController],
  // Registered after the tenancy module's interceptor: it runs inside the request's transaction.
  providers: [
    ImpersonationService,
    ImpersonationsRepository,
    { provide: APP_INTERCEPTOR, useClass: ImpersonationAuditInterceptor },
  ],
  exports: [ImpersonationService],
})
export class ImpersonationModule {}
