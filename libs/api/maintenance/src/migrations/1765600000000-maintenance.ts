import { APP_ROLE, PLATFORM_ROLE } from '@tenantry/api-tenancy/migrations';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Maintenance mode: the operator's switch (one row) and weekly scheduled windows. Platform tables: no tenant data. */
export class Maintenance1765600000000 implements MigrationInterface {
  name = 'Maintenance1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table maintenance_switch (
        id boolean primary key default true check (id),
        active boolean not null default false,
        message text,
        ends_at timestamptz,
        updated_at timestamptz not null default now()
      )`);
    await q.query('insert into maintenance_switch default values');
    await q.query(`
      create table maintenance_windows (
        id uuid primary key default gen_random_uuid(),
        day_of_week int not null check (day_of_week between 0 and 6),
        start_minute int not null check (start_minute between 0 and 1439),
        duration_minutes int not null check (duration_minutes between 1 and 1440),
        time_zone text not null,
        message text,
        created_at timestamptz not null default now()
      )`);
    await q.query(`grant select, update on maintenance_switch to ${APP_ROLE}`);
    await q.query(`grant select, insert, delete on maintenance_windows to ${APP_ROLE}`);
    await q.query(
      `grant select, insert, update, delete on maintenance_switch, maintenance_windows to ${PLATFORM_ROLE}`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table maintenance_windows');
    await q.query('drop table maintenance_switch');
  }
}
