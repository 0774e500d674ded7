import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A tenant may let people with an email on one of its verified domains join it. */
export class DomainAutoJoin1764300000000 implements MigrationInterface {
  name = 'DomainAutoJoin1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table verified_domains add column auto_join boolean not null default false');
    // Reviewed extra policy (see the isolation catalog): outside any tenant, verified
    // auto-join domains are readable, so a signed-in user can find the tenants they may join.
    // The tenant chose to be found by that domain; inside a tenant this matches nothing.
    await q.query(`create policy auto_join_domains on verified_domains for select using (
      verified_at is not null and auto_join and (select nullif(current_setting('app.tenant_id', true), '')) is null)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop policy auto_join_domains on verified_domains');
    await q.query('alter table verified_domains drop column auto_join');
  }
}
