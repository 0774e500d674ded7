import { Injectable } from '@nestjs/common';
import { TenantDb } from '@tenantry/api-tenancy';
import type { LicenseStatus } from '@tenantry/contracts';
import { In, Not } from 'typeorm';
import { LicenseEntity } from './entities/license.entity.js';

/** What a new license is made of; the rest comes from the database. */
export type NewLicense = Omit<LicenseEntity, 'tenantId' | 'source' | 'createdAt' | 'updatedAt'> &
  Partial<Pick<LicenseEntity, 'source'>>;

/**
 * The `licenses` table, in the context's tenant transaction (row-level
 * security scopes it to that tenant). A change of a license's terms or status
 * stamps `updated_at`.
 */
@Injectable()
export class LicensesRepository {
  constructor(private readonly db: TenantDb) {}

  /** Every license, newest first. */
  async all(): Promise<LicenseEntity[]> {
    return (await this.repository()).find({ order: { createdAt: 'DESC' } });
  }

  async byId(id: string): Promise<LicenseEntity> {
    return (await this.repository()).findOneByOrFail({ id });
  }

  /** The current license: the newest not revoked. */
  async current(): Promise<LicenseEntity | null> {
    return (await this.repository()).findOne({
      where: { status: In(['active', 'expired', 'suspended']) },
      order: { createdAt: 'DESC' },
    });
  }

  /** The newest license a subscription set (not revoked). */
  async currentFromStripe(): Promise<LicenseEntity | null> {
    return (await this.repository()).findOne({
      where: { source: 'stripe', status: Not('revoked') },
      order: { createdAt: 'DESC' },
    });
  }

  /** The license with this id unless it is revoked. */
  async live(id: string): Promise<LicenseEntity | null> {
    return (await this.repository()).findOneBy({ id, status: Not('revoked') });
  }

  async insert(license: NewLicense): Promise<void> {
    await (await this.repository()).insert({ tenantId: this.db.tenantId, ...license });
  }

  /** Revokes every license not revoked yet (a new one replaces them). */
  async revokeAll(): Promise<void> {
    await (await this.repository()).update({ status: Not('revoked') }, { status: 'revoked', updatedAt: () => 'now()' });
  }

  async setStatus(id: string, status: LicenseStatus): Promise<void> {
    await (await this.repository()).update({ id }, { status, updatedAt: () => 'now()' });
  }

  /** Active again until `validUntil`, with a new key; reminders start over. */
  async renew(id: string, validUntil: Date | null, key: string): Promise<void> {
    await (
      await this.repository()
    ).update({ id }, { status: 'active', validUntil, key, remindersSent: [], updatedAt: () => 'now()' });
  }

  /** New terms (and key) for a license. */
  async setTerms(id: string, terms: Pick<LicenseEntity, 'plan' | 'seats' | 'status' | 'key'>): Promise<void> {
    await (await this.repository()).update({ id }, { ...terms, updatedAt: () => 'now()' });
  }

  /** The days before its end at which owners were reminded. */
  async setRemindersSent(id: string, remindersSent: number[]): Promise<void> {
    await (await this.repository()).update({ id }, { remindersSent });
  }

  private repository() {
    return this.db.repository(LicenseEntity);
  }
}
