import 'reflect-metadata';
import { RequestContext, type RequestState } from '@tenantry/api-core';
import type { DataSource } from 'typeorm';
import { TestData, type TestTenant } from '@tenantry/testing/factories';
import { openTenantDb } from '@tenantry/testing/tenant-db';
import { createTestDatabase, queryOn, type TestDatabase } from '@tenantry/testing/test-database';
import { until } from '@tenantry/testing/until';
import { TenantDb } from '../src/tenant-db.js';

let db: TestDatabase;
let data: TestData;
let dataSource: DataSource;
let tenantDb: TenantDb;
let acme: TestTenant;
let globex: TestTenant;

beforeAll(async () => {
  db = await createTestDatabase();
  data = new TestData(db.platformUrl);
  ({ dataSource, tenantDb } = await openTenantDb(db, { max: 1 }));
  acme = await data.aTenant();
  globex = await data.aTenant();
  await data.contacts(acme, 2);
  await data.contacts(globex, 5);
});
afterAll(async () => {
  await dataSource.destroy();
  await data.close();
  await db.drop();
});

const stateOf = (tenant: TestTenant): RequestState => ({ requestId: 'test', tenant: { ...tenant, status: 'active' } });
const count = async () => Number((await (await tenantDb.manager()).query('select count(*) as n from contacts'))[0].n);

