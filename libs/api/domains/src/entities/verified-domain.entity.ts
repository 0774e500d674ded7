import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A domain claimed by a tenant (tenant-scoped, RLS); verified once its DNS TXT record is seen. */
@Entity('verified_domains')
export class VerifiedDomainEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' }) tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') domain: string;
  @Column('text', { name: 'verification_token' }) verificationToken: string;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy: string | null;
  @Column({ type: 'timestamptz', name: 'created_at', insert: false, update: false }) createdAt: Date;
  @Column({ type: 'timestamptz', name: 'verified_at', nullable: true }) verifiedAt: Date | null;
  @Column('boolean', { name: 'auto_join' }) autoJoin: boolean;
  @Column('boolean', { name: 'sso_required' }) ssoRequired: boolean;
  @Column({ type: 'timestamptz', name: 'last_checked_at', nullable: true }) lastCheckedAt: Date | null;
  @Column('text', { name: 'last_check_error', nullable: true }) lastCheckError: string | null;
}
