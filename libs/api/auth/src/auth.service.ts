import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@tenantry/api-audit';
import { AppError, RequestContext, type AuthUser, type ResolvedTenant } from '@tenantry/api-core';
import { DomainsService } from '@tenantry/api-domains';
import { type Membership, PeopleService, type User } from '@tenantry/api-people';
import { byTenantName, TenancyService, TenantDb, TenantsRepository } from '@tenantry/api-tenancy';
import {
  type AuthTokenResponse,
  ErrorCode,
  type JoinOption,
  type MeResponse,
  type MyTenant,
  type SessionInfo,
  type SessionUser,
  type TenantRole,
  type TenantSummary,
  type SlugAvailability,
} from '@tenantry/contracts';
import { AccessTokenService } from './access-token.service.js';
import { AccountEmailsService } from './account-emails.service.js';
import type { AccessTokenClaims } from './auth-user.js';
import type { ChangePasswordDto } from './dto/change-password.dto.js';
import type { LoginDto } from './dto/login.dto.js';
import { BillingService } from '@tenantry/api-billing';
import { BrandingService } from '@tenantry/api-branding';
import { MaintenanceService } from '@tenantry/api-maintenance';
import { FREE_PLAN, PlanCatalog, Trials } from '@tenantry/api-licensing';
import type { SignupDto, SignupToJoinDto } from './dto/signup.dto.js';
import { LoginThrottle } from './login-throttle.js';
import { PasswordHasher } from './password-hasher.js';
import { PendingSignups } from './pending-signups.js';
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

/** The image in a data: URL (validated by the DTO). */
const logoBytes = (dataUrl: string) => Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');

