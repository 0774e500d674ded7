import { Injectable, Logger } from '@nestjs/common';
import { SAML } from '@node-saml/node-saml';
import { AuditService } from '@tenantry/api-audit';
import { AuthService, MembersService, type SignedIn } from '@tenantry/api-auth';
import { AppError, RequestContext, tryNormalizeEmail } from '@tenantry/api-core';
import { DomainsService } from '@tenantry/api-domains';
import { TenancyService, TenantDb } from '@tenantry/api-tenancy';
import { ErrorCode, type SsoDiscovery, type TenantRole } from '@tenantry/contracts';
import type { Request, Response } from 'express';
import { SsoConnectionEntity } from './entities/sso-connection.entity.js';
import { SsoAccountLinksService } from './sso-account-links.service.js';
import { safeReturnTo } from './return-to.js';
import { samlOptionsOf } from './saml-options.js';
import { decodeSamlResponse, readEnvelope, refusalOf, SamlRefusal, type AssertionFacts } from './saml-response.js';
import { SamlStrategy } from './saml.strategy.js';
import { serviceProviderOf } from './service-provider.js';
import { SsoRequestStore } from './sso-request-store.js';
import { SsoThrottle } from './sso-throttle.js';

const EMAIL = /^[^\s@]{1,64}@[a-z0-9.-]{1,253}$/;

/** Where the browser goes after a sign-in at the IdP, and the session it carries. */
export interface SsoSignInResult {
  signedIn: SignedIn;
  returnTo: string;
}

/**
 * SAML sign-in: starts it at the IdP (SP-initiated, the request ID kept in
 * Redis) and accepts the IdP's answer at the ACS: what is cheap to refuse
 * comes first, then the SAML strategy verifies the response (SamlStrategy),
 * then which people a connection may sign in (its verified domains).
 */
@Injectable()
export class SsoLoginService {
  private readonly logger = new Logger(SsoLoginService.name);

  constructor(
    private readonly db: TenantDb,
    private readonly tenancy: TenancyService,
    private readonly store: SsoRequestStore,
    private readonly domains: DomainsService,
    private readonly members: MembersService,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly throttle: SsoThrottle,
    private readonly links: SsoAccountLinksService,
    private readonly strategy: SamlStrategy,
  ) {}

  /** The enabled connection that serves this email's domain, and where to start. */
  async discover(email: string): Promise<SsoDiscovery> {
    const domain = email.split('@')[1]?.toLowerCase() ?? '';
    const rows = await (
      await this.db.repository(SsoConnectionEntity)
    ).find({ where: { enabled: true }, order: { createdAt: 'ASC' } });
    const connection = rows.find((c) => c.domains.includes(domain));
    if (!connection || !(await this.domains.isVerified(domain)))
      throw new AppError(ErrorCode.SSO_NOT_CONFIGURED, { domain });
    return { connectionId: connection.id, connectionName: connection.name, loginUrl: this.sp(connection.id).loginUrl };
  }

  /**
   * The IdP address with a fresh AuthnRequest (HTTP-Redirect); its ID and
   * `returnTo` wait in Redis for the answer. Built by node-saml on the
   * options the SAML strategy reads responses with, not through Passport,
   * whose redirect answers the browser itself (past this request's
   * transaction and error page) and forwards a RelayState from the query.
   */
  async start(connectionId: string, returnTo: unknown): Promise<string> {
    await this.throttle.request();
    const path = safeReturnTo(returnTo);
    if (path === null) throw new AppError(ErrorCode.SSO_RETURN_TO_INVALID);
    const connection = await this.enabled(connectionId);
    // No RelayState: where the browser lands never travels through it.
    const saml = new SAML(samlOptionsOf(connection, this.sp(connection.id), this.store.requests(connection.id, path)));
    return saml.getAuthorizeUrlAsync('', undefined, {});
  }

