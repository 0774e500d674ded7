import type { PlatformRole, TenantRole } from '@tenantry/contracts';

/** Claims of a verified access token. */
export interface AccessTokenClaims {
  sub: string;
  tid?: string;
  role?: TenantRole;
  plat?: PlatformRole;
}

/** The authenticated caller, as guards and handlers see it. */
export interface AuthUser {
  userId: string;
  tenantId: string | null;
  role: TenantRole | null;
  platformRole: PlatformRole;
}
