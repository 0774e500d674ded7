import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { BillingService } from '@tenantry/api-billing';
import { BrandingService } from '@tenantry/api-branding';
import { AppError, RequestContext } from '@tenantry/api-core';
import { DomainsService } from '@tenantry/api-domains';
import { FREE_PLAN, PlanCatalog, Trials } from '@tenantry/api-licensing';
import { PeopleService } from '@tenantry/api-people';
import { TenancyService, TenantDb } from '@tenantry/api-tenancy';
import { ErrorCode, type JoinOption, type SlugAvailability } from '@tenantry/contracts';
import { AccountEmailsService } from './account-emails.service.js';
import { AuthService, type SignedIn } from './auth.service.js';
import type { SignupDto, SignupToJoinDto } from './dto/signup.dto.js';
import { PasswordHasher } from './password-hasher.js';
import { PendingSignups } from './pending-signups.js';

/** The image in a data: URL (validated by the DTO). */
const logoBytes = (dataUrl: string) => Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');

/**
 * Signup: a new workspace with its owner, or an account that joins a tenant
 * letting people of its email's domain in. Nothing is written before the
 * mailed link comes back (PendingSignups); then the workspace or account is
 * made and, for a workspace, its owner signed in.
 */
@Injectable()
export class SignupService {
  private readonly hasher = new PasswordHasher();
  private readonly logger = new Logger(SignupService.name);

  constructor(
    private readonly db: TenantDb,
    private readonly people: PeopleService,
    private readonly tenancy: TenancyService,
    private readonly auth: AuthService,
    private readonly accountEmails: AccountEmailsService,
    private readonly pendingSignups: PendingSignups,
    private readonly domains: DomainsService,
    private readonly billing: BillingService,
    private readonly trials: Trials,
    private readonly branding: BrandingService,
    private readonly plans: PlanCatalog,
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
    const signedIn = await this.auth.signInNewOwner(user, tenant, membership);
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
    if (existing && (existing.emailVerifiedAt || (await this.auth.myTenants({ userId: existing.id })).length > 0))
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
        if (existing.emailVerifiedAt || (await this.auth.myTenants({ userId: existing.id })).length > 0)
          throw new AppError(ErrorCode.EMAIL_TAKEN);
        await this.people.updateUser(existing.id, values);
        return existing.id;
      }
      return (await this.people.createUser({ ...values, id: randomUUID() })).id;
    });
    await this.pendingSignups.remove('join', token);
    return userId;
  }
}
