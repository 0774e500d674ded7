import 'reflect-metadata';
import { RequestContext } from '@tenantry/api-core';
import type { TenantDb } from '@tenantry/api-tenancy';
import type { DataSource } from 'typeorm';
import { TestData, type TestTenant } from '@tenantry/testing/factories';
import { QuerySnapshots } from '@tenantry/testing/query-snapshots';
import { openTenantDb } from '@tenantry/testing/tenant-db';
import { createTestDatabase, type TestDatabase } from '@tenantry/testing/test-database';
import { ContactsRepository } from '../src/contacts.repository.js';
import { ContactsService } from '../src/contacts.service.js';
import { ListContactsQuery } from '../src/dto/list-contacts.query.js';
import { ContactEntity } from '../src/entities/contact.entity.js';

let db: TestDatabase;
let data: TestData;
let dataSource: DataSource;
let tenantDb: TenantDb;
let contacts: ContactsService;
let tenant: TestTenant;

beforeAll(async () => {
  db = await createTestDatabase();
  data = new TestData(db.platformUrl);
  ({ dataSource, tenantDb } = await openTenantDb(db, { entities: [ContactEntity], max: 2 }));
  // list() needs no plan meter, webhooks or live updates.
  contacts = new ContactsService(new ContactsRepository(tenantDb), ...([] as unknown as [never, never, never]));
  tenant = await data.aTenant();
});
afterAll(async () => {
  await dataSource.destroy();
  await data.close();
  await db.drop();
});

/** Runs `work` as a read-only request of the tenant. */
function inTenant<T>(work: () => Promise<T>): Promise<T> {
  const state = { requestId: 'test', tenant: { ...tenant, status: 'active' } };
  return RequestContext.run(state, async () => {
    try {
      return await work();
    } finally {
      await tenantDb.finish(state, 'rollback');
    }
  });
}
const query = (fields: Partial<ListContactsQuery>) => Object.assign(new ListContactsQuery(), fields);

describe('ContactsService', () => {
  it('searches % and _ literally, not as wildcards', async () => {
    await data.contacts(tenant, 1, () => '100% Coffee');
    await data.contacts(tenant, 1, () => '1000 Coffees');
    await data.contacts(tenant, 1, () => 'snake_case Ltd');
    await data.contacts(tenant, 1, () => 'snakeXcase Ltd');
    const percent = await inTenant(() => contacts.list(query({ q: '100%' })));
    expect(percent.items.map((c) => c.name)).toEqual(['100% Coffee']);
    const underscore = await inTenant(() => contacts.list(query({ q: 'snake_case' })));
    expect(underscore.items.map((c) => c.name)).toEqual(['snake_case Ltd']);
  });

  it('pages through equal names by name then id, without gaps or repeats', async () => {
    await data.contacts(tenant, 7, () => 'Same Name');
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await inTenant(() => contacts.list(query({ q: 'Same Name', sort: 'name', limit: 3, cursor })));
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(seen).toEqual([...seen].sort());
  });
});

describe('ContactsRepository', () => {
  it('sends the SQL committed beside it', async () => {
    const sql = new QuerySnapshots(import.meta.url, 'contacts');
    const repository = new ContactsRepository(tenantDb);
    const [contact] = await data.contacts(tenant, 2, (i) => `Ada Lovelace ${i}`);
    await sql.record('page: newest first', () => inTenant(() => repository.page(query({}), 21)));
    const after = (await inTenant(() => contacts.list(query({ limit: 1 })))).nextCursor ?? undefined;
    await sql.record('page: a search, newest first, after a cursor', () =>
      inTenant(() => repository.page(query({ q: 'ada', cursor: after }), 21)),
    );
    const byName = (await inTenant(() => contacts.list(query({ sort: 'name', limit: 1 })))).nextCursor ?? undefined;
    await sql.record('page: by name, after a cursor', () =>
      inTenant(() => repository.page(query({ sort: 'name', cursor: byName }), 21)),
    );
    await sql.record('find', () => inTenant(() => repository.find(contact!)));
    sql.check();
  });
});
