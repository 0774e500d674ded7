import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '@tenantry/api-audit';
import { AppError, type AuthUser, hashToken as hash, RequestContext, type ResolvedTenant } from '@tenantry/api-core';
import { LicensingService } from '@tenantry/api-licensing';
import { MailerService } from '@tenantry/api-mailer';
import { DomainsService } from '@tenantry/api-domains';
import { TenancyService } from '@tenantry/api-tenancy';
import { canAssignRole, ErrorCode, type Invitation, type InvitationPreview } from '@tenantry/contracts';
import { PeopleService, type StoredInvitation } from '@tenantry/api-people';
import { AuthService, type SignedIn } from './auth.service.js';
import type { AcceptInvitationDto } from './dto/invitation-token.dto.js';
import { toInvitation } from './dto/invitation.mapper.js';
import type { InviteDto } from './dto/invite.dto.js';
import { LoginThrottle } from './login-throttle.js';
import { invitationMail } from './mail-templates.js';
import { MembersService } from './members.service.js';
import { PasswordHasher } from './password-hasher.js';
import { passwordProblem } from './password-policy.js';

const VALID_DAYS = 7;
const fieldError = (field: string, message: string) =>
  new AppError(ErrorCode.VALIDATION_FAILED, { fields: [{ field, messages: [message] }] });

/**
 * Invitations by email: a single-use link valid for 7 days. Accepting creates
 * the account (new address) or, after its password, adds the membership
 * (existing account). Inviting an address again renews its open invitation.
 */
@Injectable()
export class InvitationsService {
  private readonly hasher = new PasswordHasher();

  constructor(
    private readonly people: PeopleService,
    private readonly tenancy: TenancyService,
    private readonly mailer: MailerService,
    private readonly audit: AuditService,
    private readonly members: MembersService,
    private readonly licensing: LicensingService,
    private readonly auth: AuthService,
    private readonly throttle: LoginThrottle,
    private readonly domains: DomainsService,
  ) {}

  async invite(actor: AuthUser, dto: InviteDto): Promise<Invitation> {
    if (!actor.role || !canAssignRole(actor.role, null, dto.role))
      throw new AppError(ErrorCode.FORBIDDEN, { reason: 'only owners can invite owners' });
    if (await this.people.isMemberByEmail(dto.email)) throw new AppError(ErrorCode.ALREADY_MEMBER);
    // Their identity provider lets them in (just-in-time) instead.
    const sso = await this.domains.ssoRequiredFor(dto.email);
    if (sso) throw new AppError(ErrorCode.SSO_REQUIRED, { loginUrl: sso.loginUrl });
    const open = await this.people.lockOpenInvitationFor(dto.email);
    // A pending invitation already holds its seat; a new or expired one takes one now.
    if (!open || open.expiresAt <= new Date()) await this.licensing.assertSeatAvailable();
    return this.send(
      { id: open?.id ?? randomUUID(), email: dto.email, role: dto.role, invitedBy: actor.userId },
      !open,
    );
  }

  /**
   * The owner of a tenant the operator creates (inside that tenant's new
   * transaction): invited by the operator, who has no role there to check,
   * into a tenant that has every seat free.
   */
  async inviteOwner(email: string): Promise<Invitation> {
    const invitedBy = RequestContext.current()?.userId ?? null;
    return this.send({ id: randomUUID(), email, role: 'owner', invitedBy }, true);
  }

  /** Open invitations (pending or expired, not accepted or revoked), newest first. */
  async list(): Promise<Invitation[]> {
    return (await this.people.openInvitations()).map(toInvitation);
  }

  /** A new link (the old one stops working) and 7 more days. */
  async resend(actor: AuthUser, id: string): Promise<Invitation> {
    const invitation = await this.findOpen(id);
    if (!actor.role || !canAssignRole(actor.role, null, invitation.role)) throw new AppError(ErrorCode.FORBIDDEN);
    if (invitation.expiresAt <= new Date()) await this.licensing.assertSeatAvailable();
    return this.send(invitation, false);
  }

  async revoke(actor: AuthUser, id: string): Promise<void> {
    const invitation = await this.findOpen(id);
    if (!actor.role || !canAssignRole(actor.role, null, invitation.role)) throw new AppError(ErrorCode.FORBIDDEN);
    await this.people.markInvitationRevoked(id);
    await this.audit.record({
      action: 'invitation.revoked',
      target: { type: 'invitation', id, label: invitation.email },
    });
  }

