import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { generateServiceProviderMetadata } from '@node-saml/node-saml';
import { AuditService } from '@tenantry/api-audit';
import { PeopleService } from '@tenantry/api-people';
import { DomainsService } from '@tenantry/api-domains';
import { AppError, type AuthUser, RequestContext } from '@tenantry/api-core';
import { MailerService } from '@tenantry/api-mailer';
import { TenancyService, TenantDb } from '@tenantry/api-tenancy';
import { can, ErrorCode, PERMISSIONS, type SsoConnection } from '@tenantry/contracts';
import type { CreateSsoConnectionDto, UpdateSsoConnectionDto } from './dto/sso-connection.dto.js';
import { SsoConnectionEntity } from './entities/sso-connection.entity.js';
import { serviceProviderOf } from './service-provider.js';
import { SsoAccountLinksService } from './sso-account-links.service.js';
import { trustChangedMail } from './sso-mails.js';
import {
  checkSsoUrl,
  describeCertificate,
  type IdpSettings,
  IdpSettingsError,
  parseIdpMetadata,
  toPem,
} from './idp-metadata.js';

/** What a connection trusts, by field (for the refusal and the owners' mail): only owners change these. */
const TRUST_FIELDS = {
  idpEntityId: 'identity provider entity ID',
  idpSsoUrl: 'identity provider sign-in URL',
  idpCertificates: 'signing certificates',
  domains: 'domains it signs people in for',
  attributeMapping: 'attribute mapping',
  allowIdpInitiated: 'sign-ins started at the identity provider',
  // Only switching back on (an owner may have switched off a compromised IdP); switching off stays quick for admins.
  enabled: 'turned back on',
} as const;
type TrustField = keyof typeof TRUST_FIELDS;

const OWNERS_ONLY =
  'only owners change which identity provider a connection trusts, its domains, attribute mapping or IdP-initiated sign-in, or turn a switched-off connection back on';

/**
 * A tenant's SAML connections: the IdP's settings (from its metadata or by
 * hand; certificates pinned) and what the IdP needs from us (entity ID, ACS
 * URL, metadata). Login and the assertion consumer build on these.
 *
 * Admins may rename, turn off, and map groups to roles; what the connection
 * trusts, and turning it back on, is the owners' (an IdP can sign in as anyone
 * of its domains): each such change is audited and mailed to every owner.
 */
@Injectable()
export class SsoService {
  constructor(
    private readonly db: TenantDb,
    private readonly tenancy: TenancyService,
    private readonly audit: AuditService,
    private readonly domains: DomainsService,
    private readonly people: PeopleService,
    private readonly mailer: MailerService,
    private readonly links: SsoAccountLinksService,
  ) {}

  async list(): Promise<SsoConnection[]> {
    const rows = await (await this.db.repository(SsoConnectionEntity)).find({ order: { createdAt: 'ASC' } });
    return rows.map((r) => this.toConnection(r));
  }

  async get(id: string): Promise<SsoConnection> {
    return this.toConnection(await this.find(id));
  }

  async create(auth: AuthUser, dto: CreateSsoConnectionDto): Promise<SsoConnection> {
    const idp = this.idpSettings(dto, null);
    const domains = await this.checkDomains(dto.domains ?? [], null);
    const repo = await this.db.repository(SsoConnectionEntity);
    const id = randomUUID();
    await repo.insert({
      tenantId: this.db.tenantId,
      id,
      name: dto.name,
      enabled: dto.enabled ?? true,
      idpEntityId: idp.entityId,
      idpSsoUrl: idp.ssoUrl,
      idpCertificates: idp.certificates,
      defaultRole: dto.defaultRole ?? 'member',
      attributeMapping: { ...dto.attributeMapping },
      groupRoles: dto.groupRoles ?? [],
      allowIdpInitiated: dto.allowIdpInitiated ?? false,
      domains,
    });
    await this.audit.record({
      action: 'sso.connection_created',
      target: { type: 'sso_connection', id, label: dto.name },
      metadata: { idpEntityId: idp.entityId },
    });
    await this.tellOwners(auth, { id, connectionName: dto.name, added: true, changed: [], idpEntityId: idp.entityId });
    return this.get(id);
  }

