import { MIGRATIONS as AUDIT } from '@tenantry/api-audit/migrations';
import { MIGRATIONS as CONTACTS } from '@tenantry/api-contacts/migrations';
import { MIGRATIONS as CUSTOM_DOMAINS } from '@tenantry/api-custom-domains/migrations';
import { MIGRATIONS as DATA_EXPORT } from '@tenantry/api-data-export/migrations';
import { MIGRATIONS as DOMAINS } from '@tenantry/api-domains/migrations';
import { MIGRATIONS as LICENSING } from '@tenantry/api-licensing/migrations';
import { MIGRATIONS as MAINTENANCE } from '@tenantry/api-maintenance/migrations';
import { MIGRATIONS as RELEASES } from '@tenantry/api-releases/migrations';
import { MIGRATIONS as SSO } from '@tenantry/api-sso/migrations';
import { MIGRATIONS as TENANCY } from '@tenantry/api-tenancy/migrations';
import { MIGRATIONS as WEBHOOKS } from '@tenantry/api-webhooks/migrations';
import type { MigrationInterface } from 'typeorm';

/** A migration class. TypeORM knows it by its name, which ends in the 13-digit timestamp that places it. */
export type Migration = new () => MigrationInterface;

/**
 * The migrations by timestamp, whichever module each comes from. Two with one timestamp are refused: they would
 * run in an order nobody chose, and a database migrated by one release could differ from one migrated by another.
 */
export function inTimestampOrder(migrations: Migration[]): Migration[] {
  const byTimestamp = new Map<string, Migration>();
  for (const migration of migrations) {
    const timestamp = /\d{13}$/.exec(migration.name)?.[0];
    if (!timestamp) throw new Error(`Migration ${migration.name}: its name must end in a 13-digit timestamp`);
    const other = byTimestamp.get(timestamp);
    if (other)
      throw new Error(`Migrations ${other.name} and ${migration.name} share the timestamp ${timestamp}: change one`);
    byTimestamp.set(timestamp, migration);
  }
  return [...byTimestamp].sort(([a], [b]) => a.localeCompare(b)).map(([, migration]) => migration);
}

/** Every module's migrations, oldest first; the tenancy core's include the schema's shared history. */
export const MIGRATIONS = inTimestampOrder([
  ...TENANCY,
  ...AUDIT,
  ...CONTACTS,
  ...CUSTOM_DOMAINS,
  ...DATA_EXPORT,
  ...DOMAINS,
  ...LICENSING,
  ...MAINTENANCE,
  ...RELEASES,
  ...SSO,
  ...WEBHOOKS,
]);
