import { SetMetadata } from '@nestjs/common';
import type { Permission, FeatureCode } from '@tenantry/contracts';

export const REQUIRED_PERMISSION = 'tenantry:permission';

/**
 * The permission a route needs, from the matrix in `@tenantry/contracts`. The
 * auth module's guard grants it to the tenant roles of that row (for people)
 * or to keys that carry it as a scope (for API keys).
 */
export const RequirePermission = (permission: Permission) => SetMetadata(REQUIRED_PERMISSION, permission);

export const IMPERSONATION_RULE = 'tenantry:impersonation-rule';

/** What a super admin acting as someone may do on a route: `allow` it, or `deny` it (IMPERSONATION_FORBIDDEN). */
export type ImpersonationRule = 'allow' | 'deny';

/**
 * A route's rule for impersonation. Without one, reads (GET, HEAD) are
 * allowed and every change is denied: support may look, and may change only
 * what a route explicitly allows (the tenant's product data), never
 * anything that outlives the session (people, roles, keys, endpoints, SSO).
 * `deny` on a read keeps the person's own things private (sessions, exports).
 */
export const WhileImpersonating = (rule: ImpersonationRule) => SetMetadata(IMPERSONATION_RULE, rule);

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The rule that applies to a route: its own, or the default for its HTTP method. */
export const impersonationRule = (declared: ImpersonationRule | undefined, method: string): ImpersonationRule =>
  declared ?? (READS.has(method.toUpperCase()) ? 'allow' : 'deny');

export const PLATFORM_ONLY = 'tenantry:platform-only';

/** Routes of the platform console: super admins signed in to the platform (no tenant) only. */
export const PlatformOnly = () => SetMetadata(PLATFORM_ONLY, true);

export const REQUIRED_FEATURE = 'tenantry:required-feature';
/** Only for tenants that have this feature (feature flags: kill switch, override, plan, rollout, default): else 403 FEATURE_DISABLED. */
export const RequireFeature = (feature: FeatureCode) => SetMetadata(REQUIRED_FEATURE, feature);