  async update(auth: AuthUser, id: string, dto: UpdateSsoConnectionDto): Promise<SsoConnection> {
    const current = await this.find(id);
    const idp = this.idpSettings(dto, current);
    // What the connection trusts after this change: an admin may send it back unchanged, not change it.
    const trusted = {
      idpEntityId: idp.entityId,
      idpSsoUrl: idp.ssoUrl,
      idpCertificates: idp.certificates,
      domains: dto.domains ?? current.domains,
      attributeMapping: dto.attributeMapping ? { ...dto.attributeMapping } : current.attributeMapping,
      allowIdpInitiated: dto.allowIdpInitiated ?? current.allowIdpInitiated,
      enabled: dto.enabled ?? current.enabled,
    };
    const trustChanged = this.trustChanges(current, trusted);
    if (trustChanged.length > 0 && !can(auth.role, 'sso.trust')) {
      throw new AppError(ErrorCode.FORBIDDEN, {
        permission: 'sso.trust',
        allowed: PERMISSIONS['sso.trust'],
        reason: OWNERS_ONLY,
        fields: trustChanged,
      });
    }
    const domains = dto.domains ? await this.checkDomains(dto.domains, id) : current.domains;
    const repo = await this.db.repository(SsoConnectionEntity);
    await repo.update(
      { id },
      {
        ...trusted,
        domains,
        name: dto.name ?? current.name,
        defaultRole: dto.defaultRole ?? current.defaultRole,
        groupRoles: dto.groupRoles ?? current.groupRoles,
        updatedAt: () => 'now()',
      },
    );
    const changed = Object.keys(dto).filter((k) => k !== 'metadataXml' || dto.metadataXml);
    // Another IdP (not a certificate rotation, which keeps one): people confirmed for the old one confirm again.
    if (idp.entityId !== current.idpEntityId || !idp.certificates.some((c) => current.idpCertificates.includes(c)))
      await this.links.forgetConnection(id);
    const idpChange =
      idp.entityId !== current.idpEntityId ? { idp: { from: current.idpEntityId, to: idp.entityId } } : {};
    await this.audit.record({
      action: 'sso.connection_updated',
      target: { type: 'sso_connection', id, label: dto.name ?? current.name },
      metadata: { changed, ...idpChange },
    });
    if (trustChanged.length > 0) {
      await this.tellOwners(auth, {
        id,
        connectionName: dto.name ?? current.name,
        added: false,
        changed: trustChanged.map((f) => TRUST_FIELDS[f]),
        idpEntityId: idp.entityId,
      });
    }
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    const current = await this.find(id);
    await (await this.db.repository(SsoConnectionEntity)).delete({ id });
    await this.audit.record({
      action: 'sso.connection_deleted',
      target: { type: 'sso_connection', id, label: current.name },
    });
  }

  /** Our SAML service-provider metadata for one connection: what the IdP administrator imports. */
  async serviceProviderMetadata(id: string): Promise<string> {
    const sp = this.toConnection(await this.find(id)).serviceProvider;
    return generateServiceProviderMetadata({
      issuer: sp.entityId,
      callbackUrl: sp.acsUrl,
      identifierFormat: sp.nameIdFormat,
      wantAssertionsSigned: true,
    });
  }

  /** The trust settings `next` changes (by value: a form sent back unchanged changes nothing). */
  private trustChanges(current: SsoConnectionEntity, next: Pick<SsoConnectionEntity, TrustField>): TrustField[] {
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const sorted = (values: string[]) => [...values].sort();
    const mapping = (m: SsoConnectionEntity['attributeMapping']) =>
      Object.entries(m)
        .filter(([, v]) => v)
        .sort();
    return (Object.keys(TRUST_FIELDS) as TrustField[]).filter((field) => {
      if (field === 'domains' || field === 'idpCertificates') return !same(sorted(current[field]), sorted(next[field]));
      if (field === 'attributeMapping') return !same(mapping(current.attributeMapping), mapping(next.attributeMapping));
      if (field === 'enabled') return !current.enabled && next.enabled;
      return current[field] !== next[field];
    });
  }

