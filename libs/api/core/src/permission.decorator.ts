import { SetMetadata } from '@nestjs/common';
import type { Permission, FeatureCode } from '@tenantry/contracts';

export const REQUIRED_PERMISSION = 'tenantry:permission';

/**
 * The permission a route needs, from the matrix in `@tenantry/contracts`. The
 * auth module's guard grants it to the tenant roles of that row (for people)
 * or to keys that carry it as a scope (for API keys).
 */
export const RequirePermission = (permission: Permission) => SetMetadata(REQUIRED_PERMISSION, permission);

export const NOT_WHILE_IMPERSONATING = 'tenantry:not-while-impersonating';

/**
 * Actions reserved to the person themselves (password, keys, security
 * settings): refused with IMPERSONATION_FORBIDDEN to a super admin who acts as them.
 */
export const NotWhileImpersonating = () => SetMetadata(NOT_WHILE_IMPERSONATING, true);

export const PLATFORM_ONLY = 'tenantry:platform-only';

/** Routes of the platform console: super admins signed in to the platform (no tenant) only. */
export const PlatformOnly = () => SetMetadata(PLATFORM_ONLY, true);

export const REQUIRED_FEATURE = 'tenantry:required-feature';
/** Only for tenants that have this feature (feature flags: kill switch, override, plan, rollout, default): else 403 FEATURE_DISABLED. */
export const RequireFeature = (feature: FeatureCode) => SetMetadata(REQUIRED_FEATURE, feature);
