import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { AuditService } from '@tenantry/api-audit';
import { AppError, type AuthUser, isUniqueViolation, RequestContext } from '@tenantry/api-core';
import { byTenantName, TenancyService, TenantDb, TenantsRepository } from '@tenantry/api-tenancy';
import { ErrorCode, type JoinOption, type VerifiedDomain } from '@tenantry/contracts';
import { verificationRecord } from './dns-record.js';
import { requireTxtProof } from './dns-proof.js';
import { DomainVerifier } from './domain-verifier.js';
import { DomainsRepository } from './domains.repository.js';
import { SSO_CONNECTION_LOOKUP, type SsoConnectionLookup } from './sso-connection-lookup.js';
import { VerifiedDomainEntity } from './entities/verified-domain.entity.js';

// ~8,700 public email providers (sindresorhus/email-providers): nobody may claim them.
const PUBLIC_DOMAINS = new Set(createRequire(import.meta.url)('email-providers/all.json') as string[]);

function toVerifiedDomain(d: VerifiedDomainEntity): VerifiedDomain {
  return {
    id: d.id,
    domain: d.domain,
    status: d.verifiedAt ? 'verified' : 'pending',
    dnsRecord: verificationRecord(d.domain, d.verificationToken),
    createdAt: d.createdAt.toISOString(),
    verifiedAt: d.verifiedAt?.toISOString() ?? null,
    autoJoin: d.autoJoin,
    lastCheckedAt: d.lastCheckedAt?.toISOString() ?? null,
    lastCheckError: d.lastCheckError,
    ssoRequired: d.ssoRequired,
  };
}

/**
 * A tenant's domains: claimed by an admin, verified by a DNS TXT record with
 * a token we generate. SSO uses them to refuse profiles from other domains.
 */
@Injectable()
export class DomainsService {
  constructor(
    private readonly db: TenantDb,
    private readonly domains: DomainsRepository,
    private readonly audit: AuditService,
    private readonly verifier: DomainVerifier,
    private readonly tenancy: TenancyService,
    private readonly tenants: TenantsRepository,
    @Optional() @Inject(SSO_CONNECTION_LOOKUP) private readonly ssoConnections: SsoConnectionLookup | null = null,
  ) {}