  /**
   * Accepts the IdP's POSTed answer: every check passes or nobody is signed
   * in. On the first sign-in the person gets an account and membership
   * (just in time); later ones bring their name and mapped role up to date.
   */
  async complete(connectionId: string, req: Request, res: Response): Promise<SsoSignInResult> {
    await this.throttle.request();
    const connection = await this.enabled(connectionId);
    let facts: AssertionFacts;
    let returnTo: string | null = null;
    try {
      const xml = decodeSamlResponse((req.body as Record<string, unknown> | undefined)?.SAMLResponse);
      // Within the bounds: what follows costs real CPU, counted against the connection.
      await this.throttle.parsing(connection.id);
      const envelope = readEnvelope(xml);
      if (!envelope.inResponseTo && !connection.allowIdpInitiated) {
        throw new SamlRefusal('idp_initiated_disabled');
      }
      // Read before the strategy removes the request; used only once the response proved it answers that request.
      if (envelope.inResponseTo) returnTo = await this.store.returnTo(connection.id, envelope.inResponseTo);
      facts = await this.strategy.read(req, res, { connection, sp: this.sp(connection.id), envelope });
    } catch (error) {
      if (error instanceof AppError) throw error; // ours (Redis down), not the IdP's answer
      const refusal = refusalOf(error as Error);
      throw await this.failed(connection, refusal.code, refusal.reason, null);
    }

    const mapping = connection.attributeMapping;
    const email = tryNormalizeEmail(mapping.email ? facts.attributes.get(mapping.email)?.[0] : facts.nameId) ?? '';
    if (!EMAIL.test(email))
      throw await this.failed(
        connection,
        ErrorCode.SSO_PROFILE_INCOMPLETE,
        mapping.email ? 'email_attribute_missing' : 'email_name_id_missing',
        null,
      );
    const domain = email.split('@')[1];
    if (!connection.domains.includes(domain) || !(await this.domains.isVerified(domain))) {
      throw await this.failed(connection, ErrorCode.SSO_DOMAIN_MISMATCH, 'domain_not_served', email);
    }

    // An owner, or someone of other tenants, confirms once that this IdP may sign them in.
    const account = await this.members.accountNeedingLinkConfirmation(email);
    if (account && !(await this.links.isConfirmed(connection.id, account.id))) {
      await this.links.askConfirmation(connection, account);
      throw new AppError(ErrorCode.SSO_LINK_CONFIRMATION_REQUIRED);
    }

    const groups = mapping.groups ? (facts.attributes.get(mapping.groups) ?? []) : [];
    const role: TenantRole =
      connection.groupRoles.find((g) => groups.includes(g.group))?.role ?? connection.defaultRole;
    const name = [mapping.firstName, mapping.lastName]
      .map((a) => (a ? facts.attributes.get(a)?.[0] : undefined))
      .filter(Boolean)
      .join(' ');
    try {
      const { user, membership } = await this.members.provision({
        email,
        displayName: name || null,
        role,
        roleFromGroups: !!mapping.groups && connection.groupRoles.length > 0,
        connection: { id: connection.id, name: connection.name },
      });
      await this.links.remember(connection.id, user.id);
      const signedIn = await this.auth.signInMember(user, membership, { sso: true });
      await this.audit.record({
        action: 'auth.sso_login_succeeded',
        actor: { userId: user.id, label: email },
        metadata: { connection: connection.name, connectionId: connection.id, assertionId: facts.id },
      });
      // The posted RelayState is ignored: the path was checked at the start and kept with the request.
      return { signedIn, returnTo: safeReturnTo(returnTo) ?? '/' };
    } catch (error) {
      if (error instanceof AppError) throw await this.failed(connection, error.code, error.message, email);
      throw error;
    }
  }

  /** Records why a sign-in was refused (in its own transaction: nothing else of the request stays) and returns the error to answer with. */
  private async failed(
    connection: SsoConnectionEntity,
    code: ErrorCode,
    reason: string,
    email: string | null,
  ): Promise<AppError> {
    // The person's email goes to the tenant's audit log, not the shared server log; the reason is a stable code (never the IdP's text).
    this.logger.warn(`SSO sign-in refused (${code}, ${reason}) on connection ${connection.id}`);
    await this.audit.recordFailure({
      action: 'auth.sso_login_failed',
      actor: { userId: null, label: email },
      metadata: { connection: connection.name, connectionId: connection.id, code, reason: reason.slice(0, 500) },
    });
    return new AppError(code);
  }

  private async enabled(id: string): Promise<SsoConnectionEntity> {
    const connection = await (await this.db.repository(SsoConnectionEntity)).findOneBy({ id });
    if (!connection) throw new AppError(ErrorCode.SSO_CONNECTION_NOT_FOUND);
    if (!connection.enabled) throw new AppError(ErrorCode.SSO_CONNECTION_DISABLED);
    return connection;
  }

  private sp(connectionId: string) {
    return serviceProviderOf(this.tenancy, RequestContext.current()!.tenant!.slug, connectionId);
  }
}
