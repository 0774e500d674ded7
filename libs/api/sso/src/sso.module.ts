import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@tenantry/api-audit';
import { AuthModule } from '@tenantry/api-auth';
import { DomainsModule } from '@tenantry/api-domains';
import { MailerModule } from '@tenantry/api-mailer';
import { PeopleModule } from '@tenantry/api-people';
import { SsoConnectionEntity } from './entities/sso-connection.entity.js';
import { SamlStrategy } from './saml.strategy.js';
import { SsoAccountLinksController } from './sso-account-links.controller.js';
import { SsoAccountLinksRepository } from './sso-account-links.repository.js';
import { SsoAccountLinksService } from './sso-account-links.service.js';
import { SsoConnectionLookupModule } from './sso-connection-lookup.module.js';
import { SsoLoginController } from './sso-login.controller.js';
import { SsoLoginService } from './sso-login.service.js';
import { SsoRequestStore } from './sso-request-store.js';
import { SsoThrottle } from './sso-throttle.js';
import { SsoController } from './sso.controller.js';
import { SsoService } from './sso.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([SsoConnectionEntity]),
    AuditModule,
    DomainsModule,
    AuthModule,
    MailerModule,
    PeopleModule,
    SsoConnectionLookupModule,
  ],
  controllers: [SsoController, SsoLoginController, SsoAccountLinksController],
  providers: [
    SsoService,
    SsoLoginService,
    SamlStrategy,
    SsoRequestStore,
    SsoAccountLinksService,
    SsoAccountLinksRepository,
    SsoThrottle,
  ],
  exports: [SsoService],
})
export class SsoModule {}
