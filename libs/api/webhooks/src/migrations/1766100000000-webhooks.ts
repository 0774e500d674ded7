import { createTenantTable } from '@tenantry/api-tenancy/migrations';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbound webhooks: a tenant's endpoints, and every delivery of an event to one of them (the delivery log). */
export class Webhooks1766100000000 implements MigrationInterface {
  name = 'Webhooks1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await createTenantTable(q, 'webhook_endpoints', {
      columns: [
        'id uuid not null default gen_random_uuid()',
        'url text not null check (length(url) <= 2000)',
        'description text',
        `events text[] not null`,
        'enabled boolean not null default true',
        // AES-256-GCM under a key derived from JWT_SECRET: the signing secret must be readable to sign, so it is encrypted, not hashed.
        'secret_sealed text not null',
        'secret_hint text not null',
        'created_by uuid references users(id) on delete set null',
        'created_at timestamptz not null default now()',
      ],
    });
    await createTenantTable(q, 'webhook_deliveries', {
      columns: [
        'id uuid not null default gen_random_uuid()',
        'endpoint_id uuid not null',
        'event_id uuid not null',
        'event text not null',
        'payload jsonb not null',
        `status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed'))`,
        'attempts int not null default 0',
        'response_status int',
        'error text',
        'duration_ms int',
        'created_at timestamptz not null default now()',
        'last_attempt_at timestamptz',
        'next_attempt_at timestamptz',
      ],
      constraints: [
        'foreign key (tenant_id, endpoint_id) references webhook_endpoints (tenant_id, id) on delete cascade',
      ],
      indexes: { webhook_deliveries_endpoint_idx: 'endpoint_id, created_at desc' },
    });
    // The sweep for deliveries that were never queued looks across tenants at a small set.
    await q.query(
      `create index webhook_deliveries_unqueued_idx on webhook_deliveries (created_at) where status = 'pending' and attempts = 0`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table webhook_deliveries');
    await q.query('drop table webhook_endpoints');
  }
}
