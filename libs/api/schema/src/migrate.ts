import { DataSource } from 'typeorm';
import { MIGRATIONS } from './all-migrations.js';

/** Applies pending migrations as the owner role; returns the names applied. */
export async function migrate(ownerUrl: string): Promise<string[]> {
  const dataSource = await new DataSource({
    type: 'postgres',
    url: ownerUrl,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    extra: { application_name: 'tenantry-migrate' },
  }).initialize();
  try {
    const applied = await dataSource.runMigrations();
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
