import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A user's signed-in device: one refresh-token family (global: it spans the user's tenants, unless an IdP started it). */
@Entity('sessions')
export class SessionEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'user_id' }) userId: string;
  @Column({ type: 'timestamptz', name: 'created_at', insert: false, update: false }) createdAt: Date;
  @Column({ type: 'timestamptz', name: 'last_used_at' }) lastUsedAt: Date;
  @Column({ type: 'timestamptz', name: 'expires_at' }) expiresAt: Date;
  @Column({ type: 'timestamptz', name: 'revoked_at', nullable: true }) revokedAt: Date | null;
  @Column('text', { name: 'revoke_reason', nullable: true }) revokeReason: string | null;
  @Column('text', { nullable: true }) ip: string | null;
  @Column('text', { name: 'user_agent', nullable: true }) userAgent: string | null;
  /** The tenant whose identity provider started the session: it is valid there only (null: a password session). */
  @Column('uuid', { name: 'sso_tenant_id', nullable: true }) ssoTenantId: string | null;
}
