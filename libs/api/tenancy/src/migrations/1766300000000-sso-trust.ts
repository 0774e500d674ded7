import { createTenantTable } from '../tenant-table.js';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a tenant's identity provider is trusted with: the sessions it starts
 * are valid in that tenant only, and an existing account that is an owner or
 * belongs elsewhere is linked to a connection once the person confirms it.
 */
export class SsoTrust1766300000000 implements MigrationInterface {
  name = 'SsoTrust1766300000000';

  async up(q: QueryRunner): Promise<void> {
    // Null for a password session (valid in every tenant of the person).
    await q.query('alter table sessions add column sso_tenant_id uuid references tenants(id) on delete cascade');
    await createTenantTable(q, 'sso_account_links', {
      columns: [
        'id uuid not null default gen_random_uuid()',
        'connection_id uuid not null',
        'user_id uuid not null references users(id) on delete cascade',
        // The mailed link while it waits (hash only); null once confirmed.
        'token_hash bytea',
        'expires_at timestamptz',
        'asked_at timestamptz not null default now()',
        'confirmed_at timestamptz',
        'created_at timestamptz not null default now()',
      ],
      constraints: [
        'foreign key (tenant_id, connection_id) references sso_connections (tenant_id, id) on delete cascade',
        'unique (tenant_id, connection_id, user_id)',
        'unique (tenant_id, token_hash)',
      ],
    });
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table sso_account_links');
    await q.query('alter table sessions drop column sso_tenant_id');
  }
}
