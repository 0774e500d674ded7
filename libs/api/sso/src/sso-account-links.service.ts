import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '@tenantry/api-audit';
import { AppError, hashToken as hash, RequestContext } from '@tenantry/api-core';
import { MailerService } from '@tenantry/api-mailer';
import { PeopleService } from '@tenantry/api-people';
import { TenancyService, TenantDb } from '@tenantry/api-tenancy';
import { ErrorCode, type SsoLinkConfirmed, type SsoLinkPreview } from '@tenantry/contracts';
import type { SsoConnectionEntity } from './entities/sso-connection.entity.js';
import { serviceProviderOf } from './service-provider.js';
import { SsoAccountLinksRepository } from './sso-account-links.repository.js';
import { linkConfirmationMail } from './sso-mails.js';

const LINK_HOURS = 24;
const RESEND_MINUTES = 5;

/**
 * Which existing accounts a connection may sign in: an account that is an
 * owner, or that belongs to other tenants, is linked to a connection only
 * once the person confirms a mailed, single-use link (only its hash is kept).
 * A tenant admin with an IdP of their own cannot become someone else that way.
 */
@Injectable()
export class SsoAccountLinksService {
  constructor(
    private readonly db: TenantDb,
    private readonly links: SsoAccountLinksRepository,
    private readonly tenancy: TenancyService,
    private readonly mailer: MailerService,
    private readonly audit: AuditService,
    private readonly people: PeopleService,
  ) {}

  isConfirmed(connectionId: string, userId: string): Promise<boolean> {
    return this.links.isConfirmed(connectionId, userId);
  }

  /** Records that this connection signed the person in (so a later promotion to owner asks nothing). */
  async remember(connectionId: string, userId: string): Promise<void> {
    await this.links.confirmNow(connectionId, userId);
  }

  /**
   * Mails the person a link that confirms this connection may sign them in (a
   * new one replaces the last). At most one mail per few minutes: sign-in
   * attempts, or an IdP asserting someone else's address, cannot flood their inbox.
   * The sign-in is refused right after, so the request's transaction is
   * dropped and the request is written in one of its own; the mail goes once it committed.
   */
  async askConfirmation(connection: SsoConnectionEntity, account: { id: string; email: string }): Promise<void> {
    const tenant = RequestContext.current()!.tenant!;
    await this.db.discard();
    await this.db.withTenant(tenant, async () => {
      const token = randomBytes(32).toString('base64url');
      const mailed = await this.links.ask(
        connection.id,
        account.id,
        hash(token),
        new Date(Date.now() + LINK_HOURS * 3_600_000),
        RESEND_MINUTES,
      );
      if (mailed) {
        const link = this.tenancy.urlOf(tenant.slug, `/sso/confirm-link#token=${token}`);
        this.db.afterCommit(() =>
          this.mailer.send(linkConfirmationMail(account.email, tenant.name, connection.name, link, LINK_HOURS)),
        );
      }
      await this.audit.record({
        action: 'sso.account_link_requested',
        actor: { userId: null, label: account.email },
        target: { type: 'user', id: account.id, label: account.email },
        metadata: { connection: connection.name, connectionId: connection.id, mailed },
      });
    });
  }

  /** Forgets every link of a connection whose identity provider was replaced: a new IdP is confirmed anew. */
  async forgetConnection(connectionId: string): Promise<void> {
    await this.links.deleteOfConnection(connectionId);
  }

  /** What a mailed link (at its tenant's address, unused, in time) would confirm; the link stays good. */
  async preview(token: string): Promise<SsoLinkPreview> {
    const link = await this.links.pending(hash(token));
    const email = link ? await this.people.emailOf(link.user_id) : null;
    if (!link || email === null) throw new AppError(ErrorCode.TOKEN_INVALID);
    return {
      tenantName: RequestContext.current()!.tenant!.name,
      connectionName: link.name,
      idpEntityId: link.idp_entity_id,
      email,
    };
  }

  /** Confirms a mailed link (at its tenant's address, once, in time): that connection signs the person in from now on. */
  async confirm(token: string): Promise<SsoLinkConfirmed> {
    const link = await this.links.confirm(hash(token));
    if (!link) throw new AppError(ErrorCode.TOKEN_INVALID);
    const email = await this.people.emailOf(link.user_id);
    await this.audit.record({
      action: 'sso.account_linked',
      actor: { userId: link.user_id, label: email },
      target: { type: 'user', id: link.user_id, label: email },
      metadata: { connection: link.name, connectionId: link.connection_id },
    });
    const { loginUrl } = serviceProviderOf(this.tenancy, RequestContext.current()!.tenant!.slug, link.connection_id);
    return { connectionName: link.name, loginUrl };
  }
}
