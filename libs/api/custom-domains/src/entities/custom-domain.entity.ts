import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A tenant's own host name (tenant-scoped, RLS); routes to the tenant once its DNS TXT record is seen. */
@Entity('custom_domains')
export class CustomDomainEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' }) tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') hostname: string;
  @Column('text', { name: 'verification_token' }) verificationToken: string;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy: string | null;
  @Column({ type: 'timestamptz', name: 'created_at', insert: false, update: false }) createdAt: Date;
  @Column({ type: 'timestamptz', name: 'verified_at', nullable: true }) verifiedAt: Date | null;
  @Column({ type: 'timestamptz', name: 'last_checked_at', nullable: true }) lastCheckedAt: Date | null;
  @Column('text', { name: 'last_check_error', nullable: true }) lastCheckError: string | null;
  @Column({ type: 'timestamptz', name: 'failing_since', nullable: true }) failingSince: Date | null;
}
