import { APP_ROLE, createTenantTable, MEMBERSHIP_OWNER_POLICY, PLATFORM_ROLE } from '../tenant-table.js';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Sessions with rotating refresh tokens, the audit log, and a user's view of their own memberships. */
export class Identity1763900000000 implements MigrationInterface {
  name = 'Identity1763900000000';

  async up(q: QueryRunner): Promise<void> {
    // A session is a user's signed-in device: it belongs to the user, not to a
    // tenant (switching tenant keeps it; logout-all ends every one), so it is global.
    await q.query(`
      create table sessions (
        id uuid primary key default gen_random_uuid(),
        user_id uuid not null references users(id) on delete cascade,
        created_at timestamptz not null default now(),
        last_used_at timestamptz not null default now(),
        expires_at timestamptz not null,
        revoked_at timestamptz,
        revoke_reason text,
        ip text,
        user_agent text
      )`);
    await q.query('create index sessions_user_idx on sessions (user_id, created_at desc)');
    // The refresh-token chain of each session: only hashes; a rotated token stays
    // to recognise its reuse (theft) until the session ends.
    await q.query(`
      create table refresh_tokens (
        token_hash bytea primary key,
        session_id uuid not null references sessions(id) on delete cascade,
        created_at timestamptz not null default now(),
        rotated_at timestamptz
      )`);
    await q.query('create index refresh_tokens_session_idx on refresh_tokens (session_id)');
    for (const table of ['sessions', 'refresh_tokens']) {
      await q.query(`grant select, insert, update on ${table} to ${APP_ROLE}`);
      await q.query(`grant select, insert, update, delete on ${table} to ${PLATFORM_ROLE}`);
    }

    // Tokens carry the membership's version (updated_at, in milliseconds) so a
    // role change or removal outdates the tokens issued before it.
    await q.query(
      `alter table memberships add column updated_at timestamptz not null default date_trunc('milliseconds', now())`,
    );
    // Outside any tenant, a user sees their own memberships (and nothing else):
    // the tenant switcher's list. Reviewed in the isolation catalog.
    await q.query(
      `create policy ${MEMBERSHIP_OWNER_POLICY.name} on memberships for select using (${MEMBERSHIP_OWNER_POLICY.using})`,
    );

    // Single-use links sent by email (password reset, email verification): hashes only.
    await q.query('alter table users add column email_verified_at timestamptz');
    await q.query(`
      create table user_tokens (
        token_hash bytea primary key,
        user_id uuid not null references users(id) on delete cascade,
        purpose text not null check (purpose in ('password_reset', 'email_verification')),
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        used_at timestamptz
      )`);
    await q.query('create index user_tokens_user_idx on user_tokens (user_id, purpose)');
    await q.query(`grant select, insert, update on user_tokens to ${APP_ROLE}`);
    await q.query(`grant select, insert, update, delete on user_tokens to ${PLATFORM_ROLE}`);

    await createTenantTable(q, 'invitations', {
      columns: [
        'id uuid not null default gen_random_uuid()',
        'email text not null check (email = lower(email))',
        `role text not null check (role in ('owner', 'admin', 'member', 'viewer'))`,
        'token_hash bytea not null',
        'invited_by uuid references users(id) on delete set null',
        'created_at timestamptz not null default now()',
        'sent_at timestamptz not null default now()',
        'expires_at timestamptz not null',
        'accepted_at timestamptz',
        'accepted_user_id uuid references users(id) on delete set null',
        'revoked_at timestamptz',
      ],
      constraints: ['unique (tenant_id, token_hash)'],
      indexes: { invitations_created_idx: 'created_at desc, id desc' },
    });
    // One open invitation per address and tenant: inviting again renews it.
    await q.query(
      'create unique index invitations_open_email_key on invitations (tenant_id, email) where accepted_at is null and revoked_at is null',
    );

    await createTenantTable(q, 'api_keys', {
      columns: [
        'id uuid not null default gen_random_uuid()',
        'name text not null check (length(name) between 1 and 100)',
        'prefix text not null',
        'secret_hash bytea not null',
        `scopes text[] not null default '{}'`,
        'created_by uuid references users(id) on delete set null',
        'created_at timestamptz not null default now()',
        'expires_at timestamptz',
        'last_used_at timestamptz',
        'revoked_at timestamptz',
      ],
      constraints: ['unique (tenant_id, secret_hash)'],
      indexes: { api_keys_created_idx: 'created_at desc' },
    });

    // Append-only: the app may add and read entries, never change or remove them.
    await createTenantTable(q, 'audit_events', {
      columns: [
        'id uuid not null default gen_random_uuid()',
        'action text not null',
        'actor_user_id uuid',
        'actor_label text',
        'target_type text',
        'target_id text',
        'target_label text',
        'ip text',
        'user_agent text',
        `metadata jsonb not null default '{}'`,
        // Microseconds, and the cursor keeps them: entries of one millisecond still page in order.
        'created_at timestamptz not null default clock_timestamp()',
      ],
      indexes: {
        audit_events_created_idx: 'created_at desc, id desc',
        audit_events_action_idx: 'action, created_at desc',
        audit_events_actor_idx: 'actor_user_id, created_at desc',
      },
      appPrivileges: ['select', 'insert'],
    });
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table audit_events');
    await q.query('drop table invitations');
    await q.query('drop table api_keys');
    await q.query('drop table user_tokens');
    await q.query('alter table users drop column email_verified_at');
    await q.query(`drop policy ${MEMBERSHIP_OWNER_POLICY.name} on memberships`);
    await q.query('alter table memberships drop column updated_at');
    await q.query('drop table refresh_tokens');
    await q.query('drop table sessions');
  }
}