  async claim(actor: AuthUser, domain: string): Promise<VerifiedDomain> {
    if (PUBLIC_DOMAINS.has(domain)) throw new AppError(ErrorCode.DOMAIN_PUBLIC, { domain });
    const id = randomUUID();
    try {
      await this.domains.insert({
        id,
        domain,
        verificationToken: randomBytes(18).toString('base64url'),
        createdBy: actor.userId,
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError(ErrorCode.DOMAIN_ALREADY_CLAIMED, { domain });
      throw error;
    }
    await this.audit.record({ action: 'domain.claimed', target: { type: 'domain', id, label: domain } });
    return toVerifiedDomain(await this.find(id));
  }

  async list(): Promise<VerifiedDomain[]> {
    return (await this.domains.list()).map(toVerifiedDomain);
  }

  /**
   * Looks the TXT record up now. Found: verified (and stays so). Not found:
   * the reason is kept for the settings page and DOMAIN_VERIFICATION_FAILED
   * says what to publish.
   */
  async verify(id: string): Promise<VerifiedDomain> {
    const found = await this.find(id);
    if (found.verifiedAt) return toVerifiedDomain(found);
    await requireTxtProof(this.db, this.verifier, VerifiedDomainEntity, found, found.domain, found.verificationToken);
    const now = new Date();
    await this.domains.update(id, { verifiedAt: now, lastCheckedAt: now, lastCheckError: null });
    await this.audit.record({ action: 'domain.verified', target: { type: 'domain', id, label: found.domain } });
    return toVerifiedDomain(await this.find(id));
  }

  async remove(id: string): Promise<void> {
    const found = await this.find(id);
    await this.domains.delete(id);
    await this.audit.record({
      action: 'domain.removed',
      target: { type: 'domain', id, label: found.domain },
      metadata: { wasVerified: found.verifiedAt !== null },
    });
  }

  /**
   * Auto-join (people with a confirmed email here may join) and SSO required
   * (no password sign-in or invitations for this domain's emails). Both need a
   * verified domain; SSO required also an enabled connection serving it, so
   * nobody is locked out.
   */
  async updateSettings(id: string, settings: { autoJoin?: boolean; ssoRequired?: boolean }): Promise<VerifiedDomain> {
    const found = await this.find(id);
    if ((settings.autoJoin || settings.ssoRequired) && !found.verifiedAt)
      throw new AppError(ErrorCode.DOMAIN_NOT_VERIFIED);
    if (settings.ssoRequired && !(await this.ssoConnectionFor(found.domain)))
      throw new AppError(ErrorCode.SSO_NOT_CONFIGURED, { domain: found.domain });
    await this.domains.update(id, {
      autoJoin: settings.autoJoin ?? found.autoJoin,
      ssoRequired: settings.ssoRequired ?? found.ssoRequired,
    });
    const target = { type: 'domain', id, label: found.domain };
    if (settings.autoJoin !== undefined && settings.autoJoin !== found.autoJoin) {
      await this.audit.record({
        action: 'domain.auto_join_changed',
        target,
        metadata: { autoJoin: settings.autoJoin },
      });
    }
    if (settings.ssoRequired !== undefined && settings.ssoRequired !== found.ssoRequired) {
      await this.audit.record({
        action: 'domain.sso_required_changed',
        target,
        metadata: { ssoRequired: settings.ssoRequired },
      });
    }
    return toVerifiedDomain(await this.find(id));
  }

  /**
   * When the resolved tenant requires SSO for this email's domain (and an
   * enabled connection serves it): where that person signs in instead.
   */
  async ssoRequiredFor(email: string): Promise<{ connectionId: string; loginUrl: string } | null> {
    const domain = email.split('@')[1]?.toLowerCase() ?? '';
    const found = await this.domains.findByDomain(domain);
    if (!found?.verifiedAt || !found.ssoRequired) return null;
    const connectionId = await this.ssoConnectionFor(domain);
    if (!connectionId) return null;
    return {
      connectionId,
      loginUrl: this.tenancy.urlOf(RequestContext.current()!.tenant!.slug, `/api/sso/${connectionId}/login`),
    };
  }

  /** The enabled SSO connection of the resolved tenant that serves `domain`, as the SSO module answers. */
  private async ssoConnectionFor(domain: string): Promise<string | null> {
    return this.ssoConnections ? this.ssoConnections.enabledConnectionFor(domain) : null;
  }

  /**
   * Live tenants that let people of `domain` join. Read outside any tenant
   * (row-level security's reviewed `auto_join_domains` policy), for the
   * signed-in `userId` or, at signup, for nobody yet.
   */
  async joinableTenants(domain: string, userId = ''): Promise<JoinOption[]> {
    const rows = await this.domains.autoJoinClaims(domain.toLowerCase(), userId);
    return (await this.tenants.withTenants(rows, (r) => r.tenant_id, { serving: true }))
      .map(({ row, tenant }) => ({ tenant, domain: row.domain }))
      .sort(byTenantName);
  }

  /** Whether the resolved tenant has verified `domain` (for SSO's domain check). */
  async isVerified(domain: string): Promise<boolean> {
    const found = await this.domains.findByDomain(domain.toLowerCase());
    return !!found?.verifiedAt;
  }

  /** Ids of the tenants, in any database, one of whose domains matches the ILIKE `pattern` (platform console search). */
  tenantsWithDomainMatching(pattern: string): Promise<string[]> {
    return this.domains.tenantsMatching(pattern);
  }

  private async find(id: string): Promise<VerifiedDomainEntity> {
    const found = await this.domains.find(id);
    if (!found) throw new AppError(ErrorCode.DOMAIN_NOT_FOUND);
    return found;
  }
}
