import type { PlatformRole, TenantRole } from '@tenantry/contracts';

/** Claims of a verified access token (besides iss, aud, iat, exp, jti). */
export interface AccessTokenClaims {
  sub: string;
  /** The session (refresh-token family) the token was issued from. */
  sid: string;
  tid?: string;
  role?: TenantRole;
  /** Version of the membership (its updated_at in ms): a later role change outdates the token. */
  mv?: number;
  plat?: PlatformRole;
  /** RFC 8693 actor: the super admin impersonating `sub` (sid is then the impersonation's id). */
  act?: { sub: string };
}
