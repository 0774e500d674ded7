import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AppConfig, ChangeBus, ExpiringCache, type ResolvedTenant } from '@tenantry/api-core';
import type { DedicatedDatabase } from '@tenantry/contracts';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { PlatformDatabase } from './platform-database.js';
import { type DatabaseConnection, DEDICATED_SEARCH_PATH, TenantDatabaseRegistry } from './tenant-databases.js';

/** How long an instance trusts what it read of a tenant's home database: as long as a cached tenant (a move announces itself sooner, on the ChangeBus, and fences the old database longer). */
const HOME_TTL_MS = 5_000;

/**
 * Where each tenant's rows live: the shared database, or the dedicated one
 * its tenant row names (enterprise isolation). One pool per dedicated
 * database, as the app role, opened at its first tenant's first request.
 */
@Injectable()
export class TenantDataSources implements OnApplicationShutdown {
  private readonly logger = new Logger(TenantDataSources.name);
  private readonly registry: TenantDatabaseRegistry;
  private readonly homes = new ExpiringCache<string | null>(10_000);
  private readonly dedicated = new Map<string, Promise<DataSource>>();
  private readonly dedicatedPlatform = new Map<string, Promise<PlatformDatabase>>();

  constructor(
    @InjectDataSource() private readonly shared: DataSource,
    private readonly platform: PlatformDatabase,
    changes: ChangeBus,
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
  ) {
    const database = config.get('database', { infer: true });
    this.registry = new TenantDatabaseRegistry(platform, database.secretsKey, database.ownerUrl);
    changes.subscribe('tenants', (tenant) => this.homes.delete(String(tenant.id)));
  }

  /** The registered dedicated databases, for the console (names, servers, tenant counts). */
  databases(): Promise<DedicatedDatabase[]> {
    return this.registry.list();
  }

  /** For tools and tests on one database: every tenant lives in `source`. */
  static single(source: DataSource): Pick<TenantDataSources, 'of' | 'all'> {
    return { of: async () => source, all: async () => [source] };
  }

  /** The database holding the rows of `tenant` (its `databaseId` when the caller knows it: null is the shared one). */
  async of(tenant: Pick<ResolvedTenant, 'id' | 'databaseId'>): Promise<DataSource> {
    const databaseId = tenant.databaseId !== undefined ? tenant.databaseId : await this.homeOf(tenant.id);
    return databaseId ? this.open(databaseId) : this.shared;
  }

  /**
   * The platform path (operator work, past row-level security) on the database
   * holding `tenantId`'s rows; on a dedicated one, global tables such as
   * `tenants` reach the shared database as they do for the API.
   */
  async platformOf(tenantId: string): Promise<PlatformDatabase> {
    const databaseId = await this.homeOf(tenantId);
    return databaseId ? this.platformOn(databaseId) : this.platform;
  }

  /** The platform path on the shared database, then on every dedicated one that holds a tenant: for sweeps across tenants. */
  async platforms(): Promise<PlatformDatabase[]> {
    return [this.platform, ...(await this.dedicatedPlatforms())];
  }

  /** The platform path on every dedicated database that holds a tenant: for console reads that add what those hold to the shared database's answer. */
  async dedicatedPlatforms(): Promise<PlatformDatabase[]> {
    return Promise.all((await this.databasesInUse()).map((id) => this.platformOn(id)));
  }

  /**
   * The rows of `sql` on the platform path of the shared database and of every
   * dedicated one that holds a tenant, together: for console reads across tenants
   * of tables each database holds for its own tenants.
   */
  async everywhere<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const databases = await this.platforms();
    return (await Promise.all(databases.map((db) => db.query<T>(sql, params)))).flat();
  }

  /** The id of the registered dedicated database called `name`; null when there is none. */
  databaseIdNamed(name: string): Promise<string | null> {
    return this.registry.idNamed(name);
  }

  /** The shared database, then every dedicated one that holds a tenant: for the few reads that span tenants (a user's workspaces). */
  async all(): Promise<DataSource[]> {
    return [this.shared, ...(await Promise.all((await this.databasesInUse()).map((id) => this.open(id))))];
  }

  async onApplicationShutdown(): Promise<void> {
    const sources = [...this.dedicated.values()];
    const platforms = await Promise.all([...this.dedicatedPlatform.values()].map((p) => p.catch(() => null)));
    this.dedicated.clear();
    this.dedicatedPlatform.clear();
    await Promise.all([
      ...sources.map(async (pending) => (await pending.catch(() => null))?.destroy()),
      ...platforms.map((p) => p?.close()),
    ]);
  }

  /** The dedicated databases that hold a tenant (a deleted one until its purge). */
  private async databasesInUse(): Promise<string[]> {
    const rows: { id: string }[] = await this.shared.query(
      'select distinct database_id as id from tenants where database_id is not null and purged_at is null',
    );
    return rows.map((r) => r.id);
  }

  private platformOn(databaseId: string): Promise<PlatformDatabase> {
    let platform = this.dedicatedPlatform.get(databaseId);
    if (!platform) {
      platform = this.registered(databaseId).then(
        (connection) => new PlatformDatabase(connection.platformUrl, DEDICATED_SEARCH_PATH),
      );
      // A failed look-up is not remembered: the next call tries again.
      platform.catch(() => this.dedicatedPlatform.delete(databaseId));
      this.dedicatedPlatform.set(databaseId, platform);
    }
    return platform;
  }

  private async homeOf(tenantId: string): Promise<string | null> {
    const cached = this.homes.get(tenantId);
    if (cached !== undefined) return cached;
    const rows: { database_id: string | null }[] = await this.shared.query(
      'select database_id from tenants where id = $1',
      [tenantId],
    );
    const home = rows[0]?.database_id ?? null;
    this.homes.set(tenantId, home, Date.now() + HOME_TTL_MS);
    return home;
  }

  private open(databaseId: string): Promise<DataSource> {
    let pending = this.dedicated.get(databaseId);
    if (!pending) {
      pending = this.connect(databaseId).catch((error: Error) => {
        // Not remembered: the next request tries again (the database may have been down).
        this.dedicated.delete(databaseId);
        this.logger.error(`dedicated database ${databaseId} is unreachable: ${error.message}`);
        throw error;
      });
      this.dedicated.set(databaseId, pending);
    }
    return pending;
  }

  private async registered(databaseId: string): Promise<DatabaseConnection> {
    const registered = (await this.registry.connections()).find((d) => d.id === databaseId);
    if (!registered) throw new Error(`no dedicated database ${databaseId} is registered`);
    return registered.connection;
  }

  private async connect(databaseId: string): Promise<DataSource> {
    const connection = await this.registered(databaseId);
    // The shared pool's settings (entities, pool size and timeouts), on the dedicated database.
    const options = this.shared.options as Extract<DataSourceOptions, { type: 'postgres' }>;
    return new DataSource({
      ...options,
      url: connection.appUrl,
      extra: { ...options.extra, options: DEDICATED_SEARCH_PATH },
    }).initialize();
  }
}