  /** Mails every owner, once the change committed, that a connection was added or what it trusts changed (the audit log has the entry too). */
  private async tellOwners(
    auth: AuthUser,
    change: { id: string; connectionName: string; added: boolean; changed: string[]; idpEntityId: string },
  ): Promise<void> {
    const tenant = RequestContext.current()!.tenant!;
    const owners = await this.people.owners();
    const by = owners.find((o) => o.userId === auth.userId)?.email ?? 'An owner';
    const link = this.tenancy.urlOf(tenant.slug, '/settings/sso');
    this.db.afterCommit(async () => {
      for (const owner of owners)
        await this.mailer.send(trustChangedMail(owner.email, tenant.name, { ...change, by }, link));
    });
  }

  /** Settings from metadata XML, else from the separate fields (each falling back to the current value). */
  private idpSettings(dto: UpdateSsoConnectionDto, current: SsoConnectionEntity | null): IdpSettings {
    try {
      if (dto.metadataXml) return parseIdpMetadata(dto.metadataXml);
      const entityId = dto.idpEntityId ?? current?.idpEntityId;
      const ssoUrl = dto.idpSsoUrl ?? current?.idpSsoUrl;
      const certificates = dto.idpCertificate ? [toPem(dto.idpCertificate)] : current?.idpCertificates;
      if (!entityId || !ssoUrl || !certificates?.length)
        throw new IdpSettingsError('give the IdP metadata XML, or its entity ID, SSO URL and signing certificate');
      return { entityId, ssoUrl: checkSsoUrl(ssoUrl), certificates };
    } catch (error) {
      if (error instanceof IdpSettingsError)
        throw new AppError(ErrorCode.SSO_METADATA_INVALID, { reason: error.message });
      throw error;
    }
  }

  /** Each domain must be verified here and served by no other connection (so an email picks one connection). */
  private async checkDomains(domains: string[], connectionId: string | null): Promise<string[]> {
    const others = (await (await this.db.repository(SsoConnectionEntity)).find()).filter((c) => c.id !== connectionId);
    for (const domain of domains) {
      if (!(await this.domains.isVerified(domain))) throw new AppError(ErrorCode.DOMAIN_NOT_VERIFIED, { domain });
      const other = others.find((c) => c.domains.includes(domain));
      if (other) throw new AppError(ErrorCode.SSO_DOMAIN_IN_USE, { domain, connection: other.name });
    }
    return domains;
  }

  private async find(id: string): Promise<SsoConnectionEntity> {
    const found = await (await this.db.repository(SsoConnectionEntity)).findOneBy({ id });
    if (!found) throw new AppError(ErrorCode.SSO_CONNECTION_NOT_FOUND);
    return found;
  }

  private toConnection(r: SsoConnectionEntity): SsoConnection {
    const { entityId, acsUrl, metadataUrl, nameIdFormat } = serviceProviderOf(
      this.tenancy,
      RequestContext.current()!.tenant!.slug,
      r.id,
    );
    return {
      id: r.id,
      name: r.name,
      enabled: r.enabled,
      idp: { entityId: r.idpEntityId, ssoUrl: r.idpSsoUrl, certificates: r.idpCertificates.map(describeCertificate) },
      defaultRole: r.defaultRole,
      attributeMapping: { email: null, firstName: null, lastName: null, groups: null, ...r.attributeMapping },
      groupRoles: r.groupRoles,
      allowIdpInitiated: r.allowIdpInitiated,
      domains: r.domains,
      serviceProvider: { entityId, acsUrl, metadataUrl, nameIdFormat },
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  }
}
