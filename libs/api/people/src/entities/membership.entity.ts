import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { TenantRole } from '@tenantry/contracts';
import type { Membership } from '../people.types.js';

/** A user's role in one tenant (tenant-scoped, RLS). */
@Entity('memberships')
export class MembershipEntity implements Membership {
  @PrimaryColumn('uuid', { name: 'tenant_id' }) tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'user_id' }) userId: string;
  @Column('text') role: TenantRole;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  /** The membership's version: tokens carry it, so a role change outdates older ones. */
  @Column({ type: 'timestamptz', name: 'updated_at', insert: false }) updatedAt: Date;
}
