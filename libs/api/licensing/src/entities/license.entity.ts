import type { LicenseStatus } from '@tenantry/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A license of a tenant (tenant-scoped, RLS). */
@Entity('licenses')
export class LicenseEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' }) tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') plan: string;
  @Column('int', { nullable: true }) seats: number | null;
  @Column('text') status: LicenseStatus;
  @Column({ type: 'timestamptz', name: 'valid_from' }) validFrom: Date;
  @Column({ type: 'timestamptz', name: 'valid_until', nullable: true }) validUntil: Date | null;
  @Column('text') key: string;
  @Column('uuid', { name: 'issued_by', nullable: true }) issuedBy: string | null;
  @Column('int', { name: 'reminders_sent', array: true }) remindersSent: number[];
  /** 'stripe': the entitlement of a subscription (billing keeps it in step); 'manual': issued by a super admin. */
  @Column('text') source: 'manual' | 'stripe';
  @Column({ type: 'timestamptz', name: 'created_at', insert: false, update: false }) createdAt: Date;
  @Column({ type: 'timestamptz', name: 'updated_at', insert: false }) updatedAt: Date;
}
