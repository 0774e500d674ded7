import { APP_ROLE } from '../tenant-table.js';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_COLUMNS =
  'trial_ends_at, plan_after_trial, trial_reminded_at, limits_usage, limits_peak, limits_checked_at';

/**
 * Super admins edit the plans catalog through the API; tenants try a plan once
 * (trials), and the platform console sees which tenants are close to a limit.
 * Both are copies on `tenants`, like the license status: operator data about a
 * tenant, written by the tenant's own transactions and the daily/periodic jobs.
 */
export class TrialsAndLimitWatch1764800000000 implements MigrationInterface {
  name = 'TrialsAndLimitWatch1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`grant insert, update on plans to ${APP_ROLE}`);
    // A trial: the tenant is on the tried plan until trial_ends_at, then back on plan_after_trial.
    // trial_ends_at stays after the end: a tenant tries once.
    await q.query('alter table tenants add column trial_ends_at timestamptz');
    await q.query('alter table tenants add column plan_after_trial text references plans (code)');
    await q.query('alter table tenants add column trial_reminded_at timestamptz');
    // The last check of seats and monthly usage against the limits: {"seats": {"used": 4, "limit": 5}, …} and the fullest in percent.
    await q.query('alter table tenants add column limits_usage jsonb');
    await q.query('alter table tenants add column limits_peak int');
    await q.query('alter table tenants add column limits_checked_at timestamptz');
    await q.query(
      'create index tenants_limits_peak_idx on tenants (limits_peak desc) where limits_peak is not null and deleted_at is null',
    );
    await q.query(`grant update (${TENANT_COLUMNS}) on tenants to ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`revoke update (${TENANT_COLUMNS}) on tenants from ${APP_ROLE}`);
    for (const column of TENANT_COLUMNS.split(', ').reverse())
      await q.query(`alter table tenants drop column ${column}`);
    await q.query(`revoke insert, update on plans from ${APP_ROLE}`);
  }
}
