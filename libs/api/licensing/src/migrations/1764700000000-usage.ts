import { createTenantTable } from '@tenantry/api-tenancy/migrations';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Metered usage per tenant, metric and day, flushed from Redis by a job;
 * `usage_flushes` remembers each flushed batch so a retried flush never counts twice.
 */
export class Usage1764700000000 implements MigrationInterface {
  name = 'Usage1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await createTenantTable(q, 'usage_counters', {
      columns: [
        `metric text not null check (metric in ('api_calls', 'contacts'))`,
        'day date not null',
        'count bigint not null check (count >= 0)',
      ],
      primaryKey: ['metric', 'day'],
      appPrivileges: ['select', 'insert', 'update'],
    });
    await createTenantTable(q, 'usage_flushes', {
      columns: ['batch_id uuid not null', 'flushed_at timestamptz not null default now()'],
      primaryKey: ['batch_id'],
      appPrivileges: ['select', 'insert'],
    });
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table usage_flushes');
    await q.query('drop table usage_counters');
  }
}
