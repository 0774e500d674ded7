import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { encodeCursor, RequestContext } from '@tenantry/api-core';
import { PeopleService } from '@tenantry/api-people';
import { TenantDb, TenantsRepository } from '@tenantry/api-tenancy';
import {
  type AuditAction,
  type AuditEvent,
  type Page,
  type PlatformAuditEvent,
  UUID_PATTERN,
} from '@tenantry/contracts';
import { AuditRepository } from './audit.repository.js';
import { toAuditEvent } from './dto/audit-event.mapper.js';
import type { ListAuditEventsQuery } from './dto/list-audit-events.query.js';
import type { ListPlatformAuditEventsQuery } from './dto/list-platform-audit-events.query.js';

export interface AuditEntry {
  action: AuditAction;
  /** Who did it; defaults to the signed-in user of the request. */
  actor?: { userId: string | null; label: string | null };
  target?: { type: string; id: string | null; label?: string | null };
  metadata?: Record<string, unknown>;
}

/** The tenant's append-only audit log: what happened, who did it, from where. */
@Injectable()
export class AuditService {
  constructor(
    private readonly db: TenantDb,
    private readonly events: AuditRepository,
    private readonly tenants: TenantsRepository,
    private readonly people: PeopleService,
  ) {}

  /**
   * Adds an entry in the request's tenant transaction: it commits together
   * with the change it describes, or not at all.
   */
  async record(entry: AuditEntry): Promise<void> {
    const state = RequestContext.current();
    // While a super admin acts as someone, they are the actor, on behalf of that person.
    const onBehalfOf = state?.impersonatorId ? (state.userId ?? null) : null;
    const actorUserId = entry.actor ? entry.actor.userId : (state?.impersonatorId ?? state?.userId ?? null);
    // Emails are copied: the log keeps who acted as they were called then, a later change does not rewrite history.
    await this.events.insert({
      id: randomUUID(),
      action: entry.action,
      actorUserId,
      actorLabel:
        entry.actor?.label ?? (actorUserId ? await this.people.emailOf(actorUserId) : (state?.actorLabel ?? null)),
      onBehalfOfUserId: onBehalfOf,
      onBehalfOfLabel: onBehalfOf ? await this.people.emailOf(onBehalfOf) : null,
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id ?? null,
      targetLabel: entry.target?.label ?? null,
      ip: state?.ip ?? null,
      userAgent: state?.userAgent ?? null,
      metadata: entry.metadata ?? {},
    });
    // What an operator does to a tenant is the platform's business too: the console's log shows it (same transaction).
    if (state?.platformActor && state.tenant) {
      await this.recordPlatform({
        action: entry.action,
        subject: { type: 'tenant', id: state.tenant.id },
        metadata: { ...entry.metadata, ...(entry.target ? { target: entry.target } : {}) },
      });
    }
  }

  /**
   * The platform's own log (plan edits, kill switches, rollouts: changes that
   * belong to no tenant), append-only like the tenants' logs.
   */
  async recordPlatform(entry: {
    action: string;
    subject: { type: string; id: string };
    metadata?: Record<string, unknown>;
  }): Promise<void> {
    const userId = RequestContext.current()?.userId ?? null;
    const user = userId ? await this.people.userById(userId) : null;
    await this.events.insertPlatform({
      action: entry.action,
      actorUserId: userId,
      actorLabel: user?.email ?? null,
      subjectType: entry.subject.type,
      subjectId: entry.subject.id,
      metadata: entry.metadata ?? {},
    });
  }

  /**
   * For a request that is failing (a refused login, a reused refresh token):
   * rolls back what the request wrote, then commits the entry in a transaction
   * of its own, so the refusal itself stays on the record.
   */
  async recordFailure(entry: AuditEntry): Promise<void> {
    const tenant = RequestContext.current()?.tenant;
    if (!tenant) return;
    await this.db.discard();
    await this.db.withTenant(tenant, () => this.record(entry));
  }

  /** Newest first, filtered by actor (id or email), action and time range; keyset-paginated. */
  async list(query: ListAuditEventsQuery): Promise<Page<AuditEvent>> {
    const { entities, cursorKeys } = await this.events.page(query);
    const items = entities.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map(toAuditEvent),
      nextCursor:
        entities.length > query.limit && last
          ? encodeCursor('audit', { key: cursorKeys[items.length - 1], id: last.id })
          : null,
    };
  }

  /** The platform's log, newest first, filtered by action (or family), actor, tenant and time; keyset-paginated. Tenants are named as they are called now. */
  async listPlatform(query: ListPlatformAuditEventsQuery): Promise<Page<PlatformAuditEvent>> {
    const rows = await this.events.platformPage(query);
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    const tenantNames = await this.tenants.names(
      items.flatMap((r) =>
        r.subject_type === 'tenant' && UUID_PATTERN.test(r.subject_id ?? '') ? [r.subject_id!] : [],
      ),
    );
    return {
      items: items.map((r) => ({
        id: r.id,
        action: r.action,
        actor: { userId: r.actor_user_id, label: r.actor_label },
        subject: {
          type: r.subject_type,
          id: r.subject_id,
          label: (r.subject_type === 'tenant' && tenantNames.get(r.subject_id!)) || r.subject_id,
        },
        metadata: r.metadata,
        createdAt: r.created_at.toISOString(),
      })),
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor('platform-audit', { key: last.cursor_key, id: last.id })
          : null,
    };
  }
}
