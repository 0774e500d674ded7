import { PLATFORM_ROLE } from '../tenant-table.js';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dedicated databases (enterprise isolation): the registry of databases that
 * can hold tenants, and the tenant row naming its own (null: the shared
 * database). Connection settings are sealed with DATABASE_SECRETS_KEY and
 * readable by the platform role only.
 */
export class TenantDatabases1766200000000 implements MigrationInterface {
  name = 'TenantDatabases1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table tenant_databases (
        id uuid primary key default gen_random_uuid(),
        name text not null unique check (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        -- {"ownerUrl", "appUrl", "platformUrl"} as JSON, AES-256-GCM (SecretBox) under DATABASE_SECRETS_KEY
        connection_sealed text not null,
        created_at timestamptz not null default now()
      )`);
    await q.query(`grant select, insert, update, delete on tenant_databases to ${PLATFORM_ROLE}`);
    await q.query('alter table tenants add column database_id uuid references tenant_databases (id)');
    // Which databases hold tenants (reads across tenants visit each): a few rows, not a scan of every tenant.
    await q.query('create index tenants_database_id on tenants (database_id) where database_id is not null');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table tenants drop column database_id');
    await q.query('drop table tenant_databases');
  }
}
