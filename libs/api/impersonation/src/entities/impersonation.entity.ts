import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ImpersonationStatus = 'requested' | 'approved' | 'denied' | 'active' | 'ended';

/** A super admin's impersonation of a tenant's user, from consent request to end (tenant-scoped, RLS). */
@Entity('impersonations')
export class ImpersonationEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' }) tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'actor_user_id' }) actorUserId: string;
  @Column('uuid', { name: 'user_id' }) userId: string;
  @Column('text') reason: string;
  @Column('text') status: ImpersonationStatus;
  @Column({ type: 'timestamptz', name: 'created_at', insert: false, update: false }) createdAt: Date;
  @Column('uuid', { name: 'decided_by', nullable: true }) decidedBy: string | null;
  @Column({ type: 'timestamptz', name: 'decided_at', nullable: true }) decidedAt: Date | null;
  @Column({ type: 'timestamptz', name: 'started_at', nullable: true }) startedAt: Date | null;
  @Column({ type: 'timestamptz', name: 'expires_at', nullable: true }) expiresAt: Date | null;
  @Column({ type: 'timestamptz', name: 'ended_at', nullable: true }) endedAt: Date | null;
}
