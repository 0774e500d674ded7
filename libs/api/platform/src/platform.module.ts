import { Module } from '@nestjs/common';
import { AuditModule } from '@tenantry/api-audit';
import { AuthModule } from '@tenantry/api-auth';
import { BillingModule } from '@tenantry/api-billing';
import { BrandingModule } from '@tenantry/api-branding';
import { CustomDomainsModule } from '@tenantry/api-custom-domains';
import { DomainsModule } from '@tenantry/api-domains';
import { FeaturesModule } from '@tenantry/api-features';
import { LicensingModule } from '@tenantry/api-licensing';
import { PeopleModule } from '@tenantry/api-people';
import { SsoModule } from '@tenantry/api-sso';
import { DedicatedDatabasesController } from './dedicated-databases.controller.js';
import { PlatformTenantsController } from './platform-tenants.controller.js';
import { PlatformTenantsService } from './platform-tenants.service.js';

@Module({
  imports: [
    AuditModule,
    AuthModule,
    BillingModule,
    BrandingModule,
    CustomDomainsModule,
    DomainsModule,
    FeaturesModule,
    LicensingModule,
    PeopleModule,
    SsoModule,
  ],
  controllers: [PlatformTenantsController, DedicatedDatabasesController],
  providers: [PlatformTenantsService],
  exports: [PlatformTenantsService],
})
export class PlatformModule {}
