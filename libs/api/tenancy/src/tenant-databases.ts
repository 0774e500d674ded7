import { isUniqueViolation, SecretBox } from '@tenantry/api-core';
import type { DedicatedDatabase } from '@tenantry/contracts';
import { PlatformDatabase } from './platform-database.js';
import { APP_ROLE, PLATFORM_ROLE } from './tenant-table.js';

/** The foreign server (postgres_fdw) through which a dedicated database reaches the shared one. */
const SHARED_SERVER = 'tenantry_shared';
/**
 * Connection option for the API's and the platform's connections to a
 * dedicated database: the shared database's global tables (users, tenants,
 * plans, sessions, …), imported as foreign tables into the schema `shared`,
 * come before the database's own empty copies in `public`. So the same SQL
 * and entities work there unchanged — joins of tenant rows with users, and
 * writes to global tables inside the tenant transaction.
 */
export const DEDICATED_SEARCH_PATH = '-c search_path=shared,public';

/** How the platform reaches a dedicated database: one URL per role, as for the shared one. */
export interface DatabaseConnection {
  /** Owns the schema: migrations run as it. */
  ownerUrl: string;
  /** The API's role there: owns nothing, cannot bypass row-level security. */
  appUrl: string;
  /** The platform role there: operator work across the boundary (moves, purges). */
  platformUrl: string;
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
  async register(
    name: string,
    connection: DatabaseConnection,
    migrate: (ownerUrl: string) => Promise<string[]>,
  ): Promise<{ id: string; applied: string[] }> {
    if (!NAME.test(name))
      throw new Error(`"${name}" is not a database name here: 1-63 lowercase letters, digits or dashes`);
    const box = this.box();
    const server = serverOf(connection.ownerUrl);
    if (server === serverOf(this.sharedOwnerUrl))
      throw new Error(`${server} is the shared database: a dedicated database must be another one`);
    for (const [role, url] of Object.entries(connection) as [keyof DatabaseConnection, string][]) {
      if (serverOf(url) !== server)
        throw new Error(`${role} reaches ${serverOf(url)}, the owner URL ${server}: all three must name one database`);
    }
    const [taken] = await this.platform.query<{ name: string }>('select name from tenant_databases where name = $1', [
      name,
    ]);
    if (taken) throw new Error(`a dedicated database named ${name} is registered already`);
    await assertRestricted(connection.appUrl, 'app');
    await assertRestricted(connection.platformUrl, 'platform');
    await assertPrepared(connection.ownerUrl);
    const applied = await migrate(connection.ownerUrl);
    await linkSharedTables(connection.ownerUrl);
    try {
      const [row] = await this.platform.query<{ id: string }>(
        'insert into tenant_databases (name, connection_sealed) values ($1, $2) returning id',
        [name, box.seal(JSON.stringify(connection))],
      );
      return { id: row.id, applied };
    } catch (error) {
      if (isUniqueViolation(error)) throw new Error(`a dedicated database named ${name} is registered already`);
      throw error;
    }
  }

  async idNamed(name: string): Promise<string | null> {
    const [row] = await this.platform.query<{ id: string }>('select id from tenant_databases where name = $1', [name]);
    return row?.id ?? null;
  }

  /** Every registered database with its connection settings (opened: needs DATABASE_SECRETS_KEY). */
  async connections(): Promise<{ id: string; name: string; connection: DatabaseConnection }[]> {
    const rows = await this.platform.query<{ id: string; name: string; connection_sealed: string }>(
      'select id, name, connection_sealed from tenant_databases order by name',
    );
    if (rows.length === 0) return [];
    const box = this.box();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      connection: JSON.parse(box.open(r.connection_sealed)) as DatabaseConnection,
    }));
  }

  /** What the operator sees: names, servers and how many tenants live on each. */
  async list(): Promise<DedicatedDatabase[]> {
    const counts = await this.platform.query<{ id: string; tenants: number; created_at: Date }>(
      `select d.id, d.created_at, count(t.id)::int as tenants from tenant_databases d left join tenants t on t.database_id = d.id and t.deleted_at is null group by d.id`,
    );
    return (await this.connections()).map((d) => {
      const row = counts.find((c) => c.id === d.id)!;
      return {
        id: d.id,
        name: d.name,
        server: serverOf(d.connection.ownerUrl),
        tenants: row.tenants,
        createdAt: row.created_at.toISOString(),
      };
    });
  }

  private box(): SecretBox {
    if (!this.secretsKey)
      throw new Error(
        "DATABASE_SECRETS_KEY is not set: it seals dedicated databases' connection settings (32 characters or more)",
      );
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
      throw new Error(
        `the ${role} URL's role is a superuser, owns tables, or bypasses row-level security: use the ${role} role of docker/postgres/init-roles.sql`,
      );
    }
  } finally {
    await db.close();
  }
}

