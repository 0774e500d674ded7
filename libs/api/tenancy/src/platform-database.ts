import type { OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * The explicit cross-tenant data path: its own small pool, as the platform
 * role (which bypasses RLS and owns no table). For operator work that spans
 * tenants — the console's lists and stats, the purge, the seed — and never
 * reachable from a tenant request (only `@PlatformOnly` routes and jobs use it).
 * Connects on first use: an API that never serves the console holds no
 * platform connection.
 */
export class PlatformDatabase implements OnApplicationShutdown {
  private source: Promise<DataSource> | null = null;

  constructor(
    private readonly url: string,
    /** libpq-style `options` for each connection (DEDICATED_SEARCH_PATH on a dedicated database). */
    private readonly options?: string,
  ) {}

  static async connect(url: string): Promise<PlatformDatabase> {
    const platform = new PlatformDatabase(url);
    await platform.dataSource();
    return platform;
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.dataSource()).query(sql, params);
  }

  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return (await this.dataSource()).transaction(work);
  }

  async close(): Promise<void> {
    const source = this.source;
    this.source = null;
    const dataSource = await source?.catch(() => null);
    if (dataSource?.isInitialized) await dataSource.destroy();
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  private dataSource(): Promise<DataSource> {
    this.source ??= new DataSource({
      type: 'postgres',
      url: this.url,
      extra: { max: 4, application_name: 'tenantry-platform', options: this.options },
    })
      .initialize()
      .catch((error: unknown) => {
        // A database that was down at the first use is tried again at the next.
        this.source = null;
        throw error;
      });
    return this.source;
  }
}
