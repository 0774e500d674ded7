import { SetMetadata } from '@nestjs/common';
import type { Permission } from '@tenantry/contracts';

export const REQUIRED_PERMISSION = 'tenantry:permission';

/**
 * The permission a route needs, from the matrix in `@tenantry/contracts`. The
 * auth module's guard grants it to the tenant roles of that row (for people)
 * or to keys that carry it as a scope (for API keys).
 */
export const RequirePermission = (permission: Permission) => SetMetadata(REQUIRED_PERMISSION, permission);
