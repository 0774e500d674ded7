import { createTenantTable } from '@tenantry/api-tenancy/migrations';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Domains a tenant claims and proves by DNS (the base of SSO domain checks). */
export class VerifiedDomains1764000000000 implements MigrationInterface {
  name = 'VerifiedDomains1764000000000';

  async up(q: QueryRunner): Promise<void> {
    // No uniqueness across tenants: two tenants of one company may both prove the
    // same domain, and a global unique index would tell a tenant who else claimed it.
    await createTenantTable(q, 'verified_domains', {
      columns: [
        'id uuid not null default gen_random_uuid()',
        `domain text not null check (domain = lower(domain) and length(domain) between 4 and 253)`,
        'verification_token text not null',
        'created_by uuid references users(id) on delete set null',
        'created_at timestamptz not null default now()',
        'verified_at timestamptz',
        'last_checked_at timestamptz',
        'last_check_error text',
      ],
      constraints: ['unique (tenant_id, domain)'],
    });
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table verified_domains');
  }
}