describe('TenantDb', () => {
  it('refuses to open a transaction without a tenant', async () => {
    await expect(RequestContext.run({ requestId: 'x' }, () => tenantDb.manager())).rejects.toMatchObject({
      code: 'TENANT_REQUIRED',
    });
    await expect(tenantDb.manager()).rejects.toMatchObject({ code: 'TENANT_REQUIRED' });
  });

  it('refuses a tenant id that is not a UUID (it is inlined into SQL)', async () => {
    const state: RequestState = {
      requestId: 'x',
      tenant: { id: "x'; drop table contacts; --", slug: 'x', name: 'x', status: 'active' },
    };
    await expect(RequestContext.run(state, () => tenantDb.manager())).rejects.toThrow('Tenant id is not a UUID');
    await tenantDb.finish(state, 'rollback');
  });

  it('scopes queries to the tenant of the request in flight', async () => {
    const state = stateOf(globex);
    await RequestContext.run(state, async () => expect(await count()).toBe(5));
    await tenantDb.finish(state, 'commit');
  });

  it('fails loudly when a transaction is used for another tenant than the one it opened for', async () => {
    const state = stateOf(acme);
    await RequestContext.run(state, async () => {
      expect(await count()).toBe(2);
      // What a DI or context bug would do: the same request state now names another tenant.
      state.tenant = { ...globex, status: 'active' };
      await expect(tenantDb.manager()).rejects.toThrow('Tenant transaction used outside the request that opened it');
    });
    await tenantDb.finish(state, 'rollback');
  });

  it('commits what a request wrote before its answer may leave', async () => {
    const state = stateOf(acme);
    await RequestContext.run(state, async () =>
      (await tenantDb.manager()).query(`insert into contacts (name) values ('answered')`),
    );
    await tenantDb.commitForAnswer(state);
    const { rows } = await data.query(`select 1 from contacts where tenant_id = $1 and name = 'answered'`, [acme.id]);
    expect(rows).toHaveLength(1);
  });

  it('counts a SELECT followed by a second statement as a write: it commits before the answer', async () => {
    const state = stateOf(acme);
    await RequestContext.run(state, async () =>
      (await tenantDb.manager()).query(`select 1; insert into contacts (name) values ('behind a select')`),
    );
    await tenantDb.commitForAnswer(state);
    const { rows } = await data.query(`select 1 from contacts where tenant_id = $1 and name = 'behind a select'`, [
      acme.id,
    ]);
    expect(rows).toHaveLength(1);
  });

  it('lets the answer of a request that only read leave without waiting for a COMMIT', async () => {
    const pool = (dataSource.driver as unknown as { master: { idleCount: number } }).master;
    const state = stateOf(globex);
    await RequestContext.run(state, async () => expect(await count()).toBe(5));
    await tenantDb.commitForAnswer(state);
    await until(
      "the read's connection back in the pool",
      async () => pool.idleCount,
      (n) => n === 1,
      2000,
    );
  });

  it("runs whatever takes a read's connection next outside the read: its COMMIT goes first", async () => {
    const state = stateOf(globex);
    await RequestContext.run(state, async () => expect(await count()).toBe(5));
    await tenantDb.commitForAnswer(state);
    // The pool has one connection: this statement gets the read's. In a transaction of its own, now() is when it started.
    const [row] = await dataSource.query(
      `select current_setting('app.tenant_id', true) as setting, now() = statement_timestamp() as fresh`,
    );
    expect(row.setting ?? '').toBe('');
    expect(row.fresh).toBe(true);
  });

  it('commits a read whose connection nobody takes within moments', async () => {
    const state = stateOf(globex);
    const pid = await RequestContext.run(state, async () => {
      const [{ pid }] = await (await tenantDb.manager()).query('select pg_backend_pid() as pid');
      return pid as number;
    });
    await tenantDb.commitForAnswer(state);
    await until(
      "the read's connection idle, its transaction ended",
      // Only a superuser sees another role's session state.
      async () =>
        (
          await queryOn<{ state: string }>(db.superuserUrl, 'select state from pg_stat_activity where pid = $1', [pid])
        )[0]?.state,
      (s) => s === 'idle',
      2000,
    );
  });

  it('commits a read that locked a row before its answer, so the lock is free when the answer is', async () => {
    const [contact] = (
      await data.query<{ id: string }>('select id from contacts where tenant_id = $1 limit 1', [acme.id])
    ).rows;
    const state = stateOf(acme);
    await RequestContext.run(state, async () =>
      (await tenantDb.manager()).query('select id from contacts where id = $1 for update', [contact.id]),
    );
    await tenantDb.commitForAnswer(state);
    // Another session takes the same row lock without waiting.
    const { rows } = await data.query(`select id from contacts where id = $1 for update nowait`, [contact.id]);
    expect(rows).toHaveLength(1);
  });

  it('commits withTenant work that succeeds and rolls back work that throws', async () => {
    await tenantDb.withTenant(acme, async () => {
      await (await tenantDb.manager()).query(`insert into contacts (name) values ('kept')`);
    });
    await expect(
      tenantDb.withTenant(acme, async () => {
        await (await tenantDb.manager()).query(`insert into contacts (name) values ('half-written')`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rows } = await data.query<{ name: string }>(
      `select name from contacts where tenant_id = $1 and name in ('kept', 'half-written')`,
      [acme.id],
    );
    expect(rows.map((r) => r.name)).toEqual(['kept']);
  });

  it('abandons a transaction so that a query its handler sends afterwards fails, and nothing it wrote is kept', async () => {
    const state = stateOf(acme);
    const write = (name: string) =>
      RequestContext.run(state, async () =>
        (await tenantDb.manager()).query('insert into contacts (name) values ($1)', [name]),
      );
    await write('abandoned-1');
    // The client hangs up: the connection is dropped at once; the handler, unaware, writes again.
    const abandoned = tenantDb.abandon(state);
    const late = write('abandoned-2');
    await abandoned;
    await expect(late).rejects.toThrow();
    // Nor can it open a new transaction, whose writes would commit without the first ones.
    await expect(write('abandoned-3')).rejects.toThrow('abandoned by its client');
    const { rows } = await data.query(`select name from contacts where tenant_id = $1 and name like 'abandoned-%'`, [
      acme.id,
    ]);
    expect(rows).toEqual([]);
    // The pool made a new connection for the next request.
    const next = stateOf(globex);
    await RequestContext.run(next, async () => expect(await count()).toBe(5));
    await tenantDb.finish(next, 'rollback');
  });

  it('gives the connection back to the pool with no tenant setting', async () => {
    await tenantDb.withTenant(globex, () => count());
    const [{ setting }] = await dataSource.query(`select current_setting('app.tenant_id', true) as setting`);
    expect(setting ?? '').toBe('');
  });

  it('runs after-commit work once the rows are committed, and never after a rollback', async () => {
    const seen: number[] = [];
    // The callback counts on another connection-free path: the committed row must be visible to a new transaction.
    const visible = () =>
      tenantDb.withTenant(acme, async () => {
        seen.push(await count());
      });
    const before = await tenantDb.withTenant(acme, count);
    await tenantDb.withTenant(acme, async () => {
      await (await tenantDb.manager()).query(`insert into contacts (name) values ('after commit')`);
      tenantDb.afterCommit(visible);
      expect(seen).toEqual([]); // not yet: still inside the transaction
    });
    expect(seen).toEqual([before + 1]);
    await expect(
      tenantDb.withTenant(acme, async () => {
        await (await tenantDb.manager()).query(`insert into contacts (name) values ('rolled back')`);
        tenantDb.afterCommit(visible);
        throw new Error('request failed');
      }),
    ).rejects.toThrow('request failed');
    expect(seen).toEqual([before + 1]);
  });
});
