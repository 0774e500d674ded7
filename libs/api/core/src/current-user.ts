import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ErrorCode, type Permission, type PlatformRole, type TenantRole } from '@tenantry/contracts';
import { AppError } from './app-error.js';

/** A signed-in person, as guards and handlers see them. */
export interface AuthUser {
  userId: string;
  sessionId: string;
  tenantId: string | null;
  role: TenantRole | null;
  platformRole: PlatformRole;
  /** The super admin acting as this user (impersonation), if any. */
  impersonatorId?: string;
}

/** An API key that authenticated a request: its scopes stand in for a role. */
export interface ApiKeyCaller {
  id: string;
  name: string;
  prefix: string;
  tenantId: string;
  scopes: Permission[];
}

/** What the auth guard puts on the request: a person (`user`) or an API key (`apiKey`). */
export interface AuthenticatedRequest {
  user?: AuthUser;
  apiKey?: ApiKeyCaller;
}

/** The signed-in person calling the route (routes a key may call have a permission and need no person). */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): AuthUser => {
  const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!user) throw new AppError(ErrorCode.FORBIDDEN, { reason: 'this route is for people, not API keys' });
  return user;
});
