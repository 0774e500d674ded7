import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What the signup wizard asks about the company: its industry and (optionally) its logo, a small image kept inline until the branding module stores files. */
export class TenantProfile1765100000000 implements MigrationInterface {
  name = 'TenantProfile1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table tenants add column industry text check (length(industry) <= 60)');
    await q.query(
      `alter table tenants add column logo text check (logo ~ '^data:image/(png|jpeg|webp);base64,[A-Za-z0-9+/=]+$' and length(logo) <= 280000)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table tenants drop column logo');
    await q.query('alter table tenants drop column industry');
  }
}
