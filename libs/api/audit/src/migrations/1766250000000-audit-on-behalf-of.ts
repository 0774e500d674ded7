import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An audit entry written while a super admin acts as someone names both: the operator (actor) and the person (on behalf of). */
export class AuditOnBehalfOf1766250000000 implements MigrationInterface {
  name = 'AuditOnBehalfOf1766250000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table audit_events add column on_behalf_of_user_id uuid, add column on_behalf_of_label text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table audit_events drop column on_behalf_of_user_id, drop column on_behalf_of_label');
  }
}
