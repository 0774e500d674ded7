import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SSO sign-in: each connection serves some of the tenant's verified domains (an
 * email's domain picks the connection; other domains are refused), and a
 * domain can require SSO (no password sign-in or invitations for its emails).
 */
export class SsoLogin1764400000000 implements MigrationInterface {
  name = 'SsoLogin1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table sso_connections add column domains text[] not null default '{}'`);
    await q.query('alter table verified_domains add column sso_required boolean not null default false');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table verified_domains drop column sso_required');
    await q.query('alter table sso_connections drop column domains');
  }
}
