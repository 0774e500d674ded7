import { loadConfig } from '@tenantry/api-core';
import { migrate, MIGRATIONS } from '@tenantry/api-schema';
import { PlatformDatabase, prepareDedicatedDatabase, TenantDatabaseRegistry } from '@tenantry/api-tenancy';
import pg from 'pg';
import type { QueryRunner } from 'typeorm';
import { createTestDatabase, queryOn, type TestDatabase } from '@tenantry/testing/test-database';
import { migrateAll } from '../src/migrate-all.js';

const KEY = 'k'.repeat(40);
let shared: TestDatabase;
let dedicated: TestDatabase;
let platform: PlatformDatabase;

const registry = (key: string | null = KEY) => new TenantDatabaseRegistry(platform, key ?? undefined, shared.ownerUrl);
const connectionOf = (db: TestDatabase) => ({ ownerUrl: db.ownerUrl, appUrl: db.appUrl, platformUrl: db.platformUrl });

beforeAll(async () => {
  shared = await createTestDatabase();
  dedicated = await createTestDatabase(undefined, { migrated: false });
  platform = new PlatformDatabase(shared.platformUrl);
});

afterAll(async () => {
  await platform.close();
  await dedicated.drop();
  await shared.drop();
});

describe('dedicated database registry', () => {
  it('refuses what would not isolate, before writing anything', async () => {
    const other = connectionOf(dedicated);
    await expect(registry().register('Big Corp', other, migrate)).rejects.toThrow('is not a database name here');
    await expect(registry().register('acme', connectionOf(shared), migrate)).rejects.toThrow('is the shared database');
    await expect(registry().register('acme', { ...other, appUrl: shared.appUrl }, migrate)).rejects.toThrow(
      'all three must name one database',
    );
    // A superuser as the app role would step around every policy.
    await expect(registry().register('acme', { ...other, appUrl: dedicated.superuserUrl }, migrate)).rejects.toThrow(
      'superuser, owns tables, or bypasses row-level security',
    );
    await expect(registry(null).register('acme', other, migrate)).rejects.toThrow('DATABASE_SECRETS_KEY is not set');
    // Not linked to the shared database yet (a superuser's step).
    await expect(registry().register('acme', other, migrate)).rejects.toThrow('is not prepared');
    expect(await platform.query('select * from tenant_databases')).toEqual([]);
    expect(await queryOn(dedicated.ownerUrl, `select to_regclass('public.contacts') as contacts`)).toEqual([
      { contacts: null },
    ]);
  });

  it('registers a database: migrated with row-level security forced, its settings sealed, listed without credentials', async () => {
    await prepareDedicatedDatabase(dedicated.superuserUrl, connectionOf(dedicated), connectionOf(shared));
    const { applied } = await registry().register('acme', connectionOf(dedicated), migrate);
    expect(applied).toEqual(MIGRATIONS.map((m) => new m().name));
    const [contacts] = await queryOn<{ enabled: boolean; forced: boolean }>(
      dedicated.ownerUrl,
      `select relrowsecurity as enabled, relforcerowsecurity as forced from pg_class where oid = 'public.contacts'::regclass`,
    );
    expect(contacts).toEqual({ enabled: true, forced: true });
    // Linked: the shared database's users appear in the schema `shared`, and no foreign key points at the empty local copy.
    await platform.query(`insert into users (email, display_name) values ('linked@shared.test', 'Linked')`);
    expect(await queryOn(dedicated.appUrl, `select email from shared.users`)).toEqual([
      { email: 'linked@shared.test' },
    ]);
    expect(
      await queryOn(
        dedicated.ownerUrl,
        `select conname from pg_constraint where contype = 'f' and confrelid in ('public.users'::regclass, 'public.tenants'::regclass)`,
      ),
    ).toEqual([]);

    const [row] = await platform.query<{ connection_sealed: string }>('select connection_sealed from tenant_databases');
    expect(row.connection_sealed).not.toContain(dedicated.name);
    expect(row.connection_sealed).not.toContain('tenantry_app');
    const [listed] = await registry().list();
    expect(listed).toMatchObject({ name: 'acme', server: `127.0.0.1:5432/${dedicated.name}`, tenants: 0 });
    expect(JSON.stringify(listed)).not.toContain('tenantry_owner:');

    await expect(registry().register('acme', connectionOf(dedicated), migrate)).rejects.toThrow('registered already');
    await expect(registry('another-key-another-key-another-key!').list()).rejects.toThrow('does not open');
    // The app role of the shared database cannot read the registry at all.
    await expect(queryOn(shared.appUrl, 'select * from tenant_databases')).rejects.toThrow('permission denied');
  });

  it('npm run migrate brings every registered database up to date', async () => {
    // A registered database of its own that misses the newest migration (as after a release that added one).
    const behind = await createTestDatabase(undefined, { migrated: false });
    try {
      await prepareDedicatedDatabase(behind.superuserUrl, connectionOf(behind), connectionOf(shared));
      await registry().register('behind', connectionOf(behind), migrate);
      const newest = new MIGRATIONS[MIGRATIONS.length - 1]();
      const owner = new pg.Client({ connectionString: behind.ownerUrl });
      await owner.connect();
      await owner.query('begin');
      await newest.down(owner as unknown as QueryRunner);
      await owner.query('delete from migrations where name = $1', [newest.name]);
      await owner.query('commit');
      await owner.end();

      const database = {
        ...loadConfig({ JWT_SECRET: 'x'.repeat(32) }).database,
        ownerUrl: shared.ownerUrl,
        platformUrl: shared.platformUrl,
        secretsKey: KEY,
      };
      const first = await migrateAll(database);
      expect(first).toContainEqual({ database: 'shared', applied: [] });
      expect(first.filter((r) => r.applied.length > 0)).toEqual([{ database: 'behind', applied: [newest.name] }]);
      expect((await migrateAll(database)).filter((r) => r.applied.length > 0)).toEqual([]);
    } finally {
      await queryOn(shared.ownerUrl, `delete from tenant_databases where name = 'behind'`);
      await behind.drop();
    }
  });
});
