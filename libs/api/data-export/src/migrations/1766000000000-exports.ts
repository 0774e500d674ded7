import { createTenantTable } from '@tenantry/api-tenancy/migrations';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Exports of a tenant's data: a job writes the zip, the owner downloads it through a signed link for 24 hours. */
export class Exports1766000000000 implements MigrationInterface {
  name = 'Exports1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await createTenantTable(q, 'exports', {
      columns: [
        'id uuid not null default gen_random_uuid()',
        `status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed', 'expired'))`,
        'total_rows bigint not null default 0',
        'processed_rows bigint not null default 0',
        'size_bytes bigint',
        // Where the zip is (FileStorage), while it can be downloaded.
        'file_key text',
        'error text',
        'requested_by uuid references users(id) on delete set null',
        'created_at timestamptz not null default now()',
        'finished_at timestamptz',
        'expires_at timestamptz',
      ],
      indexes: { exports_created_idx: 'created_at desc' },
      appPrivileges: ['select', 'insert', 'update'],
    });
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table exports');
  }
}
