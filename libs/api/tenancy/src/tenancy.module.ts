import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@tenantry/api-core';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TenantEntity } from './entities/tenant.entity.js';
import { PlatformDatabase } from './platform-database.js';
import { TenancyService } from './tenancy.service.js';
import { TenantDataSources } from './tenant-data-sources.js';
import { TenantDb } from './tenant-db.js';
import { TenantResolverMiddleware } from './tenant-resolver.middleware.js';
import { TenantTransactionInterceptor } from './tenant-transaction.interceptor.js';
import { TenantsRepository } from './tenants.repository.js';
import { TenantEntitlementsRepository } from './tenant-entitlements.repository.js';
import { TenantBillingRepository } from './tenant-billing.repository.js';
import { TenantStatsRepository } from './tenant-stats.repository.js';

/** What the tenancy core offers every module (the module is global). */
const PUBLIC = [
  TenantDb,
  TenantDataSources,
  TenancyService,
  TenantsRepository,
  TenantEntitlementsRepository,
  TenantBillingRepository,
  TenantStatsRepository,
  TenantResolverMiddleware,
];

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([TenantEntity])],
  providers: [
    ...PUBLIC,
    {
      provide: PlatformDatabase,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) =>
        new PlatformDatabase(config.get('database', { infer: true }).platformUrl),
    },
    { provide: APP_INTERCEPTOR, useClass: TenantTransactionInterceptor },
  ],
  exports: [...PUBLIC, PlatformDatabase],
})
export class TenancyModule {}
