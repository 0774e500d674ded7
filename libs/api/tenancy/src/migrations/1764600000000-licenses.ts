import { APP_ROLE, createTenantTable } from '../tenant-table.js';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Licenses a super admin issues to a tenant (plan, seats, validity, signed key).
 * The tenant's current license status and end are copied onto `tenants`, so
 * every request knows "read-only" from the tenant look-up it already makes,
 * and the daily expiry job finds licenses to expire or remind about.
 */
export class Licenses1764600000000 implements MigrationInterface {
  name = 'Licenses1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await createTenantTable(q, 'licenses', {
      columns: [
        'id uuid not null default gen_random_uuid()',
        'plan text not null references plans (code)',
        // null: the plan's seats
        'seats int check (seats > 0)',
        `status text not null default 'active' check (status in ('active', 'expired', 'suspended', 'revoked'))`,
        'valid_from timestamptz not null',
        'valid_until timestamptz',
        'key text not null',
        'issued_by uuid references users(id) on delete set null',
        // Days-before-expiry reminders already sent (30, 7, 1): each goes once.
        `reminders_sent int[] not null default '{}'`,
        'created_at timestamptz not null default now()',
        'updated_at timestamptz not null default now()',
      ],
      indexes: { licenses_created_idx: 'created_at desc' },
      appPrivileges: ['select', 'insert', 'update'],
    });
    await q.query(
      `alter table tenants add column license_status text not null default 'none' check (license_status in ('none', 'active', 'expired', 'suspended'))`,
    );
    await q.query('alter table tenants add column license_valid_until timestamptz');
    await q.query(`grant update (license_status, license_valid_until) on tenants to ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`revoke update (license_status, license_valid_until) on tenants from ${APP_ROLE}`);
    await q.query('alter table tenants drop column license_valid_until');
    await q.query('alter table tenants drop column license_status');
    await q.query('drop table licenses');
  }
}
