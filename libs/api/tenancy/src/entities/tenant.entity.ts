import { Column, CreateDateColumn, DeleteDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { TenantStatus } from '@tenantry/contracts';

/** A customer company. Global table (no RLS): resolution must find it before a tenant is known. */
@Entity('tenants')
export class TenantEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') slug: string;
  @Column('text') name: string;
  @Column('text') status: TenantStatus;
  @Column('text') plan: string;
  @Column('text', { nullable: true }) industry: string | null;
  /** Its dedicated database (tenant_databases); null: the shared one. */
  @Column('uuid', { name: 'database_id', nullable: true }) databaseId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz' }) deletedAt: Date | null;
}
