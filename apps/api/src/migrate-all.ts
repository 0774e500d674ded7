import type { AppConfig } from '@tenantry/api-core';
import { migrate } from '@tenantry/api-schema';
import { linkSharedTables, PlatformDatabase, TenantDatabaseRegistry } from '@tenantry/api-tenancy';

/** `npm run migrate`: the shared database, then every registered dedicated database (linked to the shared tables again); the migrations applied to each. */
export async function migrateAll(database: AppConfig['database']): Promise<{ database: string; applied: string[] }[]> {
  const results = [{ database: 'shared', applied: await migrate(database.ownerUrl) }];
  const platform = new PlatformDatabase(database.platformUrl);
  try {
    const registry = new TenantDatabaseRegistry(platform, database.secretsKey, database.ownerUrl);
    for (const dedicated of await registry.connections()) {
      const applied = await migrate(dedicated.connection.ownerUrl);
      await linkSharedTables(dedicated.connection.ownerUrl);
      results.push({ database: dedicated.name, applied });
    }
    return results;
  } finally {
    await platform.close();
  }
}
