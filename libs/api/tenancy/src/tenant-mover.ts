import pg from 'pg';
import { readTenantCatalog } from './tenant-catalog.js';
import { DEDICATED_SEARCH_PATH, type TenantDatabaseRegistry } from './tenant-databases.js';
import { moveFence } from './tenant-transaction.js';

/** The steps of a move, in order, for progress output (and for tests to act while the tenant is read-only). */
export type MoveStep = 'read-only' | 'copied' | 'switched' | 'removed';

export interface MoveOptions {
  /** The tenant's slug or id. */
  tenant: string;
  /** A registered dedicated database's name, or 'shared'. */
  to: string;
  /** The shared database's platform URL (DATABASE_PLATFORM_URL). */
  sharedPlatformUrl: string;
  registry: TenantDatabaseRegistry;
  /** Tells every API instance that the tenant's home changed (the ChangeBus), so they stop sending it to the old one. */
  announce: (tenant: { id: string; slug: string }) => Promise<void>;
  /**
   * How long the old database stays fenced after the switch: an instance that missed the
   * announcement still trusts its cached home for up to the caches' lifetime (5 s), and
   * meanwhile reads the old copy and cannot write there.
   */
  fenceAfterSwitchMs?: number;
  onStep?: (step: MoveStep, detail: string) => Promise<void> | void;
}

export interface MoveResult {
  tenantId: string;
  from: string;
  to: string;
  /** Rows per table, as copied and verified (count and checksum on both sides). */
  rows: Record<string, number>;
}

