import type { PlatformRole, TenantRole } from '@tenantry/contracts';

/** A person's global identity; what they may do in a tenant lives in their memberships. */
export interface User {
  id: string;
  email: string;
  displayName: string;
  passwordHash: string | null;
  platformRole: PlatformRole;
  emailVerifiedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A user's role in one tenant. */
export interface Membership {
  tenantId: string;
  id: string;
  userId: string;
  role: TenantRole;
  createdAt: Date;
  /** The membership's version: access tokens carry it, so a role change outdates older ones. */
  updatedAt: Date;
}

/** An invitation to join a tenant; only its token's hash is kept. */
export interface StoredInvitation {
  tenantId: string;
  id: string;
  email: string;
  role: TenantRole;
  tokenHash: Buffer;
  invitedBy: string | null;
  createdAt: Date;
  sentAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  acceptedUserId: string | null;
  revokedAt: Date | null;
}