/** Signup, login, sessions, password change and the caller's identity and tenants. */
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
    private readonly accountEmails: AccountEmailsService,
    private readonly revocations: TokenRevocations,
    private readonly domains: DomainsService,
    private readonly billing: BillingService,
    private readonly trials: Trials,
    private readonly branding: BrandingService,
    private readonly maintenance: MaintenanceService,
    private readonly plans: PlanCatalog,
    private readonly pendingSignups: PendingSignups,
  ) {}

  /**
   * Takes a signup and mails its address: a link that creates the workspace
   * (confirmSignup), or, when the address has an account, a note to its owner.
   * The answer is the same either way, after the same work (the password is
   * hashed in both), and signups are limited per address: nobody learns
   * whether an address has an account. The profile (address, plan, logo) is
   * checked first, as it has nothing to do with the email.
   */
  async signup(dto: SignupDto): Promise<void> {
    await this.accountEmails.countSignup(dto.email);
    await this.checkProfile(dto);
    const { password, ...profile } = dto;
    const passwordHash = await this.hasher.hash(password);
    const existing = await this.people.userByEmail(dto.email);
    if (existing) return this.accountEmails.sendAccountExists(existing);
    await this.accountEmails.sendSignupLink(
      dto.email,
      await this.pendingSignups.add('workspace', { ...profile, passwordHash }),
    );
  }

  /** Creates the workspace of a confirmed signup and its owner (address verified) in one transaction, and signs the owner in. */
  async confirmSignup(token: string): Promise<SignedIn> {
    const signup = await this.pendingSignups.get('workspace', token);
    const tenantId = randomUUID();
    const { tenant, user, membership } = await this.db.withTenant(
      { id: tenantId, slug: signup.slug, name: signup.tenantName },
      async () => {
        const tenant = await this.tenancy.create({
          id: tenantId,
          slug: signup.slug,
          name: signup.tenantName,
          industry: signup.industry,
        });
        // The wizard's logo becomes the tenant's branding logo (shown once its plan includes custom branding).
        if (signup.logo) await this.branding.setImage('logo', logoBytes(signup.logo));
        // EMAIL_TAKEN when another signup with this address was confirmed first: only the address's owner can see this.
        const user = await this.people.createUser({
          id: randomUUID(),
          email: signup.email,
          displayName: signup.displayName,
          passwordHash: signup.passwordHash,
          emailVerifiedAt: new Date(),
        });
        const membership = await this.people.addMembership(user.id, 'owner');
        // Billed manually, a plan chosen at signup starts as its trial (with Stripe, Checkout follows instead).
        if (signup.plan && signup.plan !== FREE_PLAN && !this.billing.stripeMode) await this.trials.start(signup.plan);
        return { tenant, user, membership };
      },
    );
    await this.pendingSignups.remove('workspace', token);
    // After the commit: the session row references the new user.
    const signedIn = await this.signIn(user, await this.sessions.start(user.id), tenant, membership);
    // Stripe mode: the customer is made by a job; checkout makes it itself when the job has not run.
    await this.billing
      .tenantCreated(tenant)
      .catch((error: Error) => this.logger.warn(`billing customer job not queued: ${error.message}`));
    return signedIn;
  }

  /** Refuses, before anything is mailed, a signup whose workspace could not be made: a taken address, an unknown plan, a logo that is no image. */
  private async checkProfile(dto: SignupDto): Promise<void> {
    const slug = await this.tenancy.slugAvailability(dto.slug);
    if (!slug.available)
      throw new AppError(
        ErrorCode.SLUG_TAKEN,
        slug.reason === 'reserved' ? { slug: dto.slug, reason: 'reserved' } : { slug: dto.slug },
      );
    if (dto.plan && dto.plan !== FREE_PLAN && !this.billing.stripeMode) {
      const plan = await this.plans.get(dto.plan);
      if (plan.trialDays === 0) throw new AppError(ErrorCode.TRIAL_NOT_AVAILABLE, { reason: 'no_trial' });
    }
    if (dto.logo) this.branding.assertImage(logoBytes(dto.logo));
  }

  slugAvailability(slug: string): Promise<SlugAvailability> {
    return this.tenancy.slugAvailability(slug);
  }

  /** Tenants a person signing up may join instead of creating one: those that let people of the email's domain in. */
  signupOptions(email: string): Promise<JoinOption[]> {
    return this.domains.joinableTenants(email.split('@')[1] ?? '');
  }

  /**
   * A signup to join a tenant that lets people of its email's domain in,
   * instead of creating one. Like a workspace signup, nothing is written
   * before the address is confirmed: the mailed link (opening at that
   * tenant's address) carries the account's password, so each signup's link
   * sets its own, and nobody sets a password for an address they cannot read.
   * An address with an account gets the note to its owner instead.
   */
  async signupToJoin(dto: SignupToJoinDto): Promise<void> {
    const email = dto.email;
    await this.accountEmails.countSignup(email);
    const option = (await this.signupOptions(email)).find((o) => o.tenant.id === dto.tenantId);
    if (!option) throw new AppError(ErrorCode.JOIN_NOT_ALLOWED);
    const { password, ...profile } = dto;
    const passwordHash = await this.hasher.hash(password);
    const existing = await this.people.userByEmail(email);
    if (existing && (existing.emailVerifiedAt || (await this.myTenants({ userId: existing.id })).length > 0))
      return this.accountEmails.sendAccountExists(existing);
    await this.accountEmails.sendJoinLink(
      email,
      option.tenant,
      await this.pendingSignups.add('join', { ...profile, passwordHash }),
    );
  }

  /**
   * The account of a signup to join, from its mailed link opened at that
   * tenant's address (null when the token is no such link): made now with the
   * link's password and its address confirmed. An older unconfirmed account
   * in no workspace takes the link's password too.
   */
  async confirmSignupToJoin(token: string): Promise<string | null> {
    const signup = await this.pendingSignups.find('join', token);
    if (!signup) return null;
    if (RequestContext.current()?.tenant?.id !== signup.tenantId) throw new AppError(ErrorCode.TOKEN_INVALID);
    // Committed before the join, which runs in a transaction of its own.
    const userId = await this.db.withTenant(RequestContext.current()!.tenant!, async () => {
      const values = {
        email: signup.email,
        displayName: signup.displayName,
        passwordHash: signup.passwordHash,
        emailVerifiedAt: new Date(),
      };
      const existing = await this.people.userByEmail(signup.email);
      if (existing) {
        // Confirmed since, or a member somewhere: only the address's owner can see this.
        if (existing.emailVerifiedAt || (await this.myTenants({ userId: existing.id })).length > 0)
          throw new AppError(ErrorCode.EMAIL_TAKEN);
        await this.people.updateUser(existing.id, values);
        return existing.id;
      }
      return (await this.people.createUser({ ...values, id: randomUUID() })).id;
    });
    await this.pendingSignups.remove('join', token);
    return userId;
  }

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
