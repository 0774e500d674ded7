import type { AuditEvent } from '@tenantry/contracts';
import type { AuditEventEntity } from '../entities/audit-event.entity.js';

export function toAuditEvent(e: AuditEventEntity): AuditEvent {
  return {
    id: e.id,
    action: e.action,
    actor: { userId: e.actorUserId, label: e.actorLabel },
    onBehalfOf: e.onBehalfOfUserId ? { userId: e.onBehalfOfUserId, label: e.onBehalfOfLabel } : null,
    target: e.targetType ? { type: e.targetType, id: e.targetId, label: e.targetLabel } : null,
    ip: e.ip,
    userAgent: e.userAgent,
    metadata: e.metadata,
    createdAt: e.createdAt.toISOString(),
  };
}
