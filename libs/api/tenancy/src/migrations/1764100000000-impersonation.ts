import { APP_ROLE, createTenantTable } from '../tenant-table.js';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Super-admin impersonation: requests (with an owner's consent where the tenant asks for it) and sessions. */
export class Impersonation1764100000000 implements MigrationInterface {
  name = 'Impersonation1764100000000';

  async up(q: QueryRunner): Promise<void> {
    // A platform setting per tenant: set by the operator, read when impersonation starts.
    await q.query('alter table tenants add column impersonation_consent_required boolean not null default false');
    // Only this column: the console changes it through the API, nothing else of a tenant row.
    await q.query(`grant update (impersonation_consent_required) on tenants to ${APP_ROLE}`);
    await createTenantTable(q, 'impersonations', {
      columns: [
        'id uuid not null default gen_random_uuid()',
        'actor_user_id uuid not null references users(id) on delete cascade',
        'user_id uuid not null references users(id) on delete cascade',
        'reason text not null check (length(reason) between 10 and 500)',
        `status text not null check (status in ('requested', 'approved', 'denied', 'active', 'ended'))`,
        'created_at timestamptz not null default now()',
        'decided_by uuid references users(id) on delete set null',
        'decided_at timestamptz',
        'started_at timestamptz',
        'expires_at timestamptz',
        'ended_at timestamptz',
      ],
      indexes: { impersonations_created_idx: 'created_at desc' },
      appPrivileges: ['select', 'insert', 'update'],
    });
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table impersonations');
    await q.query('alter table tenants drop column impersonation_consent_required');
  }
}
