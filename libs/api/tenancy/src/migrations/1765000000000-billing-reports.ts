import { APP_ROLE } from '../tenant-table.js';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_COLUMNS = 'billing_mrr_cents, billing_currency, billing_past_due_since';

/**
 * What the console sums across tenants (copies on `tenants`, written by the
 * subscription sync): monthly recurring revenue and the past-due date; and
 * the first day of usage a tenant's subscription pays for (reported to Stripe).
 */
export class BillingReports1765000000000 implements MigrationInterface {
  name = 'BillingReports1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table tenants add column billing_mrr_cents bigint not null default 0');
    await q.query('alter table tenants add column billing_currency text');
    await q.query('alter table tenants add column billing_past_due_since timestamptz');
    await q.query(`grant update (${TENANT_COLUMNS}) on tenants to ${APP_ROLE}`);
    await q.query('alter table billing_accounts add column usage_reported_from date');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table billing_accounts drop column usage_reported_from');
    await q.query(`revoke update (${TENANT_COLUMNS}) on tenants from ${APP_ROLE}`);
    for (const column of TENANT_COLUMNS.split(', ')) await q.query(`alter table tenants drop column ${column}`);
  }
}
