import { DataSource, type EntityManager } from 'typeorm';

/**
 * The explicit cross-tenant data path: its own connection, as the platform
 * role (which bypasses RLS and owns no table). For operator work that spans
 * tenants — the seed and tests today, the platform console later — and never
 * reachable from a tenant request.
 */
export class PlatformDatabase {
  private constructor(private readonly dataSource: DataSource) {}

  static async connect(url: string): Promise<PlatformDatabase> {
    const dataSource = new DataSource({ type: 'postgres', url, extra: { max: 4, application_name: 'tenantry-platform' } });
    return new PlatformDatabase(await dataSource.initialize());
  }

  query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.dataSource.query(sql, params);
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  close(): Promise<void> {
    return this.dataSource.destroy();
  }
}
