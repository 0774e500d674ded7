import type { TenantRole } from '@tenantry/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { StoredInvitation } from '../people.types.js';

/** An invitation to join a tenant (tenant-scoped, RLS). Only the token's hash is stored. */
@Entity('invitations')
export class InvitationEntity implements StoredInvitation {
  @PrimaryColumn('uuid', { name: 'tenant_id' }) tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') email: string;
  @Column('text') role: TenantRole;
  @Column('bytea', { name: 'token_hash' }) tokenHash: Buffer;
  @Column('uuid', { name: 'invited_by', nullable: true }) invitedBy: string | null;
  @Column({ type: 'timestamptz', name: 'created_at', insert: false, update: false }) createdAt: Date;
  @Column({ type: 'timestamptz', name: 'sent_at' }) sentAt: Date;
  @Column({ type: 'timestamptz', name: 'expires_at' }) expiresAt: Date;
  @Column({ type: 'timestamptz', name: 'accepted_at', nullable: true }) acceptedAt: Date | null;
  @Column('uuid', { name: 'accepted_user_id', nullable: true }) acceptedUserId: string | null;
  @Column({ type: 'timestamptz', name: 'revoked_at', nullable: true }) revokedAt: Date | null;
}
