import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuditService } from '@tenantry/api-audit';
import { type AppConfig, AppError, type AuthUser, isUniqueViolation } from '@tenantry/api-core';
import { DomainVerifier, requireTxtProof, verificationRecord } from '@tenantry/api-domains';
import { TenancyService, TenantDb, TenantsRepository } from '@tenantry/api-tenancy';
import { type CustomDomain, ErrorCode } from '@tenantry/contracts';
import { CustomDomainsRepository } from './custom-domains.repository.js';
import { afterDailyCheck, DNS_GRACE_MS } from './daily-check.js';
import { CustomDomainEntity } from './entities/custom-domain.entity.js';

/** More would mostly be someone probing which names are taken. */
const MAX_CUSTOM_DOMAINS = 10;

/**
 * A tenant's own host names (`app.acme.com`): added by an admin, verified by
 * a DNS TXT record (then they route to the tenant, pass CORS and get
 * certificates at the edge), re-checked daily.
 */
@Injectable()
export class CustomDomainsService {
  private readonly logger = new Logger(CustomDomainsService.name);
  private readonly cnameTarget: string;

  constructor(
    private readonly db: TenantDb,
    private readonly domains: CustomDomainsRepository,
    private readonly audit: AuditService,
    private readonly verifier: DomainVerifier,
    private readonly tenancy: TenancyService,
    private readonly tenants: TenantsRepository,
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
  ) {
    this.cnameTarget = config.get('tenancy', { infer: true }).customDomainTarget;
  }

  async list(): Promise<CustomDomain[]> {
    const rows = await this.domains.list();
    return rows.map((d) => this.toCustomDomain(d));
  }

