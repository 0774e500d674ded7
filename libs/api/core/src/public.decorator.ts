import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'tenantry:isPublic';

/** Marks a route as open to callers without an access token (every other route needs one). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
