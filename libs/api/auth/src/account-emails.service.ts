import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '@tenantry/api-audit';
import { ConfigService } from '@nestjs/config';
import {
  addressKey,
  type AppConfig,
  AppError,
  hashToken as hash,
  rateLimited,
  REDIS,
  RequestContext,
} from '@tenantry/api-core';
import { MailerService } from '@tenantry/api-mailer';
import { PeopleService, type User } from '@tenantry/api-people';
import { TenancyService } from '@tenantry/api-tenancy';
import { ErrorCode, type TenantSummary } from '@tenantry/contracts';
import type { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { accountExistsMail, passwordResetMail, signupLinkMail, verificationMail } from './mail-templates.js';
import { PENDING_SIGNUP_HOURS } from './pending-signups.js';
import { PasswordHasher } from './password-hasher.js';
import { SessionService } from './session.service.js';
import { UserTokensRepository } from './user-tokens.repository.js';

type Purpose = 'password_reset' | 'email_verification';
const RESET_MINUTES = 30;
const VERIFY_DAYS = 7;

/**
 * Single-use links sent by email: password reset (30 minutes) and email
 * verification (7 days). Only hashes are stored; a new link of a kind ends
 * the older ones. Asking for a reset answers the same whether or not the
 * address has an account, and is limited per address and per sender.
 */
@Injectable()
export class AccountEmailsService {
  private readonly hasher = new PasswordHasher();
  private readonly requestsByEmail: RateLimiterRedis;
  private readonly requestsByIp: RateLimiterRedis;
  private readonly signupsByEmail: RateLimiterRedis;
  private readonly signupsByIp: RateLimiterRedis;

  constructor(
    private readonly tokens: UserTokensRepository,
    private readonly people: PeopleService,
    private readonly tenancy: TenancyService,
    private readonly mailer: MailerService,
    private readonly audit: AuditService,
    private readonly sessions: SessionService,
    @Inject(REDIS) redis: Redis,
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
  ) {
    this.requestsByEmail = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: 'auth:reset-email',
      points: 3,
      duration: 60 * 60,
    });
    this.requestsByIp = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: 'auth:reset-ip',
      points: 20,
      duration: 60 * 60,
    });
    this.signupsByEmail = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: 'auth:signup-email',
      points: 5,
      duration: 60 * 60,
    });
    this.signupsByIp = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: 'auth:signup-ip',
      points: config.get('auth', { infer: true }).maxSignupsPerIp,
      duration: 60 * 60,
    });
  }

  /** Mails a reset link to a member of the resolved tenant (or, without a tenant, to a super admin); silent otherwise. `address` is normalized (normalizeEmail). */
  async forgotPassword(address: string): Promise<void> {
    const state = RequestContext.current();
    await rateLimited(async () => {
      if (state?.ip) await this.requestsByIp.consume(addressKey(state.ip));
      await this.requestsByEmail.consume(hash(address).toString('base64url'));
    });
    const user = await this.people.userByEmail(address);
    if (!user || !(await this.belongsHere(user))) return;
    const token = await this.issue(user.id, 'password_reset', RESET_MINUTES * 60_000);
    const tenant = state?.tenant;
    await this.mailer.send(
      passwordResetMail(
        user.email,
        tenant?.name ?? 'Tenantry',
        this.link(`/reset-password#token=${token}`),
        RESET_MINUTES,
      ),
    );
    if (tenant)
      await this.audit.record({
        action: 'auth.password_reset_requested',
        actor: { userId: null, label: user.email },
        target: { type: 'user', id: user.id, label: user.email },
      });
  }

  /**
   * Counts a signup with `address` (5 an hour, whether or not it has an
   * account) from the caller's address (SIGNUP_MAX_PER_IP an hour, whatever
   * the email: each signup mails someone and waits in Redis); 429
   * TOO_MANY_ATTEMPTS past either.
   */
  async countSignup(address: string): Promise<void> {
    const ip = RequestContext.current()?.ip;
    await rateLimited(async () => {
      if (ip) await this.signupsByIp.consume(addressKey(ip));
      await this.signupsByEmail.consume(hash(address).toString('base64url'));
    });
  }

  /** The link that creates a pending signup's workspace (opened on the platform's host). */
  async sendSignupLink(address: string, token: string): Promise<void> {
    await this.mailer.send(
      signupLinkMail(address, this.tenancy.platformUrl(`/confirm-signup#token=${token}`), PENDING_SIGNUP_HOURS),
    );
  }

  /** The link that makes the account of a signup to join `tenant` (opened at the tenant's address). */
  async sendJoinLink(address: string, tenant: TenantSummary, token: string): Promise<void> {
    await this.mailer.send(
      verificationMail(
        address,
        tenant.name,
        this.tenancy.urlOf(tenant.slug, `/verify-email#token=${token}`),
        `${PENDING_SIGNUP_HOURS} hours`,
      ),
    );
  }

  /** Tells an account's owner that someone signed up with their address, and how to get in. */
  async sendAccountExists(user: User): Promise<void> {
    await this.mailer.send(accountExistsMail(user.email, this.tenancy.platformUrl('/')));
  }

  /** Sets a new password from a reset link and ends every session of the account. */
  async resetPassword(token: string, newPassword: string): Promise<void> {
    const userId = await this.consume(token, 'password_reset');
    await this.people.setPasswordAfterReset(userId, await this.hasher.hash(newPassword));
    await this.sessions.revokeAll(userId, 'password_changed');
    const user = (await this.people.userById(userId))!;
    if (RequestContext.current()?.tenant)
      await this.audit.record({ action: 'auth.password_reset', actor: { userId, label: user.email } });
  }

  /** Mails the user a link that confirms their address (nothing when it is confirmed). */
  async sendVerification(userId: string): Promise<void> {
    const user = await this.people.userById(userId);
    if (!user) throw new AppError(ErrorCode.UNAUTHENTICATED);
    if (user.emailVerifiedAt) return;
    await rateLimited(() => this.requestsByEmail.consume(`verify:${user.id}`));
    const token = await this.issue(user.id, 'email_verification', VERIFY_DAYS * 86_400_000);
    await this.mailer.send(
      verificationMail(
        user.email,
        RequestContext.current()?.tenant?.name ?? 'Tenantry',
        this.link(`/verify-email#token=${token}`),
      ),
    );
  }

  /** Confirms the address of a link's account; returns the account's id. */
  async verifyEmail(token: string): Promise<string> {
    const userId = await this.consume(token, 'email_verification');
    await this.people.updateUser(userId, { emailVerifiedAt: new Date() });
    return userId;
  }

  private async belongsHere(user: User): Promise<boolean> {
    if (!RequestContext.current()?.tenant) return user.platformRole === 'super_admin';
    return (await this.people.membershipOf(user.id)) !== null;
  }

  private link(path: string): string {
    const tenant = RequestContext.current()?.tenant;
    return tenant ? this.tenancy.urlOf(tenant.slug, path) : this.tenancy.platformUrl(path);
  }

  private async issue(userId: string, purpose: Purpose, ttlMs: number): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.tokens.replace(userId, purpose, hash(token), new Date(Date.now() + ttlMs));
    return token;
  }

  /** The user of an unused, unexpired link of this kind, which is used up now; TOKEN_INVALID otherwise. */
  private async consume(token: string, purpose: Purpose): Promise<string> {
    const userId = await this.tokens.consume(hash(token), purpose);
    if (!userId) throw new AppError(ErrorCode.TOKEN_INVALID);
    return userId;
  }
}
