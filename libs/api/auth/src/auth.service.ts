import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@tenantry/api-audit';
import { AppError, RequestContext, type AuthUser, type ResolvedTenant } from '@tenantry/api-core';
import { DomainsService } from '@tenantry/api-domains';
import { type Membership, PeopleService, type User } from '@tenantry/api-people';
import { byTenantName, TenancyService, TenantDb, TenantsRepository } from '@tenantry/api-tenancy';
import {
  type AuthTokenResponse,
  ErrorCode,
  type MeResponse,
  type MyTenant,
  type SessionInfo,
  type SessionUser,
  type TenantRole,
  type TenantSummary,
} from '@tenantry/contracts';
import { AccessTokenService } from './access-token.service.js';
import type { AccessTokenClaims } from './auth-user.js';
import type { ChangePasswordDto } from './dto/change-password.dto.js';
import type { LoginDto } from './dto/login.dto.js';
import { MaintenanceService } from '@tenantry/api-maintenance';
import { LoginThrottle } from './login-throttle.js';
import { PasswordHasher } from './password-hasher.js';
import { type IssuedRefreshToken, SessionService } from './session.service.js';
import type { VerifiedIdentity } from './sign-in.guard.js';
import { TokenRevocations } from './token-revocations.js';

/** What a sign-in produces: the answer's body, and the refresh token for the cookie. */
export interface SignedIn {
  body: AuthTokenResponse;
  refresh: IssuedRefreshToken;
}

function toSessionUser(user: User): SessionUser {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    platformRole: user.platformRole,
    emailVerified: user.emailVerifiedAt !== null,
  };
}

const READ_ONLY_LICENSES = new Set(['expired', 'suspended']);

const summary = (t: TenantSummary): TenantSummary => ({ id: t.id, slug: t.slug, name: t.name });

