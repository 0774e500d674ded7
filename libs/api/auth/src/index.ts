export { AuthModule } from './auth.module.js';
export { AuthService } from './auth.service.js';
export { PasswordHasher } from './password-hasher.js';
export { MembersService, type SsoIdentity } from './members.service.js';
export { RefreshCookie } from './refresh-cookie.js';
export type { SignedIn } from './auth.service.js';
export { InvitationsService } from './invitations.service.js';
// The realtime gateway authenticates sockets with them.
export { AccessTokenService, IMPERSONATION_MAX_SECONDS, type VerifiedAccessToken } from './access-token.service.js';
export { TokenRevocations } from './token-revocations.js';
// The platform console counts active people from their sessions.
export { SessionService } from './session.service.js';
// Sign-in methods as Passport strategies (see docs/building-on-tenantry.md).
export { AppPassport } from './app-passport.js';
export { Identity, SignInGuard, type VerifiedIdentity } from './sign-in.guard.js';
export { AuthenticationGuard } from './authentication.guard.js';
export { PermissionGuard } from './permission.guard.js';
