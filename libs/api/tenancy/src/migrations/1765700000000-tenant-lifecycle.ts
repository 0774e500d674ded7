import { APP_ROLE } from '../tenant-table.js';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenant lifecycle: why a tenant is suspended (its people see it), and
 * deletion in two steps — soft (`deleted_at`, restorable until `purge_after`),
 * then the purge job empties every tenant table and marks `purged_at` (the
 * row stays as a tombstone: the address is never handed to someone else).
 */
export class TenantLifecycle1765700000000 implements MigrationInterface {
  name = 'TenantLifecycle1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'alter table tenants add column suspended_reason text, add column purge_after timestamptz, add column purged_at timestamptz',
    );
    await q.query(`grant update (status, suspended_reason, deleted_at, purge_after) on tenants to ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`revoke update (status, suspended_reason, deleted_at, purge_after) on tenants from ${APP_ROLE}`);
    await q.query('alter table tenants drop column suspended_reason, drop column purge_after, drop column purged_at');
  }
}
