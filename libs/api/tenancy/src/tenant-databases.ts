import { isUniqueViolation, SecretBox } from '@tenantry/api-core';
import { PlatformDatabase } from './platform-database.js';

/** How the platform reaches a dedicated database: one URL per role, as for the shared one. */
export interface DatabaseConnection {
  /** Owns the schema: migrations run as it. */
  ownerUrl: string;
  /** The API's role there: owns nothing, cannot bypass row-level security. */
  appUrl: string;
  /** The platform role there: operator work across the boundary (moves, purges). */
  platformUrl: string;
}

export interface RegisteredDatabase {
  id: string;
  name: string;
  /** host:port/database, never credentials. */
  server: string;
  tenants: number;
  createdAt: string;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** host:port/database of a postgres:// URL, without its credentials. */
export function serverOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

/**
 * The registry of dedicated databases (enterprise isolation), kept in the
 * shared database on the platform path. Connection settings are sealed with
 * DATABASE_SECRETS_KEY: a dump of the shared database does not reveal them.
 */
export class TenantDatabaseRegistry {
  constructor(
    private readonly platform: PlatformDatabase,
    private readonly secretsKey: string | undefined,
    /** The shared database's owner URL: a registered database must be another one. */
    private readonly sharedOwnerUrl: string,
  ) {}

  /**
   * Checks that each URL reaches the same database as the role it is for,
   * migrates it (`migrate` applies this release's migrations to an owner URL)
   * and records it. Nothing is recorded when a check or the migration fails.
   */
  async register(name: string, connection: DatabaseConnection, migrate: (ownerUrl: string) => Promise<string[]>): Promise<{ id: string; applied: string[] }> {
    if (!NAME.test(name)) throw new Error(`"${name}" is not a database name here: 1-63 lowercase letters, digits or dashes`);
    const box = this.box();
    const server = serverOf(connection.ownerUrl);
    if (server === serverOf(this.sharedOwnerUrl)) throw new Error(`${server} is the shared database: a dedicated database must be another one`);
    for (const [role, url] of Object.entries(connection) as [keyof DatabaseConnection, string][]) {
      if (serverOf(url) !== server) throw new Error(`${role} reaches ${serverOf(url)}, the owner URL ${server}: all three must name one database`);
    }
    const [taken] = await this.platform.query<{ name: string }>('select name from tenant_databases where name = $1', [name]);
    if (taken) throw new Error(`a dedicated database named ${name} is registered already`);
    await assertRestricted(connection.appUrl, 'app');
    await assertRestricted(connection.platformUrl, 'platform');
    const applied = await migrate(connection.ownerUrl);
    try {
      const [row] = await this.platform.query<{ id: string }>('insert into tenant_databases (name, connection_sealed) values ($1, $2) returning id', [
        name,
        box.seal(JSON.stringify(connection)),
      ]);
      return { id: row.id, applied };
    } catch (error) {
      if (isUniqueViolation(error)) throw new Error(`a dedicated database named ${name} is registered already`);
      throw error;
    }
  }

  /** Every registered database with its connection settings (opened: needs DATABASE_SECRETS_KEY). */
  async connections(): Promise<{ id: string; name: string; connection: DatabaseConnection }[]> {
    const rows = await this.platform.query<{ id: string; name: string; connection_sealed: string }>('select id, name, connection_sealed from tenant_databases order by name');
    if (rows.length === 0) return [];
    const box = this.box();
    return rows.map((r) => ({ id: r.id, name: r.name, connection: JSON.parse(box.open(r.connection_sealed)) as DatabaseConnection }));
  }

  /** What the operator sees: names, servers and how many tenants live on each. */
  async list(): Promise<RegisteredDatabase[]> {
    const counts = await this.platform.query<{ id: string; tenants: number; created_at: Date }>(
      `select d.id, d.created_at, count(t.id)::int as tenants from tenant_databases d left join tenants t on t.database_id = d.id and t.deleted_at is null group by d.id`,
    );
    return (await this.connections()).map((d) => {
      const row = counts.find((c) => c.id === d.id)!;
      return { id: d.id, name: d.name, server: serverOf(d.connection.ownerUrl), tenants: row.tenants, createdAt: row.created_at.toISOString() };
    });
  }

  private box(): SecretBox {
    if (!this.secretsKey) throw new Error("DATABASE_SECRETS_KEY is not set: it seals dedicated databases' connection settings (32 characters or more)");
    return new SecretBox(this.secretsKey, 'tenantry database connections');
  }
}

/** The app and platform roles must not be able to step around row-level security there. */
async function assertRestricted(url: string, role: 'app' | 'platform'): Promise<void> {
  const db = new PlatformDatabase(url);
  try {
    const [me] = await db
      .query<{ superuser: boolean; bypass: boolean; owns: number }>(
        `select r.rolsuper as superuser, r.rolbypassrls as bypass,
                (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relowner = r.oid and n.nspname = 'public') as owns
           from pg_roles r where r.rolname = current_user`,
      )
      .catch((error: Error) => {
        throw new Error(`the ${role} URL does not connect to ${serverOf(url)}: ${error.message}`);
      });
    if (me.superuser || me.owns > 0 || (role === 'app' && me.bypass)) {
      throw new Error(`the ${role} URL's role is a superuser, owns tables, or bypasses row-level security: use the ${role} role of docker/postgres/init-roles.sql`);
    }
  } finally {
    await db.close();
  }
}
