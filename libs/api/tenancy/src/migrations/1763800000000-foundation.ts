import { APP_ROLE, createTenantTable, PLATFORM_ROLE } from '../tenant-table.js';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tenants, users, memberships and the sample contacts table. */
export class Foundation1763800000000 implements MigrationInterface {
  name = 'Foundation1763800000000';

  async up(q: QueryRunner): Promise<void> {
    // Global tables (no tenant_id, no RLS).
    await q.query(`
      create table tenants (
        id uuid primary key default gen_random_uuid(),
        slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$'),
        name text not null check (length(name) between 1 and 100),
        status text not null default 'trial' check (status in ('trial', 'active', 'suspended', 'cancelled')),
        plan text not null default 'free',
        primary_color text not null default '#4f46e5' check (primary_color ~ '^#([0-9a-fA-F]{3}){1,2}$'),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        deleted_at timestamptz
      )`);
    await q.query(`grant select, insert on tenants to ${APP_ROLE}`);
    await q.query(`grant select, insert, update, delete on tenants to ${PLATFORM_ROLE}`);

    await q.query(`
      create table users (
        id uuid primary key default gen_random_uuid(),
        email text not null check (email = lower(email)),
        display_name text not null,
        password_hash text,
        platform_role text not null default 'none' check (platform_role in ('none', 'super_admin')),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    await q.query('create unique index users_email_key on users (email)');
    await q.query(`grant select, insert, update on users to ${APP_ROLE}`);
    await q.query(`grant select, insert, update, delete on users to ${PLATFORM_ROLE}`);

    // Tenant tables.
    await createTenantTable(q, 'memberships', {
      columns: [
        'id uuid not null default gen_random_uuid()',
        'user_id uuid not null references users(id) on delete cascade',
        `role text not null check (role in ('owner', 'admin', 'member', 'viewer'))`,
        'created_at timestamptz not null default now()',
      ],
      constraints: ['unique (tenant_id, user_id)'],
      indexes: { memberships_user_idx: 'user_id' },
    });
    await createTenantTable(q, 'contacts', {
      columns: [
        'id uuid not null default gen_random_uuid()',
        'name text not null',
        'email text',
        'company text',
        `tags text[] not null default '{}'`,
        'notes text',
        // Millisecond precision: keyset cursors carry created_at through JavaScript dates.
        `created_at timestamptz not null default date_trunc('milliseconds', now())`,
        'updated_at timestamptz not null default now()',
      ],
      indexes: {
        contacts_created_idx: 'created_at desc, id desc',
        contacts_name_idx: 'lower(name), id',
      },
    });
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table contacts');
    await q.query('drop table memberships');
    await q.query('drop table users');
    await q.query('drop table tenants');
  }
}
