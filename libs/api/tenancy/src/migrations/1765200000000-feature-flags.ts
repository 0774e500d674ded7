import { APP_ROLE, PLATFORM_ROLE } from '../tenant-table.js';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Feature flags: global settings per feature (kill switch, rollout), each
 * tenant's overrides (operator configuration about the tenant, kept on
 * `tenants` like its plan), plan features renamed to the catalog's codes; and
 * the platform's own append-only audit log for changes that belong to no tenant.
 */
export class FeatureFlags1765200000000 implements MigrationInterface {
  name = 'FeatureFlags1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table feature_settings (
        code text primary key,
        killed boolean not null default false,
        rollout_percent int check (rollout_percent between 0 and 100),
        updated_at timestamptz not null default now()
      )`);
    await q.query(`grant select, insert, update on feature_settings to ${APP_ROLE}`);
    await q.query(`grant select, insert, update, delete on feature_settings to ${PLATFORM_ROLE}`);
    await q.query(`alter table tenants add column feature_overrides jsonb not null default '{}'`);
    await q.query(`grant update (feature_overrides) on tenants to ${APP_ROLE}`);

    await q.query(
      `update plans set features = array_replace(array_replace(features, 'api_keys', 'api_access'), 'white_label', 'custom_branding')`,
    );
    await q.query(
      `update plans set features = features || '{contacts.import}' where code in ('starter', 'pro', 'enterprise')`,
    );

    // Append-only, like audit_events, but for the platform: plan edits, kill switches, rollouts.
    await q.query(`
      create table platform_audit_events (
        id uuid primary key default gen_random_uuid(),
        action text not null,
        actor_user_id uuid,
        actor_label text,
        subject_type text,
        subject_id text,
        metadata jsonb not null default '{}',
        created_at timestamptz not null default clock_timestamp()
      )`);
    await q.query('create index platform_audit_events_created_idx on platform_audit_events (created_at desc)');
    await q.query(`grant select, insert on platform_audit_events to ${APP_ROLE}`);
    await q.query(`grant select, insert on platform_audit_events to ${PLATFORM_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table platform_audit_events');
    await q.query(`update plans set features = array_remove(features, 'contacts.import')`);
    await q.query(
      `update plans set features = array_replace(array_replace(features, 'api_access', 'api_keys'), 'custom_branding', 'white_label')`,
    );
    await q.query(`revoke update (feature_overrides) on tenants from ${APP_ROLE}`);
    await q.query('alter table tenants drop column feature_overrides');
    await q.query('drop table feature_settings');
  }
}
