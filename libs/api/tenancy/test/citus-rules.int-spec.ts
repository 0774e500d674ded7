import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@tenantry/testing/test-database';
import { REVIEWED_GLOBAL_UNIQUE_INDEXES } from './isolation-catalog.js';

/**
 * The scale-out path of docs/scaling.md, checked against the real schema:
 * every tenant table can be distributed by `tenant_id` (Citus), and the
 * global tables it points at can be reference tables (or, `tenants`, the
 * co-located table keyed by its own id).
 */
let db: TestDatabase;
let client: pg.Client;
beforeAll(async () => {
  db = await createTestDatabase();
  client = new pg.Client({ connectionString: db.ownerUrl });
  await client.connect();
});
afterAll(async () => {
  await client.end();
  await db.drop();
});

// Global tables a tenant table may point at: reference tables in Citus (small, read-mostly), and tenants (distributed by id, co-located).
const GLOBAL_TARGETS = ['users', 'plans', 'tenants'];

async function tenantTables(): Promise<{ oid: number; name: string }[]> {
  const { rows } = await client.query<{ oid: number; name: string }>(`
    select c.oid, c.relname as name from pg_class c
      join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
      join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
     where c.relkind in ('r', 'p') and c.relname <> 'tenants' order by 1`);
  return rows;
}

async function tablesWithoutTenantInKey(): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `
    select c.relname as name from pg_class c where c.oid = any($1::oid[]) and not exists (
      select 1 from pg_constraint p join pg_attribute a on a.attrelid = p.conrelid and a.attnum = any(p.conkey)
       where p.conrelid = c.oid and p.contype = 'p' and a.attname = 'tenant_id') order by 1`,
    [(await tenantTables()).map((t) => t.oid)],
  );
  return rows.map((r) => r.name);
}

async function uniqueWithoutTenant(): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `
    select i.relname as name from pg_index x join pg_class i on i.oid = x.indexrelid
     where x.indisunique and x.indrelid = any($1::oid[])
       and not exists (select 1 from pg_attribute a where a.attrelid = x.indrelid and a.attnum = any(x.indkey::int2[]) and a.attname = 'tenant_id')`,
    [(await tenantTables()).map((t) => t.oid)],
  );
  return rows.map((r) => r.name);
}

describe('Citus rules (docs/scaling.md)', () => {
  it('finds the tenant tables in the catalog', async () => {
    const names = (await tenantTables()).map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(['contacts', 'memberships', 'audit_events', 'webhook_deliveries', 'exports']),
    );
  });

  it("has tenant_id in every tenant table's primary key", async () => {
    expect(await tablesWithoutTenantInKey()).toEqual([]);
  });

  it('has tenant_id in every foreign key between tenant tables, and points elsewhere only at reference-able tables', async () => {
    const tables = await tenantTables();
    const { rows } = await client.query<{ child: string; parent: string; name: string; with_tenant: boolean }>(
      `
      select child.relname as child, parent.relname as parent, con.conname as name,
             exists (select 1 from pg_attribute a where a.attrelid = con.conrelid and a.attnum = any(con.conkey) and a.attname = 'tenant_id') as with_tenant
        from pg_constraint con join pg_class child on child.oid = con.conrelid join pg_class parent on parent.oid = con.confrelid
       where con.contype = 'f' and con.conrelid = any($1::oid[])`,
      [tables.map((t) => t.oid)],
    );
    const names = new Set(tables.map((t) => t.name));
    const between = rows.filter((r) => names.has(r.parent));
    expect(between.length).toBeGreaterThan(0);
    expect(between.filter((r) => !r.with_tenant).map((r) => r.name)).toEqual([]);
    expect(
      [...new Set(rows.filter((r) => !names.has(r.parent)).map((r) => r.parent))].filter(
        (p) => !GLOBAL_TARGETS.includes(p),
      ),
    ).toEqual([]);
  });

  it('has no unique constraint or index without tenant_id, but the reviewed ones docs/scaling.md plans for', async () => {
    expect((await uniqueWithoutTenant()).sort()).toEqual(Object.keys(REVIEWED_GLOBAL_UNIQUE_INDEXES).sort());
  });

  it('would catch a table that breaks the rules', async () => {
    await client.query(
      'create table citus_probe (tenant_id uuid not null references tenants(id), id uuid primary key, code text unique)',
    );
    try {
      expect(await tablesWithoutTenantInKey()).toEqual(['citus_probe']);
      expect(await uniqueWithoutTenant()).toEqual(expect.arrayContaining(['citus_probe_code_key', 'citus_probe_pkey']));
    } finally {
      await client.query('drop table citus_probe');
    }
  });
});
