import { createTenantTable } from '@tenantry/api-tenancy/migrations';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** CSV imports of contacts: the file waits here for its job, which records progress and each refused row. */
export class ContactImports1765300000000 implements MigrationInterface {
  name = 'ContactImports1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await createTenantTable(q, 'contact_imports', {
      columns: [
        'id uuid not null default gen_random_uuid()',
        'file_name text not null',
        `status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed'))`,
        'total_rows int not null default 0',
        'processed_rows int not null default 0',
        'imported_rows int not null default 0',
        'failed_rows int not null default 0',
        // The first 1,000 refused rows: {row, field, message}.
        `errors jsonb not null default '[]'`,
        // The CSV until the job is done with it.
        'source text',
        'created_by uuid references users(id) on delete set null',
        'created_at timestamptz not null default now()',
        'finished_at timestamptz',
      ],
      indexes: { contact_imports_created_idx: 'created_at desc' },
      appPrivileges: ['select', 'insert', 'update'],
    });
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table contact_imports');
  }
}
