import { createTenantTable } from '../tenant-table.js';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const HEX6 = `~ '^#[0-9a-f]{6}$'`;

/**
 * White-label branding: one row per tenant that changed anything (no row: the
 * defaults). Colors are stored as lower-case #rrggbb; images as file names
 * (content hashes) in the file storage. `tenants.primary_color` moves here;
 * the signup wizard's inline `tenants.logo` (a data URL) gives way to stored files.
 */
export class Branding1765500000000 implements MigrationInterface {
  name = 'Branding1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await createTenantTable(q, 'branding', {
      primaryKey: [],
      columns: [
        'display_name text',
        `primary_color text check (primary_color ${HEX6})`,
        `secondary_color text check (secondary_color ${HEX6})`,
        'welcome_message text',
        'footer_text text',
        'email_from_name text',
        `email_color text check (email_color ${HEX6})`,
        'logo text',
        'favicon text',
        'background text',
        'updated_at timestamptz not null default now()',
      ],
    });
    // Row-level security is forced for the owner too: each tenant's row is written inside that tenant.
    const tenants: { id: string; primary_color: string }[] = await q.query(
      `select id, primary_color from tenants where lower(primary_color) <> '#4f46e5'`,
    );
    for (const t of tenants) {
      const hex =
        t.primary_color.length === 4 ? `#${[...t.primary_color.slice(1)].map((c) => c + c).join('')}` : t.primary_color;
      await q.query(`select set_config('app.tenant_id', $1, true)`, [t.id]);
      await q.query('insert into branding (tenant_id, primary_color) values ($1, $2)', [t.id, hex.toLowerCase()]);
    }
    await q.query(`select set_config('app.tenant_id', '', true)`);
    await q.query('alter table tenants drop column primary_color, drop column logo');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table tenants add column primary_color text not null default '#4f46e5', add column logo text`);
    await q.query('drop table branding');
  }
}
