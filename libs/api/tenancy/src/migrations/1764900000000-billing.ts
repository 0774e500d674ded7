import { APP_ROLE, createTenantTable, PLATFORM_ROLE } from '../tenant-table.js';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Billing with Stripe: the prices of each plan, a tenant's billing account
 * (its Stripe customer and what its subscription last said), usage already
 * reported to Stripe's meters, and the Stripe events received (each handled
 * once). The subscription's entitlement is a license with source 'stripe'.
 */
export class Billing1764900000000 implements MigrationInterface {
  name = 'Billing1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table plans add column stripe_price_id text');
    await q.query('alter table plans add column stripe_seat_price_id text');
    // Days a past-due subscription keeps full access before the tenant turns read-only.
    await q.query('alter table plans add column grace_days int not null default 7 check (grace_days between 0 and 90)');

    await createTenantTable(q, 'billing_accounts', {
      columns: [
        'stripe_customer_id text',
        'subscription_id text',
        `status text not null default 'none'`,
        'plan text references plans (code)',
        'seats int',
        'current_period_end timestamptz',
        'cancel_at_period_end boolean not null default false',
        'trial_end timestamptz',
        'past_due_since timestamptz',
        'updated_at timestamptz not null default now()',
      ],
      primaryKey: [],
      appPrivileges: ['select', 'insert', 'update'],
    });
    // A copy for the console's cross-tenant views (like license_status).
    await q.query(`alter table tenants add column billing_status text not null default 'none'`);
    await q.query(`grant update (billing_status) on tenants to ${APP_ROLE}`);

    await createTenantTable(q, 'usage_reports', {
      columns: [
        'metric text not null',
        'day date not null',
        'value bigint not null',
        'reported_at timestamptz not null default now()',
      ],
      primaryKey: ['metric', 'day'],
      appPrivileges: ['select', 'insert'],
    });

    // Global: an event id and type are no tenant data. The unique id makes each event handled once.
    await q.query(`
      create table processed_webhook_events (
        event_id text primary key,
        type text not null,
        received_at timestamptz not null default now(),
        processed_at timestamptz
      )`);
    await q.query(`grant select, insert, update on processed_webhook_events to ${APP_ROLE}`);
    await q.query(`grant select, insert, update, delete on processed_webhook_events to ${PLATFORM_ROLE}`);

    await q.query(
      `alter table licenses add column source text not null default 'manual' check (source in ('manual', 'stripe'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table licenses drop column source');
    await q.query('drop table processed_webhook_events');
    await q.query('drop table usage_reports');
    await q.query(`revoke update (billing_status) on tenants from ${APP_ROLE}`);
    await q.query('alter table tenants drop column billing_status');
    await q.query('drop table billing_accounts');
    for (const column of ['grace_days', 'stripe_seat_price_id', 'stripe_price_id'])
      await q.query(`alter table plans drop column ${column}`);
  }
}
