import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'tenantry:isPublic';

/** Marks a route as open to callers without an access token (every other route needs one). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const AVAILABLE_IN_MAINTENANCE = 'tenantry:availableInMaintenance';

/** Keeps a route answering during maintenance (health, status, branding, the edge's and Stripe's calls, sign-in for operators). */
export const AvailableInMaintenance = () => SetMetadata(AVAILABLE_IN_MAINTENANCE, true);
