import { APP_ROLE, PLATFORM_ROLE } from '../tenant-table.js';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The plans catalog (global, edited by the platform) and each tenant's plan.
 * Seats are enforced now; usage limits, rate limits and features are read by
 * the metering and feature-flag modules.
 */
export class Plans1764500000000 implements MigrationInterface {
  name = 'Plans1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table plans (
        code text primary key check (code ~ '^[a-z][a-z0-9-]{1,30}$'),
        name text not null check (length(name) between 1 and 100),
        -- null: unlimited
        seats int check (seats > 0),
        monthly_limits jsonb not null default '{}',
        rate_limit_per_minute int check (rate_limit_per_minute > 0),
        features text[] not null default '{}',
        trial_days int not null default 0 check (trial_days >= 0),
        sort_order int not null default 0,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    await q.query(`grant select on plans to ${APP_ROLE}`);
    await q.query(`grant select, insert, update, delete on plans to ${PLATFORM_ROLE}`);
    await q.query(`
      insert into plans (code, name, seats, monthly_limits, rate_limit_per_minute, features, trial_days, sort_order) values
        ('free', 'Free', 5, '{"api_calls": 10000, "contacts": 500}', 60, '{}', 0, 1),
        ('starter', 'Starter', 10, '{"api_calls": 100000, "contacts": 5000}', 300, '{api_keys}', 14, 2),
        ('pro', 'Pro', 50, '{"api_calls": 1000000, "contacts": 50000}', 1200, '{api_keys,sso,audit_export}', 14, 3),
        ('enterprise', 'Enterprise', null, '{}', null, '{api_keys,sso,audit_export,white_label,custom_domains}', 30, 4)`);
    await q.query('alter table tenants add constraint tenants_plan_fk foreign key (plan) references plans (code)');
    // The platform console changes plans through the app role: this column only.
    await q.query(`grant update (plan) on tenants to ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`revoke update (plan) on tenants from ${APP_ROLE}`);
    await q.query('alter table tenants drop constraint tenants_plan_fk');
    await q.query('drop table plans');
  }
}