/** Login, sessions, password change and the caller's identity and tenants (signup: SignupService). */
@Injectable()
export class AuthService {
  private readonly hasher = new PasswordHasher();
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly db: TenantDb,
    private readonly people: PeopleService,
    private readonly tenancy: TenancyService,
    private readonly tenants: TenantsRepository,
    private readonly tokens: AccessTokenService,
    private readonly sessions: SessionService,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
    private readonly revocations: TokenRevocations,
    private readonly domains: DomainsService,
    private readonly maintenance: MaintenanceService,
  ) {}

  /**
   * Signs a user in to the resolved tenant (without a tenant, only platform
   * super admins). Unknown email, wrong password and "not a member" give the
   * same answer after the same work; failures count towards the account's and
   * the address's lockout, which refuses even the right password.
   */
  async login(dto: LoginDto): Promise<SignedIn> {
    const state = RequestContext.current();
    const tenant = state?.tenant;
    const email = dto.email;
    const attempt = await this.throttle.begin(email, state?.ip);
    const user = await this.people.userByEmail(email);
    const valid = await this.hasher.verify(user?.passwordHash ?? null, dto.password);
    const membership = tenant && user ? await this.people.membershipOf(user.id) : null;
    if (!user || !valid || (tenant ? !membership : user.platformRole !== 'super_admin')) {
      await attempt.failed();
      await this.audit.recordFailure({
        action: 'auth.login_failed',
        actor: { userId: membership ? user!.id : null, label: email },
      });
      // "Choose a workspace" only for someone in one: an account in none (a signup to join, not yet confirmed) has
      // the password its creator chose, which would otherwise tell them that the address had no account before.
      if (!tenant && user && valid && (await this.myTenants({ userId: user.id })).length > 0)
        throw new AppError(ErrorCode.TENANT_REQUIRED);
      throw new AppError(ErrorCode.INVALID_CREDENTIALS);
    }
    await attempt.succeeded();
    if (this.hasher.needsRehash(user.passwordHash!))
      await this.people.updateUser(user.id, { passwordHash: await this.hasher.hash(dto.password) });
    return this.startSession(user, tenant ?? null, membership, 'password');
  }

  /**
   * Signs in, to the resolved tenant, someone another sign-in method proved
   * (the VerifiedIdentity its Passport strategy returned), as a password
   * sign-in does from there on: members only (without a tenant, super admins).
   */
  async signInVerified(identity: VerifiedIdentity): Promise<SignedIn> {
    const tenant = RequestContext.current()?.tenant ?? null;
    const user = await this.people.userById(identity.userId);
    if (!user) throw new AppError(ErrorCode.UNAUTHENTICATED);
    const membership = tenant ? await this.people.membershipOf(user.id) : null;
    if (tenant && !membership) throw new AppError(ErrorCode.NOT_A_MEMBER);
    if (!tenant && user.platformRole !== 'super_admin') throw new AppError(ErrorCode.TENANT_REQUIRED);
    return this.startSession(user, tenant, membership, identity.method);
  }

  /** The end of every sign-in method but SSO's: maintenance and a required SSO refuse, then a new session. */
  private async startSession(
    user: User,
    tenant: TenantSummary | null,
    membership: Membership | null,
    method: string,
  ): Promise<SignedIn> {
    // During maintenance only operators get in (the refusal says until when).
    if (user.platformRole !== 'super_admin') await this.maintenance.refuseIfActive();
    // Owners keep their password (or another method) as a way in when the identity provider breaks.
    const sso = membership && membership.role !== 'owner' ? await this.domains.ssoRequiredFor(user.email) : null;
    const byPassword = method === 'password';
    if (sso) {
      await this.audit.recordFailure({
        action: 'auth.login_failed',
        actor: { userId: user.id, label: user.email },
        metadata: byPassword ? { reason: 'sso_required' } : { reason: 'sso_required', method },
      });
      throw new AppError(ErrorCode.SSO_REQUIRED, { loginUrl: sso.loginUrl });
    }
    const state = RequestContext.current();
    if (state) state.userId = user.id;
    if (tenant)
      await this.audit.record({
        action: 'auth.login_succeeded',
        actor: { userId: user.id, label: user.email },
        ...(byPassword ? {} : { metadata: { method } }),
      });
    return this.signIn(user, await this.sessions.start(user.id), tenant, membership);
  }

  /**
   * Exchanges the refresh token for a new one and a new access token for the
   * resolved tenant (membership checked first, so a refused refresh never
   * consumes the token).
   */
  async refresh(refreshToken: string | undefined): Promise<SignedIn> {
    if (!refreshToken) throw new AppError(ErrorCode.REFRESH_TOKEN_INVALID);
    const state = RequestContext.current();
    const tenant = state?.tenant ?? null;
    const session = await this.sessions.findByToken(refreshToken);
    if (!session) throw new AppError(ErrorCode.REFRESH_TOKEN_INVALID);
    const user = await this.people.userById(session.userId);
    if (!user) throw new AppError(ErrorCode.REFRESH_TOKEN_INVALID);
    if (state) state.userId = user.id;
    const membership = tenant ? await this.people.membershipOf(user.id) : null;
    if (tenant && !membership) throw new AppError(ErrorCode.NOT_A_MEMBER);
    if (!tenant && user.platformRole !== 'super_admin') throw new AppError(ErrorCode.TENANT_REQUIRED);
    this.sessions.assertValidIn(session, tenant);

    const issued = await this.sessions.rotate(refreshToken, async (reused) => {
      this.logger.warn(`refresh token reused: session ${reused.id} of user ${reused.userId} revoked`);
      await this.audit.recordFailure({
        action: 'auth.refresh_reused',
        actor: { userId: reused.userId, label: user.email },
        target: { type: 'session', id: reused.id },
      });
    });
    return this.signIn(user, issued, tenant, membership);
  }

  /** Ends the session of the refresh token, if it is still live. */
  async logout(refreshToken: string | undefined): Promise<void> {
    const session = refreshToken ? await this.sessions.findByToken(refreshToken) : null;
    if (!session || session.revokedAt) return;
    await this.sessions.revoke(session.userId, session.id, 'logout');
    await this.recordIfTenant({
      action: 'auth.logout',
      actor: { userId: session.userId, label: null },
      target: { type: 'session', id: session.id },
    });
  }

  /** Ends every session of the caller, this one included. */
  async logoutAll(auth: AuthUser): Promise<void> {
    const ended = await this.sessions.revokeAll(auth.userId, 'logout_all');
    await this.recordIfTenant({ action: 'auth.logout_all', metadata: { sessionsEnded: ended } });
  }

  listSessions(auth: AuthUser): Promise<SessionInfo[]> {
    return this.sessions.list(auth.userId, auth.sessionId);
  }

  async revokeSession(auth: AuthUser, sessionId: string): Promise<void> {
    await this.sessions.revoke(auth.userId, sessionId, 'revoked');
    await this.recordIfTenant({ action: 'auth.session_revoked', target: { type: 'session', id: sessionId } });
  }

  /** Checks the current password (throttled like a login), sets the new one and ends the caller's other sessions. */
  async changePassword(auth: AuthUser, dto: ChangePasswordDto): Promise<void> {
    const user = await this.people.userById(auth.userId);
    if (!user) throw new AppError(ErrorCode.UNAUTHENTICATED);
    const attempt = await this.throttle.begin(user.email, RequestContext.current()?.ip);
    if (!(await this.hasher.verify(user.passwordHash, dto.currentPassword))) {
      await attempt.failed();
      throw new AppError(ErrorCode.WRONG_PASSWORD);
    }
    await attempt.succeeded();
    await this.people.updateUser(user.id, { passwordHash: await this.hasher.hash(dto.newPassword) });
    const ended = await this.sessions.revokeAll(user.id, 'password_changed', auth.sessionId);
    await this.recordIfTenant({
      action: 'auth.password_changed',
      actor: { userId: user.id, label: user.email },
      metadata: { otherSessionsEnded: ended },
    });
  }

  async me(auth: AuthUser): Promise<MeResponse> {
    const user = await this.people.userById(auth.userId);
    if (!user) throw new AppError(ErrorCode.UNAUTHENTICATED);
    const tenant = RequestContext.current()?.tenant;
    let role: TenantRole | null = null;
    if (tenant) {
      const membership = await this.people.membershipOf(user.id);
      if (!membership) throw new AppError(ErrorCode.UNAUTHENTICATED);
      role = membership.role;
    }
    return { user: toSessionUser(user), tenant: tenant ? summary(tenant) : null, role };
  }

  /** Every live tenant the caller belongs to, with their role there. */
  async myTenants(auth: Pick<AuthUser, 'userId'>): Promise<MyTenant[]> {
    const memberships = await this.people.tenantsOf(auth.userId);
    return (await this.tenants.withTenants(memberships, (ms) => ms.tenantId, { serving: true }))
      .map(({ row, tenant }) => ({ tenant, role: row.role }))
      .sort(byTenantName);
  }

  /** A new access token, in the same session, for another tenant the caller belongs to. */
  async switchTenant(auth: AuthUser, slugOrId: string): Promise<AuthTokenResponse> {
    const target = await this.tenancy.find(slugOrId);
    if (!target) throw new AppError(ErrorCode.TENANT_NOT_FOUND);
    if (target.status === 'suspended' || target.status === 'cancelled')
      throw new AppError(ErrorCode.TENANT_SUSPENDED, { status: target.status });
    const user = await this.people.userById(auth.userId);
    if (!user) throw new AppError(ErrorCode.UNAUTHENTICATED);
    const membership = await this.db.withTenant(target, () => this.people.membershipOf(user.id));
    if (!membership) throw new AppError(ErrorCode.NOT_A_MEMBER);
    const session = await this.sessions.find(auth.sessionId);
    if (!session) throw new AppError(ErrorCode.UNAUTHENTICATED);
    this.sessions.assertValidIn(session, target);
    return this.accessToken(user, auth.sessionId, target, membership);
  }

  /**
   * Starts a session for a user who just proved who they are another way, in
   * the resolved tenant: an accepted invitation, or the tenant's identity
   * provider (`sso`), whose session is then valid in this tenant only.
   */
  async signInMember(user: User, membership: Membership, { sso = false }: { sso?: boolean } = {}): Promise<SignedIn> {
    const tenant = RequestContext.current()?.tenant;
    if (!tenant) throw new AppError(ErrorCode.TENANT_REQUIRED);
    const state = RequestContext.current();
    if (state) state.userId = user.id;
    return this.signIn(user, await this.sessions.start(user.id, sso ? tenant.id : null), tenant, membership);
  }

  /**
   * Starts a session for the owner of a workspace signup just made: the
   * signup's link opens on the platform's host, so no tenant is resolved.
   */
  async signInNewOwner(user: User, tenant: TenantSummary, membership: Membership): Promise<SignedIn> {
    return this.signIn(user, await this.sessions.start(user.id), tenant, membership);
  }

  /**
   * An access token for a super admin acting as `userId` in `tenant`: the
   * user's role there, `act` naming the admin, `sid` the impersonation (ending
   * it revokes the token), valid until `expiresAt`, and no refresh token.
   */
  async impersonationToken(
    actor: { id: string; email: string },
    userId: string,
    tenant: TenantSummary,
    impersonation: { id: string; reason: string; expiresAt: Date },
  ): Promise<AuthTokenResponse> {
    const user = await this.people.userById(userId);
    const membership = await this.db.withTenant(tenant, () => this.people.membershipOf(userId));
    if (!user || !membership)
      throw new AppError(ErrorCode.CANNOT_IMPERSONATE, { reason: 'not a member of the tenant' });
    const ttl = Math.floor((impersonation.expiresAt.getTime() - Date.now()) / 1000);
    const body = await this.accessToken(user, impersonation.id, tenant, membership, { act: { sub: actor.id }, ttl });
    return {
      ...body,
      impersonation: {
        id: impersonation.id,
        actor,
        reason: impersonation.reason,
        expiresAt: impersonation.expiresAt.toISOString(),
      },
    };
  }

  /** Revokes an impersonation's token (its `sid` is the impersonation id). */
  async endImpersonation(impersonationId: string): Promise<void> {
    await this.revocations.revokeSessions([impersonationId]);
  }

  private async signIn(
    user: User,
    refresh: IssuedRefreshToken,
    tenant: TenantSummary | null,
    membership: Membership | null,
  ): Promise<SignedIn> {
    return { body: await this.accessToken(user, refresh.sessionId, tenant, membership), refresh };
  }

  /** The one place access tokens are made; an impersonation adds its actor and a shorter life. */
  private async accessToken(
    user: User,
    sessionId: string,
    tenant: TenantSummary | null,
    membership: Membership | null,
    impersonation?: { act: { sub: string }; ttl: number },
  ): Promise<AuthTokenResponse> {
    const claims: AccessTokenClaims = { sub: user.id, sid: sessionId };
    if (tenant && membership)
      Object.assign(claims, { tid: tenant.id, role: membership.role, mv: membership.updatedAt.getTime() });
    // An operator acting as someone carries only that person's rights, never the platform role.
    if (impersonation) claims.act = impersonation.act;
    else if (user.platformRole !== 'none') claims.plat = user.platformRole;
    const ttl = impersonation?.ttl ?? this.tokens.ttlSeconds;
    return {
      accessToken: await this.tokens.sign(claims, ttl),
      expiresIn: ttl,
      tenant: tenant && membership ? summary(tenant) : null,
      role: membership?.role ?? null,
      user: toSessionUser(user),
      readOnly:
        !!tenant &&
        membership !== null &&
        READ_ONLY_LICENSES.has((tenant as Partial<ResolvedTenant>).licenseStatus ?? ''),
    };
  }

  /** Audit entries belong to a tenant: events outside one (platform sign-ins) are only logged. */
  private async recordIfTenant(entry: Parameters<AuditService['record']>[0]): Promise<void> {
    if (RequestContext.current()?.tenant) await this.audit.record(entry);
    else this.logger.log(`${entry.action} (no tenant)`);
  }
}
