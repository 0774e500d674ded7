import { TenantDataSources, TenantDb } from '@tenantry/api-tenancy';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { TestDatabase } from './test-database.js';

/**
 * A library's integration tests' door to the database: the app role's connections to `db`
 * (pipelined, as the API's pool is), knowing `entities`, and the TenantDb over them that
 * services take. `max`: the pool's size (small, so a leaked connection shows).
 */
export async function openTenantDb(
  db: TestDatabase,
  options: { entities?: DataSourceOptions['entities']; max?: number; connectionTimeoutMillis?: number } = {},
): Promise<{ dataSource: DataSource; tenantDb: TenantDb }> {
  const { entities = [], ...pool } = options;
  const dataSource = await new DataSource({
    type: 'postgres',
    url: db.appUrl,
    entities,
    extra: { pipeline: true, ...pool },
  }).initialize();
  return { dataSource, tenantDb: new TenantDb(dataSource, TenantDataSources.single(dataSource)) };
}