  async preview(token: string): Promise<InvitationPreview> {
    const { invitation, tenant } = await this.usable(token, false);
    return {
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
      email: invitation.email,
      role: invitation.role,
      expiresAt: invitation.expiresAt.toISOString(),
      existingUser: (await this.people.userByEmail(invitation.email)) !== null,
    };
  }

  /**
   * Accepts once: the invitation row is locked, so two tabs accepting at the
   * same time give one membership and one INVITATION_USED.
   */
  async accept(dto: AcceptInvitationDto): Promise<SignedIn> {
    const { invitation } = await this.usable(dto.token, true);
    let user = await this.people.userByEmail(invitation.email);
    const newAccount = !user;
    if (user) {
      const attempt = await this.throttle.begin(user.email, RequestContext.current()?.ip);
      if (!(await this.hasher.verify(user.passwordHash, dto.password))) {
        await attempt.failed();
        throw new AppError(ErrorCode.INVALID_CREDENTIALS);
      }
      await attempt.succeeded();
    } else {
      const problem = passwordProblem(dto.password);
      if (problem) throw fieldError('password', problem);
      if (!dto.displayName) throw fieldError('displayName', 'displayName is required for a new account');
      user = await this.people.createUser({
        id: randomUUID(),
        email: invitation.email,
        displayName: dto.displayName,
        passwordHash: await this.hasher.hash(dto.password),
        // The link reached this address: it is verified.
        emailVerifiedAt: new Date(),
      });
    }
    // Accepted first: the seat this invitation held passes to the membership (add() counts it once).
    await this.people.markInvitationAccepted(invitation.id, user.id);
    const membership = await this.members.add(user.id, invitation.role);
    await this.audit.record({
      action: 'invitation.accepted',
      actor: { userId: user.id, label: user.email },
      target: { type: 'invitation', id: invitation.id, label: invitation.email },
      metadata: { role: invitation.role, newAccount },
    });
    return this.auth.signInMember(user, membership);
  }

  /** Sends a new invitation, or an open one again: a new link (the old one stops working) and 7 more days. */
  private async send(
    invitation: Pick<StoredInvitation, 'id' | 'email' | 'role' | 'invitedBy'>,
    isNew: boolean,
  ): Promise<Invitation> {
    const tenant = RequestContext.current()!.tenant!;
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const sent = { tokenHash: hash(token), sentAt: now, expiresAt: new Date(now.getTime() + VALID_DAYS * 86_400_000) };
    const saved = isNew
      ? await this.people.createInvitation({ ...invitation, ...sent })
      : await this.people.renewInvitation(invitation.id, {
          role: invitation.role,
          invitedBy: invitation.invitedBy,
          ...sent,
        });
    const inviter = await this.inviterName(invitation.invitedBy);
    await this.audit.record({
      action: 'invitation.sent',
      target: { type: 'invitation', id: saved.id, label: saved.email },
      metadata: { role: saved.role, renewed: !isNew },
    });
    // The token travels in the fragment: it never reaches a server log or a Referer header.
    const link = this.tenancy.urlOf(tenant.slug, `/accept-invitation#token=${token}`);
    await this.mailer.send(invitationMail(saved.email, tenant.name, inviter, saved.role, link, saved.expiresAt));
    return toInvitation(saved);
  }

  private async inviterName(userId: string | null): Promise<string> {
    const user = userId ? await this.people.userById(userId) : null;
    return user?.displayName ?? 'Your administrator';
  }

  private async findOpen(id: string): Promise<StoredInvitation> {
    const invitation = await this.people.invitationById(id);
    if (!invitation || invitation.acceptedAt || invitation.revokedAt)
      throw new AppError(ErrorCode.INVITATION_NOT_FOUND);
    return invitation;
  }

  /** The invitation of a link, if it can still be accepted; `lock` holds it until the request ends. */
  private async usable(
    token: string,
    lock: boolean,
  ): Promise<{ invitation: StoredInvitation; tenant: ResolvedTenant }> {
    const tenant = RequestContext.current()?.tenant;
    if (!tenant) throw new AppError(ErrorCode.TENANT_REQUIRED);
    const invitation = await this.people.invitationByTokenHash(hash(token), lock);
    if (!invitation || invitation.revokedAt) throw new AppError(ErrorCode.INVITATION_INVALID);
    if (invitation.acceptedAt) throw new AppError(ErrorCode.INVITATION_USED);
    if (invitation.expiresAt.getTime() <= Date.now()) throw new AppError(ErrorCode.INVITATION_EXPIRED);
    return { invitation, tenant };
  }
}