/** The shared database's roles and where a dedicated database's server reaches it. */
export interface SharedDatabase extends DatabaseConnection {
  /** host:port of the shared database as the dedicated database's server sees it (default: the owner URL's). */
  reachableAt?: string;
}

/**
 * Run once per dedicated database, as a superuser there (postgres_fdw is not
 * a trusted extension): the foreign server naming the shared database, owned
 * by the owner role, and a user mapping per role to the same role of the
 * shared database. Run again after a password changes, then `npm run migrate`.
 */
export async function prepareDedicatedDatabase(
  superuserUrl: string,
  dedicated: DatabaseConnection,
  shared: SharedDatabase,
): Promise<void> {
  const target = new URL(shared.ownerUrl);
  const [host, port] = (shared.reachableAt ?? `${target.hostname}:${target.port || '5432'}`).split(':');
  const db = new PlatformDatabase(superuserUrl);
  try {
    await db.transaction(async (m) => {
      // Names and values come from URLs the operator typed: quoted by PostgreSQL itself.
      const quote = async (fn: 'quote_literal' | 'quote_ident', value: string) =>
        ((await m.query(`select ${fn}($1::text) as q`, [value])) as { q: string }[])[0].q;
      const literal = (value: string) => quote('quote_literal', value);
      const ident = (url: string) => quote('quote_ident', decodeURIComponent(new URL(url).username));
      await m.query('create extension if not exists postgres_fdw');
      await m.query(`drop server if exists ${SHARED_SERVER} cascade`);
      await m.query(
        `create server ${SHARED_SERVER} foreign data wrapper postgres_fdw options (host ${await literal(host)}, port ${await literal(port ?? '5432')}, dbname ${await literal(target.pathname.slice(1))})`,
      );
      await m.query(`alter server ${SHARED_SERVER} owner to ${await ident(dedicated.ownerUrl)}`);
      for (const role of ['ownerUrl', 'appUrl', 'platformUrl'] as const) {
        const local = await ident(dedicated[role]);
        const remote = new URL(shared[role]);
        const password = remote.password ? `password ${await literal(decodeURIComponent(remote.password))}, ` : '';
        // password_required 'false' (a superuser's option) lets the mapping work with a shared database that
        // asks for no password (trust, as on a developer's machine); where it asks, the mapping's password answers.
        await m.query(
          `create user mapping for ${local} server ${SHARED_SERVER} options (user ${await literal(decodeURIComponent(remote.username))}, ${password}password_required 'false')`,
        );
      }
    });
  } finally {
    await db.close();
  }
}

async function assertPrepared(ownerUrl: string): Promise<void> {
  const db = new PlatformDatabase(ownerUrl);
  try {
    const [server] = await db.query('select 1 from pg_foreign_server where srvname = $1', [SHARED_SERVER]);
    if (!server)
      throw new Error(
        `${serverOf(ownerUrl)} is not prepared: run \`npm run tenant-db -- prepare\` there as a superuser first`,
      );
  } finally {
    await db.close();
  }
}

/**
 * Imports the shared database's global tables (every table without
 * `tenant_id`) into the schema `shared` of a dedicated database, and drops
 * the foreign keys from its tenant tables to its own, always empty, global
 * tables (the rows they name live in the shared database). Run after every
 * migration of a dedicated database: a migration may add columns or tables.
 */
export async function linkSharedTables(ownerUrl: string): Promise<void> {
  const db = new PlatformDatabase(ownerUrl);
  try {
    await db.transaction(async (m) => {
      const globals: { name: string }[] = await m.query(
        `select c.relname as name from pg_class c
          where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and c.relname <> 'migrations'
            and not exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
          order by 1`,
      );
      const keys: { tbl: string; name: string }[] = await m.query(
        `select k.conrelid::regclass::text as tbl, k.conname as name from pg_constraint k
          where k.contype = 'f' and k.connamespace = 'public'::regnamespace
            and not exists (select 1 from pg_attribute a where a.attrelid = k.confrelid and a.attname = 'tenant_id' and not a.attisdropped)`,
      );
      for (const key of keys) await m.query(`alter table ${key.tbl} drop constraint "${key.name}"`);
      await m.query('drop schema if exists shared cascade');
      await m.query('create schema shared');
      const list = globals.map((g) => `"${g.name}"`).join(', ');
      await m.query(
        `import foreign schema public limit to (${list}) from server ${SHARED_SERVER} into shared options (import_default 'true')`,
      );
      // The shared database's own grants still decide (the mapped role acts there); these only let the query reach it.
      await m.query(`grant usage on schema shared to ${APP_ROLE}, ${PLATFORM_ROLE}`);
      await m.query(
        `grant select, insert, update, delete on all tables in schema shared to ${APP_ROLE}, ${PLATFORM_ROLE}`,
      );
    });
  } finally {
    await db.close();
  }
}
