import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { encodeCursor } from '@tenantry/api-core';
import type { DataSource } from 'typeorm';
import { TestData } from '@tenantry/testing/factories';
import { QuerySnapshots } from '@tenantry/testing/query-snapshots';
import { openTenantDb } from '@tenantry/testing/tenant-db';
import { createTestDatabase, type TestDatabase } from '@tenantry/testing/test-database';
import { PlatformDatabase } from '../src/platform-database.js';
import { cursorScope } from '../src/tenant-list-order.js';
import { TenantsRepository } from '../src/tenants.repository.js';

let db: TestDatabase;
let data: TestData;
let dataSource: DataSource;
let platform: PlatformDatabase;
let tenants: TenantsRepository;

beforeAll(async () => {
  db = await createTestDatabase();
  data = new TestData(db.platformUrl);
  const opened = await openTenantDb(db);
  dataSource = opened.dataSource;
  platform = await PlatformDatabase.connect(db.platformUrl);
  tenants = new TenantsRepository(opened.tenantDb, dataSource, platform);
});
afterAll(async () => {
  await platform.close();
  await dataSource.destroy();
  await data.close();
  await db.drop();
});

describe('TenantsRepository', () => {
  it("sends the console's list SQL committed beside it", async () => {
    const sql = new QuerySnapshots(import.meta.url, 'tenants');
    const acme = await data.aTenant();
    await sql.record('consolePage: newest first', () => tenants.consolePage({ sort: 'created', limit: 25 }));
    await sql.record('consolePage: a search, a status and a plan, by name, after a cursor', () =>
      tenants.consolePage({
        search: { pattern: '%acme%', tenantIds: [acme.id] },
        status: 'active',
        plan: 'pro',
        sort: 'name',
        cursor: encodeCursor(cursorScope('name', 'asc'), { key: 'acme', id: randomUUID() }),
        limit: 25,
      }),
    );
    await sql.record('consolePage: by members, fewest first, after a cursor', () =>
      tenants.consolePage({
        sort: 'members',
        order: 'asc',
        memberCounts: [{ tenantId: acme.id, members: 3 }],
        cursor: encodeCursor(cursorScope('members', 'asc'), { key: '3', id: randomUUID() }),
        limit: 25,
      }),
    );
    sql.check();
  });
});
