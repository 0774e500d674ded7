import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { migrate } from '@tenantry/api-schema';

const HOST = process.env.TEST_PG_HOST ?? '127.0.0.1:5432';
const url = (role: string, db: string, host = HOST) => `postgres://${role}:${role}@${host}/${db}`;
const LIBS_DIR = fileURLToPath(new URL('../../api/', import.meta.url));
const LOCK_KEY = 7_316_204; // advisory lock: one template build at a time across parallel test runs

/** A fingerprint of the migrations' sources (each module's src/migrations): the template is rebuilt when they change. */
function migrationsFingerprint(): string {
  const hash = createHash('sha256');
  for (const lib of readdirSync(LIBS_DIR).sort()) {
    const dir = `${LIBS_DIR}${lib}/src/migrations/`;
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).sort()) hash.update(`${lib}/${file}`).update(readFileSync(dir + file));
  }
  return hash.digest('hex').slice(0, 16);
}

async function withOwner<T>(work: (client: pg.Client) => Promise<T>, host = HOST): Promise<T> {
  const client = new pg.Client({ connectionString: url('tenantry_owner', 'postgres', host) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  /** The API's role: no table owned, RLS enforced. */
  appUrl: string;
  ownerUrl: string;
  /** The platform role: cross-tenant, for building test data. */
  platformUrl: string;
  /** The server's superuser on this database (trust on the test server): a DBA's steps such as CREATE EXTENSION. */
  superuserUrl: string;
  drop(): Promise<void>;
}

/** The rows of one query on `url`, on a connection of its own. */
export async function queryOn<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/**
 * A fresh, migrated database of its own for one test file, copied from a
 * template that is migrated once (and again whenever a migration changes).
 * `host`: another PostgreSQL server (`host:port`), e.g. a TestPostgres.
 * `migrated: false`: an empty database instead (for code that migrates it).
 */
export async function createTestDatabase(host = HOST, { migrated = true } = {}): Promise<TestDatabase> {
  const template = `tenantry_tpl_${migrationsFingerprint()}`;
  const name = `tenantry_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withOwner(async (client) => {
    await client.query('select pg_advisory_lock($1)', [LOCK_KEY]);
    try {
      const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [template]);
      if (!rowCount) {
        const building = `${template}_building`;
        await client.query(`drop database if exists ${building}`);
        await client.query(`create database ${building}`);
        await migrate(url('tenantry_owner', building, host));
        await client.query(`alter database ${building} rename to ${template}`);
      }
      await client.query(migrated ? `create database ${name} template ${template}` : `create database ${name}`);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [LOCK_KEY]);
    }
  }, host);
  return {
    name,
    appUrl: url('tenantry_app', name, host),
    ownerUrl: url('tenantry_owner', name, host),
    platformUrl: url('tenantry_platform', name, host),
    superuserUrl: url('postgres', name, host),
    drop: () =>
      withOwner(async (client) => {
        // Pools resolve end() before their sockets close: let them go before forcing the rest out,
        // or a closing connection is killed mid-way and its client raises an unhandled error.
        for (let i = 0; i < 40; i++) {
          const { rows } = await client.query<{ n: number }>(
            'select count(*)::int as n from pg_stat_activity where datname = $1',
            [name],
          );
          if (rows[0].n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await client.query(`drop database if exists ${name} with (force)`);
      }, host),
  };
}
