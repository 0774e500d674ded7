import { createTenantTable } from '@tenantry/api-tenancy/migrations';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** SAML identity providers of a tenant (several allowed, each can be disabled). */
export class SsoConnections1764200000000 implements MigrationInterface {
  name = 'SsoConnections1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await createTenantTable(q, 'sso_connections', {
      columns: [
        'id uuid not null default gen_random_uuid()',
        'name text not null check (length(name) between 1 and 100)',
        'enabled boolean not null default true',
        'idp_entity_id text not null',
        'idp_sso_url text not null',
        // PEM certificates the IdP signs with (several during a rotation); pinned, never taken from a response.
        'idp_certificates text[] not null',
        `default_role text not null default 'member' check (default_role in ('admin', 'member', 'viewer'))`,
        `attribute_mapping jsonb not null default '{}'`,
        `group_roles jsonb not null default '[]'`,
        'allow_idp_initiated boolean not null default false',
        'created_at timestamptz not null default now()',
        'updated_at timestamptz not null default now()',
      ],
      indexes: { sso_connections_created_idx: 'created_at' },
    });
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table sso_connections');
  }
}
