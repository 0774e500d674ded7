import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { TenantRole } from '@tenantry/contracts';

/** A user's role in one tenant (tenant-scoped, RLS). */
@Entity('memberships')
export class MembershipEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' }) tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'user_id' }) userId: string;
  @Column('text') role: TenantRole;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
