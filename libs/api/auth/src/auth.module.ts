import { Module } from '@nestjs/common';
import { BrandingModule } from '@tenantry/api-branding';
import { MaintenanceModule } from '@tenantry/api-maintenance';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeysModule } from '@tenantry/api-api-keys';
import { AuditModule } from '@tenantry/api-audit';
import { DomainsModule } from '@tenantry/api-domains';
import { BillingModule } from '@tenantry/api-billing';
import { LicensingModule } from '@tenantry/api-licensing';
import { MailerModule } from '@tenantry/api-mailer';
import { PeopleModule } from '@tenantry/api-people';
import { ApiKeyStrategy } from './api-key.strategy.js';
import { AppPassport } from './app-passport.js';
import { AuthenticationGuard } from './authentication.guard.js';
import { AccessTokenService } from './access-token.service.js';
import { AccountEmailsService } from './account-emails.service.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { SessionEntity } from './entities/session.entity.js';
import { InvitationsController } from './invitations.controller.js';
import { InvitationsService } from './invitations.service.js';
import { JwtStrategy } from './jwt.strategy.js';
import { LoginThrottle } from './login-throttle.js';
import { MeController } from './me.controller.js';
import { MembersController } from './members.controller.js';
import { MembersService } from './members.service.js';
import { PendingSignups } from './pending-signups.js';
import { PermissionGuard } from './permission.guard.js';
import { RefreshCookie } from './refresh-cookie.js';
import { SessionService } from './session.service.js';
import { SessionsRepository } from './sessions.repository.js';
import { UserTokensRepository } from './user-tokens.repository.js';
import { SignupService } from './signup.service.js';
import { TokenRevocations } from './token-revocations.js';
import { WebhooksModule } from '@tenantry/api-webhooks';

@Module({
  imports: [
    TypeOrmModule.forFeature([SessionEntity]),
    PeopleModule,
    AuditModule,
    MailerModule,
    ApiKeysModule,
    DomainsModule,
    LicensingModule,
    BillingModule,
    BrandingModule,
    MaintenanceModule,
    WebhooksModule,
  ],
  controllers: [AuthController, MeController, MembersController, InvitationsController],
  providers: [
    AuthService,
    AccessTokenService,
    TokenRevocations,
    SessionService,
    SessionsRepository,
    UserTokensRepository,
    LoginThrottle,
    MembersService,
    InvitationsService,
    AccountEmailsService,
    SignupService,
    PendingSignups,
    RefreshCookie,
    // How requests authenticate (sign-in methods add theirs in their own modules).
    AppPassport,
    ApiKeyStrategy,
    JwtStrategy,
    // The app runs them as global guards, in its order (AppModule).
    AuthenticationGuard,
    PermissionGuard,
  ],
  exports: [
    AuthenticationGuard,
    PermissionGuard,
    AuthService,
    MembersService,
    RefreshCookie,
    InvitationsService,
    AccessTokenService,
    TokenRevocations,
    AppPassport,
    SessionService,
  ],
})
export class AuthModule {}
