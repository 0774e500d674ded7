import { Injectable } from '@nestjs/common';
import { decodeTimeCursor } from '@tenantry/api-core';
import { TenantDb } from '@tenantry/api-tenancy';
import { UUID_PATTERN } from '@tenantry/contracts';
import type { ListAuditEventsQuery } from './dto/list-audit-events.query.js';
import type { ListPlatformAuditEventsQuery } from './dto/list-platform-audit-events.query.js';
import { AuditEventEntity } from './entities/audit-event.entity.js';

/** A row of the platform's log, with the text its cursor carries. */
export interface PlatformAuditRow {
  id: string;
  action: string;
  actor_user_id: string | null;
  actor_label: string | null;
  subject_type: string | null;
  subject_id: string | null;
  metadata: Record<string, unknown>;
  created_at: Date;
  cursor_key: string;
}

/** created_at to the microsecond, as a cursor carries it (a JS Date would cut it to milliseconds). */
const CURSOR_KEY = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const INSERT_PLATFORM_EVENT =
  'insert into platform_audit_events (action, actor_user_id, actor_label, subject_type, subject_id, metadata) values ($1, $2, $3, $4, $5, $6)';

/**
 * The audit_events table (in the context's tenant transaction: row-level
 * security scopes it to the tenant) and platform_audit_events (global, in the
 * context's global transaction).
 */
@Injectable()
export class AuditRepository {
  constructor(private readonly db: TenantDb) {}

  async insert(event: Omit<AuditEventEntity, 'tenantId' | 'createdAt'>): Promise<void> {
    await (await this.db.repository(AuditEventEntity)).insert({ ...event, metadata: event.metadata as object });
  }

  async insertPlatform(event: {
    action: string;
    actorUserId: string | null;
    actorLabel: string | null;
    subjectType: string;
    subjectId: string;
    metadata: Record<string, unknown>;
  }): Promise<void> {
    await this.db.globalTransaction(async (m) => {
      await m.query(INSERT_PLATFORM_EVENT, [
        event.action,
        event.actorUserId,
        event.actorLabel,
        event.subjectType,
        event.subjectId,
        event.metadata,
      ]);
    });
  }

  /** One keyset page of the tenant's log plus one row (whether another page follows), newest first, each with its cursor key. */
  async page(query: ListAuditEventsQuery): Promise<{ entities: AuditEventEntity[]; cursorKeys: string[] }> {
    const qb = (await this.db.repository(AuditEventEntity)).createQueryBuilder('e');
    if (query.actor) {
      if (UUID_PATTERN.test(query.actor)) qb.andWhere('e.actor_user_id = :actor', { actor: query.actor });
      else qb.andWhere('lower(e.actor_label) = lower(:actor)', { actor: query.actor });
    }
    if (query.action) qb.andWhere('e.action = :action', { action: query.action });
    if (query.from) qb.andWhere('e.created_at >= :from', { from: query.from });
    if (query.to) qb.andWhere('e.created_at < :to', { to: query.to });
    if (query.cursor)
      qb.andWhere('(e.created_at, e.id) < (:key::timestamptz, :id)', decodeTimeCursor('audit', query.cursor));
    qb.addSelect(CURSOR_KEY('e.created_at'), 'cursor_key');
    const { entities, raw } = await qb
      .orderBy('e.created_at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(query.limit + 1)
      .getRawAndEntities<{ cursor_key: string }>();
    return { entities, cursorKeys: raw.map((r) => r.cursor_key) };
  }

  /** One keyset page of the platform's log plus one row, newest first, filtered by action (or family), actor, tenant and time. */
  async platformPage(query: ListPlatformAuditEventsQuery): Promise<PlatformAuditRow[]> {
    const filters: string[] = [];
    const params: unknown[] = [];
    if (query.action)
      filters.push(
        query.action.includes('.')
          ? `e.action = $${params.push(query.action)}`
          : `e.action like $${params.push(`${query.action}.%`)}`,
      );
    if (query.actor)
      filters.push(
        UUID_PATTERN.test(query.actor)
          ? `e.actor_user_id = $${params.push(query.actor)}`
          : `lower(e.actor_label) = lower($${params.push(query.actor)})`,
      );
    if (query.tenantId) filters.push(`e.subject_type = 'tenant' and e.subject_id = $${params.push(query.tenantId)}`);
    if (query.from) filters.push(`e.created_at >= $${params.push(query.from)}`);
    if (query.to) filters.push(`e.created_at < $${params.push(query.to)}`);
    if (query.cursor) {
      const after = decodeTimeCursor('platform-audit', query.cursor);
      filters.push(`(e.created_at, e.id) < ($${params.push(after.key)}::timestamptz, $${params.push(after.id)}::uuid)`);
    }
    return this.db.globalTransaction((m) =>
      m.query(
        `select e.id, e.action, e.actor_user_id, e.actor_label, e.subject_type, e.subject_id, e.metadata, e.created_at,
                ${CURSOR_KEY('e.created_at')} as cursor_key
           from platform_audit_events e
          ${filters.length ? `where ${filters.join(' and ')}` : ''}
          order by e.created_at desc, e.id desc limit $${params.push(query.limit + 1)}`,
        params,
      ),
    );
  }
}