  /**
   * Adds a host name, pending until verified. Another tenant's pending claim
   * does not block it (nobody can squat a name they cannot prove); another
   * tenant's verified one does: DOMAIN_TAKEN.
   */
  async add(actor: AuthUser, hostname: string): Promise<CustomDomain> {
    if (!this.tenancy.isCustomHost(hostname)) throw new AppError(ErrorCode.DOMAIN_RESERVED, { hostname });
    if ((await this.domains.count()) >= MAX_CUSTOM_DOMAINS)
      throw new AppError(ErrorCode.CUSTOM_DOMAIN_LIMIT, { limit: MAX_CUSTOM_DOMAINS });
    await this.refuseIfTaken(hostname);
    const id = randomUUID();
    try {
      await this.domains.insert({
        id,
        hostname,
        verificationToken: randomBytes(18).toString('base64url'),
        createdBy: actor.userId,
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError(ErrorCode.DOMAIN_ALREADY_CLAIMED, { domain: hostname });
      throw error;
    }
    await this.audit.record({ action: 'custom_domain.added', target: { type: 'custom_domain', id, label: hostname } });
    return this.toCustomDomain(await this.find(id));
  }

  /**
   * Looks the TXT record up now. Found: verified, and the host name routes here
   * on every instance at once. Not found: the reason is kept for the settings
   * page, and DOMAIN_VERIFICATION_FAILED says what to publish.
   */
  async verify(id: string): Promise<CustomDomain> {
    const found = await this.find(id);
    if (found.verifiedAt) return this.toCustomDomain(found);
    await this.refuseIfTaken(found.hostname);
    await requireTxtProof(this.db, this.verifier, CustomDomainEntity, found, found.hostname, found.verificationToken);
    const now = new Date();
    try {
      await this.domains.update(id, { verifiedAt: now, lastCheckedAt: now, lastCheckError: null, failingSince: null });
    } catch (error) {
      // Another tenant verified it between our look-up and now.
      if (isUniqueViolation(error)) throw new AppError(ErrorCode.DOMAIN_TAKEN, { hostname: found.hostname });
      throw error;
    }
    await this.audit.record({
      action: 'custom_domain.verified',
      target: { type: 'custom_domain', id, label: found.hostname },
    });
    this.tenancy.forgetHost(found.hostname);
    return this.toCustomDomain(await this.find(id));
  }

  async remove(id: string): Promise<void> {
    const found = await this.find(id);
    await this.domains.delete(id);
    await this.audit.record({
      action: 'custom_domain.removed',
      target: { type: 'custom_domain', id, label: found.hostname },
      metadata: { wasVerified: found.verifiedAt !== null },
    });
    if (found.verifiedAt) this.tenancy.forgetHost(found.hostname);
  }

  /**
   * The daily check of every verified host name: a missing TXT record flags
   * it `failing`; still missing after the grace period, it is un-verified
   * (stops routing; the edge stops renewing its certificate). A DNS server
   * that does not answer changes nothing.
   */
  async recheckAll(now = new Date()): Promise<{ checked: number; failing: number; unverified: number }> {
    // Outside any tenant the reviewed `verified_custom_domains` policy shows verified rows of every tenant.
    const verified = await this.domains.verifiedEverywhere();
    const result = { checked: 0, failing: 0, unverified: 0 };
    for (const { row } of await this.tenants.withTenants(verified, (r) => r.tenant_id)) {
      const outcome = await this.db.withTenant({ id: row.tenant_id }, () => this.recheck(row.id, now));
      result.checked++;
      if (outcome === 'failing') result.failing++;
      if (outcome === 'unverified') result.unverified++;
    }
    this.logger.log(
      `custom domains: ${result.checked} checked, ${result.failing} failing, ${result.unverified} un-verified`,
    );
    return result;
  }

  private async recheck(id: string, now: Date): Promise<'ok' | 'failing' | 'unverified' | 'unknown'> {
    const found = await this.domains.find(id);
    if (!found?.verifiedAt) return 'ok';
    const record = verificationRecord(found.hostname, found.verificationToken);
    const check = await this.verifier.check(record.name, record.value);
    const target = { type: 'custom_domain', id, label: found.hostname };
    const system = { userId: null, label: 'system' };
    const next = afterDailyCheck(check, found.failingSince, now);
    const reason = check.found ? null : check.reason;
    if (next.outcome === 'ok') {
      await this.domains.update(id, { lastCheckedAt: now, lastCheckError: null, failingSince: null });
      if (found.failingSince) await this.audit.record({ action: 'custom_domain.dns_restored', actor: system, target });
    } else if (next.outcome === 'unknown') {
      await this.domains.update(id, { lastCheckedAt: now, lastCheckError: reason });
    } else if (next.outcome === 'unverified') {
      await this.domains.update(id, {
        verifiedAt: null,
        failingSince: null,
        lastCheckedAt: now,
        lastCheckError: reason,
      });
      await this.audit.record({
        action: 'custom_domain.unverified',
        actor: system,
        target,
        metadata: { failingSince: next.failingSince.toISOString() },
      });
      this.tenancy.forgetHost(found.hostname);
    } else {
      await this.domains.update(id, { failingSince: next.failingSince, lastCheckedAt: now, lastCheckError: reason });
      if (!found.failingSince)
        await this.audit.record({ action: 'custom_domain.dns_missing', actor: system, target, metadata: { reason } });
    }
    return next.outcome;
  }

  /** Ids of the tenants, in any database, one of whose host names matches the ILIKE `pattern` (platform console search). */
  tenantsWithHostnameMatching(pattern: string): Promise<string[]> {
    return this.domains.tenantsMatching(pattern);
  }

  /** 409 DOMAIN_TAKEN when a live tenant other than the resolved one has `hostname` verified. */
  private async refuseIfTaken(hostname: string): Promise<void> {
    const owner = await this.tenancy.findByHost(hostname);
    if (owner && owner.id !== this.db.tenantId) throw new AppError(ErrorCode.DOMAIN_TAKEN, { hostname });
  }

  private async find(id: string): Promise<CustomDomainEntity> {
    const found = await this.domains.find(id);
    if (!found) throw new AppError(ErrorCode.DOMAIN_NOT_FOUND);
    return found;
  }

  private toCustomDomain(d: CustomDomainEntity): CustomDomain {
    return {
      id: d.id,
      hostname: d.hostname,
      status: !d.verifiedAt ? 'pending' : d.failingSince ? 'failing' : 'verified',
      dnsRecord: verificationRecord(d.hostname, d.verificationToken),
      cnameTarget: this.cnameTarget,
      createdAt: d.createdAt.toISOString(),
      verifiedAt: d.verifiedAt?.toISOString() ?? null,
      lastCheckedAt: d.lastCheckedAt?.toISOString() ?? null,
      lastCheckError: d.lastCheckError,
      unverifiesAt:
        d.verifiedAt && d.failingSince ? new Date(d.failingSince.getTime() + DNS_GRACE_MS).toISOString() : null,
    };
  }
}
