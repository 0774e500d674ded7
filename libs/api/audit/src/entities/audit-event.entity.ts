import type { AuditAction } from '@tenantry/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One audit log entry (tenant-scoped, RLS; the app role may only insert and select). */
@Entity('audit_events')
export class AuditEventEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' }) tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') action: AuditAction;
  @Column('uuid', { name: 'actor_user_id', nullable: true }) actorUserId: string | null;
  @Column('text', { name: 'actor_label', nullable: true }) actorLabel: string | null;
  /** The person a super admin acted as (impersonation); the actor is then the super admin. */
  @Column('uuid', { name: 'on_behalf_of_user_id', nullable: true }) onBehalfOfUserId: string | null;
  @Column('text', { name: 'on_behalf_of_label', nullable: true }) onBehalfOfLabel: string | null;
  @Column('text', { name: 'target_type', nullable: true }) targetType: string | null;
  @Column('text', { name: 'target_id', nullable: true }) targetId: string | null;
  @Column('text', { name: 'target_label', nullable: true }) targetLabel: string | null;
  @Column('text', { nullable: true }) ip: string | null;
  @Column('text', { name: 'user_agent', nullable: true }) userAgent: string | null;
  @Column('jsonb') metadata: Record<string, unknown>;
  @Column({ type: 'timestamptz', name: 'created_at', insert: false, update: false }) createdAt: Date;
}