const BATCH = 1_000;
const NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * Moves a tenant's rows between the shared database and a dedicated one, or
 * back, without losing a write:
 * 1. takes the tenant's move fence on the old database: it waits for the
 *    tenant's transactions in flight, and every later one opens read-only
 *    (reads go on; PostgreSQL refuses writes, 503 TENANT_MOVING);
 * 2. copies every tenant table (from the catalog) in one snapshot into one
 *    transaction on the new database, and compares count and checksum of
 *    every table before committing;
 * 3. switches `tenants.database_id` and announces it;
 * 4. keeps the fence a few seconds for instances that missed the
 *    announcement, then deletes the old rows and lifts the fence.
 * A failure before the switch leaves the tenant where it was (the new
 * database's transaction rolls back); the fence ends with the session.
 */
export async function moveTenant(options: MoveOptions): Promise<MoveResult> {
  const shared = await connect(options.sharedPlatformUrl);
  const opened: pg.Client[] = [shared];
  try {
    const [tenant] = (
      await shared.query<{ id: string; slug: string; database_id: string | null; deleted_at: Date | null }>(
        'select id, slug, database_id, deleted_at from tenants where slug = $1 or id::text = $1',
        [options.tenant.toLowerCase()],
      )
    ).rows;
    if (!tenant) throw new Error(`no tenant ${options.tenant}`);
    if (tenant.deleted_at) throw new Error(`${tenant.slug} is deleted: restore it first (a purge needs no move)`);
    const databases = await options.registry.connections();
    const nameOf = (id: string | null) => (id === null ? 'shared' : (databases.find((d) => d.id === id)?.name ?? id));
    const target = options.to === 'shared' ? null : databases.find((d) => d.name === options.to);
    if (target === undefined)
      throw new Error(`no dedicated database named ${options.to} is registered (npm run tenant-db -- list)`);
    const targetId = target?.id ?? null;
    if (targetId === tenant.database_id) throw new Error(`${tenant.slug} is in ${options.to} already`);
    const urlOf = (id: string | null) =>
      id === null ? options.sharedPlatformUrl : databases.find((d) => d.id === id)!.connection.platformUrl;

    const source = await connect(urlOf(tenant.database_id));
    opened.push(source);
    const destination = await connect(urlOf(targetId));
    opened.push(destination);
    await sameSchema(source, destination);

    // 1. The fence (session-level, so it outlives the copy's transactions).
    await source.query(`select ${moveFence(tenant.id, 'pg_advisory_lock')}`);
    await options.onStep?.('read-only', `${tenant.slug} is read-only`);

    // 2. Copy in one snapshot, verify, commit.
    const catalog = await readTenantCatalog({
      query: async (sql: string, params?: unknown[]) => (await source.query(sql, params)).rows,
    });
    const rows: Record<string, number> = {};
    await source.query('start transaction isolation level repeatable read, read only');
    await destination.query('start transaction');
    try {
      if (!catalog.tables.every((table) => NAME.test(table))) throw new Error('unexpected table name in the catalog');
      // Left over from an earlier move that did not finish its removal: the old database is the truth.
      for (const table of catalog.deletionOrder)
        await destination.query(`delete from public.${table} where tenant_id = $1`, [tenant.id]);
      for (const table of catalog.tables) {
        await source.query(
          `declare rows_of_${table} no scroll cursor for select row_to_json(x) as r from public.${table} x where tenant_id = $1`,
          [tenant.id],
        );
        for (;;) {
          const batch = (await source.query<{ r: unknown }>(`fetch ${BATCH} from rows_of_${table}`)).rows;
          if (batch.length === 0) break;
          await destination.query(
            `insert into public.${table} select * from json_populate_recordset(null::public.${table}, $1::json)`,
            [JSON.stringify(batch.map((b) => b.r))],
          );
        }
        await source.query(`close rows_of_${table}`);
        const [before, after] = await Promise.all([
          fingerprint(source, table, tenant.id),
          fingerprint(destination, table, tenant.id),
        ]);
        if (before.n !== after.n || before.sum !== after.sum) {
          throw new Error(
            `${table}: ${before.n} rows here, ${after.n} there after the copy (or their contents differ): nothing was switched`,
          );
        }
        rows[table] = Number(before.n);
      }
      await destination.query('commit');
    } catch (error) {
      await destination.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      await source.query('rollback').catch(() => undefined);
    }
    const total = Object.values(rows).reduce((a, b) => a + b, 0);
    await options.onStep?.(
      'copied',
      `${total} rows in ${catalog.tables.length} tables copied to ${options.to} and verified`,
    );

    // 3. Switch.
    await shared.query('update tenants set database_id = $2 where id = $1', [tenant.id, targetId]);
    await options.announce({ id: tenant.id, slug: tenant.slug });
    await options.onStep?.('switched', `${tenant.slug} now lives in ${options.to}`);

    // 4. Fence a while longer for instances that missed the announcement, then remove the old rows.
    await new Promise((resolve) => setTimeout(resolve, options.fenceAfterSwitchMs ?? 10_000));
    try {
      await source.query('start transaction');
      for (const table of catalog.deletionOrder)
        await source.query(`delete from public.${table} where tenant_id = $1`, [tenant.id]);
      await source.query('commit');
    } catch (error) {
      throw new Error(
        `${tenant.slug} lives in ${options.to} now, but its old rows in ${nameOf(tenant.database_id)} could not be removed (${(error as Error).message}); they are unused: moving it back later replaces them`,
      );
    }
    await source.query(`select ${moveFence(tenant.id, 'pg_advisory_unlock')}`);
    await options.onStep?.('removed', `old rows removed from ${nameOf(tenant.database_id)}`);
    return { tenantId: tenant.id, from: nameOf(tenant.database_id), to: options.to, rows };
  } finally {
    await Promise.all(opened.map((client) => client.end().catch(() => undefined)));
  }
}

async function connect(url: string): Promise<pg.Client> {
  // UTC and ISO dates: a row's text (the checksum's input) must read the same on both servers.
  const client = new pg.Client({
    connectionString: url,
    options: `${DEDICATED_SEARCH_PATH} -c TimeZone=UTC -c DateStyle=ISO,YMD -c extra_float_digits=1`,
    application_name: 'tenantry-move',
  });
  await client.connect();
  return client;
}

/** Both databases at the same migration: every tenant table has the same columns, in the same order, on both. */
async function sameSchema(a: pg.Client, b: pg.Client): Promise<void> {
  const columns = async (c: pg.Client) =>
    JSON.stringify(
      (
        await c.query(
          `select table_name, string_agg(column_name || ' ' || data_type, ', ' order by ordinal_position) as columns from information_schema.columns
            where table_schema = 'public' and table_name in (select table_name from information_schema.columns where table_schema = 'public' and column_name = 'tenant_id')
            group by table_name order by table_name`,
        )
      ).rows,
    );
  if ((await columns(a)) !== (await columns(b)))
    throw new Error('the two databases are not at the same migration: run npm run migrate first');
}

/** Count and an order-independent checksum of a tenant's rows in a table. */
async function fingerprint(client: pg.Client, table: string, tenantId: string): Promise<{ n: string; sum: string }> {
  const { rows } = await client.query<{ n: string; sum: string }>(
    `select count(*)::text as n, coalesce(sum(hashtext(x::text)::bigint), 0)::text as sum from public.${table} x where tenant_id = $1`,
    [tenantId],
  );
  return rows[0];
}
