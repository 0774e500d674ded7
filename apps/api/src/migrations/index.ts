import { Foundation1763800000000 } from './1763800000000-foundation.js';
import { Identity1763900000000 } from './1763900000000-identity.js';

/** Every migration, oldest first. Add new ones at the end. */
export const MIGRATIONS = [Foundation1763800000000, Identity1763900000000];
