import { APP_ROLE, PLATFORM_ROLE } from '@tenantry/api-tenancy/migrations';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each API instance records what it runs and beats a heartbeat: the console's releases (global, no tenant data). */
export class Releases1765900000000 implements MigrationInterface {
  name = 'Releases1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table api_instances (
        id uuid primary key,
        version text not null,
        hostname text not null,
        pid integer not null,
        started_at timestamptz not null default now(),
        last_seen_at timestamptz not null default now(),
        stopped_at timestamptz
      )`);
    await q.query('create index api_instances_seen_idx on api_instances (last_seen_at desc)');
    await q.query(`grant select, insert, update, delete on api_instances to ${APP_ROLE}`);
    await q.query(`grant select, insert, update, delete on api_instances to ${PLATFORM_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table api_instances');
  }
}
