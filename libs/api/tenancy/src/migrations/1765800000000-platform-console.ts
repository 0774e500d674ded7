import { APP_ROLE, PLATFORM_ROLE } from '../tenant-table.js';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The platform console: operators rename tenants; plans get a list price
 * (the MRR of tenants billed by hand, by license); the daily snapshot of the
 * platform's numbers keeps MRR and tenant counts over time (global, no tenant
 * data in it).
 */
export class PlatformConsole1765800000000 implements MigrationInterface {
  name = 'PlatformConsole1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`grant update (name) on tenants to ${APP_ROLE}`);
    await q.query(`alter table plans add column monthly_price integer check (monthly_price >= 0), add column price_currency text check (price_currency ~ '^[a-z]{3}$'),
                   add constraint plans_price_complete check ((monthly_price is null) = (price_currency is null))`);
    await q.query(`
      create table platform_stats_days (
        day date primary key,
        tenants integer not null,
        paying_tenants integer not null,
        mrr jsonb not null,
        users integer not null,
        computed_at timestamptz not null default now()
      )`);
    await q.query(`grant select, insert, update on platform_stats_days to ${APP_ROLE}`);
    await q.query(`grant select, insert, update on platform_stats_days to ${PLATFORM_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table platform_stats_days');
    await q.query(
      'alter table plans drop constraint plans_price_complete, drop column monthly_price, drop column price_currency',
    );
    await q.query(`revoke update (name) on tenants from ${APP_ROLE}`);
  }
}
