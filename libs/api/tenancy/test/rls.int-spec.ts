import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@tenantry/testing/test-database';
import { TestData, type TestTenant } from '@tenantry/testing/factories';
import { findIsolationGaps } from './isolation-catalog.js';

let db: TestDatabase;
let data: TestData;
let app: pg.Pool;
let acme: TestTenant;
let globex: TestTenant;

beforeAll(async () => {
  db = await createTestDatabase();
  data = new TestData(db.platformUrl);
  app = new pg.Pool({ connectionString: db.appUrl, max: 1 }); // one connection: settings must not survive reuse
  acme = await data.aTenant();
  globex = await data.aTenant();
  await data.contacts(acme, 3);
  await data.contacts(globex, 2);
});

afterAll(async () => {
  await app.end();
  await data.close();
  await db.drop();
});

/** Runs `work` as the app role in a transaction with app.tenant_id set (or not). */
async function asTenant<T>(tenantId: string | null, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await app.connect();
  try {
    await client.query('begin');
    if (tenantId) await client.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
    return await work(client);
  } finally {
    await client.query('rollback');
    client.release();
  }
}

describe('row-level security catalog', () => {
  it('covers every tenant table, view and function of the migrated schema', async () => {
    expect(await findIsolationGaps(app)).toEqual([]);
  });

  it('reports a table that forgets any part of the isolation recipe', async () => {
    const owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
    try {
      await owner.query('begin');
      await owner.query(
        `create table leaky (tenant_id uuid not null, id uuid primary key, email text unique, contact_id uuid)`,
      );
      await owner.query(`alter table leaky enable row level security`);
      await owner.query(`create policy p on leaky using (true)`);
      await owner.query(
        `alter table leaky add foreign key (tenant_id, contact_id) references contacts (tenant_id, id)`,
      );
      await owner.query(
        `create table leaky_child (tenant_id uuid not null, id uuid, parent uuid references leaky (id), primary key (tenant_id, id))`,
      );
      await owner.query(`create view contact_names as select name from contacts`);
      await owner.query(
        `create function peek() returns bigint language sql security definer as 'select count(*) from contacts'`,
      );
      const gaps = await findIsolationGaps(owner);
      expect(gaps).toEqual(
        expect.arrayContaining([
          'leaky: row level security is not forced',
          expect.stringMatching(/^leaky: policy p USING is not the tenant predicate/),
          'leaky: primary key must lead with tenant_id',
          'leaky: unique constraint leaky_email_key lacks tenant_id (existence oracle)',
          'leaky_child: row level security is not enabled',
          'leaky_child: foreign key leaky_child_parent_fkey to a tenant table lacks tenant_id',
          'view contact_names: must be created WITH (security_invoker = true)',
          'function peek: SECURITY DEFINER and not on the allow-list',
        ]),
      );
    } finally {
      await owner.query('rollback');
      await owner.end();
    }
  });
});

describe('row-level security at run time (app role)', () => {
  it('returns only the current tenant rows to a query without a WHERE', async () => {
    const rows = await asTenant(
      acme.id,
      async (c) => (await c.query<{ tenant_id: string }>('select tenant_id from contacts')).rows,
    );
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.tenant_id))).toEqual(new Set([acme.id]));
  });

  it('returns nothing when no tenant is set, also on a connection that had one before', async () => {
    await asTenant(globex.id, async (c) => expect((await c.query('select * from contacts')).rowCount).toBe(2));
    const leftover = await asTenant(
      null,
      async (c) => (await c.query(`select current_setting('app.tenant_id', true) as t`)).rows[0].t,
    );
    expect(leftover === null || leftover === '').toBe(true);
    expect(await asTenant(null, async (c) => (await c.query('select * from contacts')).rowCount)).toBe(0);
    expect(await asTenant(null, async (c) => (await c.query('select * from memberships')).rowCount)).toBe(0);
  });

  it('refuses an INSERT that names a foreign tenant_id', async () => {
    await expect(
      asTenant(acme.id, (c) => c.query(`insert into contacts (tenant_id, name) values ($1, 'Mallory')`, [globex.id])),
    ).rejects.toThrow(/row-level security policy/);
  });

  it('refuses an UPDATE that moves a row to another tenant', async () => {
    await expect(asTenant(acme.id, (c) => c.query(`update contacts set tenant_id = $1`, [globex.id]))).rejects.toThrow(
      /row-level security policy/,
    );
  });

  it('cannot switch row security off or alter the policy as the app role', async () => {
    await expect(asTenant(acme.id, (c) => c.query('alter table contacts disable row level security'))).rejects.toThrow(
      /must be owner/,
    );
    await expect(
      asTenant(null, async (c) => {
        await c.query('set local row_security = off');
        return c.query('select * from contacts');
      }),
    ).rejects.toThrow(/row-level security/);
  });
});

describe("a user's own memberships (the one reviewed extra policy)", () => {
  /** As the app role with app.user_id (and optionally app.tenant_id) set. */
  async function asUser<T>(
    userId: string,
    tenantId: string | null,
    work: (client: pg.PoolClient) => Promise<T>,
  ): Promise<T> {
    const client = await app.connect();
    try {
      await client.query('begin');
      await client.query(`select set_config('app.user_id', $1, true)`, [userId]);
      if (tenantId) await client.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
      return await work(client);
    } finally {
      await client.query('rollback');
      client.release();
    }
  }

  it("shows a user, outside any tenant, their memberships in every tenant and nobody else's", async () => {
    const both = await data.aMember(acme, 'admin');
    await data.aMember(globex, 'viewer', { email: both.email });
    await data.aMember(globex, 'owner');
    const rows = await asUser(
      both.userId,
      null,
      async (c) =>
        (
          await c.query<{ tenant_id: string; user_id: string; role: string }>(
            'select tenant_id, user_id, role from memberships',
          )
        ).rows,
    );
    expect(rows.map((r) => [r.tenant_id, r.user_id, r.role]).sort()).toEqual(
      [
        [acme.id, both.userId, 'admin'],
        [globex.id, both.userId, 'viewer'],
      ].sort(),
    );
  });

  it('adds nothing inside a tenant: the tenant policy alone decides there', async () => {
    const both = await data.aMember(acme, 'member');
    await data.aMember(globex, 'member', { email: both.email });
    const tenants = await asUser(
      both.userId,
      acme.id,
      async (c) => (await c.query<{ tenant_id: string }>('select distinct tenant_id from memberships')).rows,
    );
    expect(tenants).toEqual([{ tenant_id: acme.id }]);
  });

  it('lets a user change none of their memberships without a tenant', async () => {
    const member = await data.aMember(acme, 'viewer');
    const updated = await asUser(
      member.userId,
      null,
      async (c) => (await c.query(`update memberships set role = 'owner'`)).rowCount,
    );
    expect(updated).toBe(0);
  });
});

describe('audit log (append-only)', () => {
  it('lets the app role add and read entries of its tenant but never change or delete them', async () => {
    await asTenant(acme.id, async (c) => {
      await c.query(`insert into audit_events (action, actor_label) values ('auth.logout', 'someone')`);
      expect((await c.query('select * from audit_events')).rowCount).toBeGreaterThan(0);
      await c.query('savepoint s');
      await expect(c.query(`update audit_events set action = 'rewritten'`)).rejects.toThrow(/permission denied/);
      await c.query('rollback to savepoint s');
      await expect(c.query('delete from audit_events')).rejects.toThrow(/permission denied/);
    });
  });
});

describe('auto-join domains (the second reviewed extra policy)', () => {
  it('shows, outside any tenant, only verified domains whose tenant lets people join, and adds nothing inside a tenant', async () => {
    await data.query(
      `insert into verified_domains (tenant_id, domain, verification_token, verified_at, auto_join) values
      ($1, 'open.test', 't', now(), true), ($1, 'closed.test', 't', now(), false), ($2, 'unproven.test', 't', null, true)`,
      [acme.id, globex.id],
    );
    const outside = await asTenant(
      null,
      async (c) => (await c.query<{ domain: string }>('select domain from verified_domains order by domain')).rows,
    );
    expect(outside).toEqual([{ domain: 'open.test' }]);
    const inGlobex = await asTenant(
      globex.id,
      async (c) => (await c.query<{ domain: string }>('select domain from verified_domains order by domain')).rows,
    );
    expect(inGlobex).toEqual([{ domain: 'unproven.test' }]);
    expect(
      await asTenant(null, async (c) => (await c.query(`update verified_domains set auto_join = false`)).rowCount),
    ).toBe(0);
  });
});

describe('custom domains (the third reviewed extra policy and the one global unique index)', () => {
  it('shows, outside any tenant, only verified host names, and adds nothing inside a tenant', async () => {
    await data.query(
      `insert into custom_domains (tenant_id, hostname, verification_token, verified_at) values
      ($1, 'app.acme.test', 't', now()), ($1, 'pending.acme.test', 't', null), ($2, 'portal.globex.test', 't', null)`,
      [acme.id, globex.id],
    );
    const outside = await asTenant(
      null,
      async (c) => (await c.query<{ hostname: string }>('select hostname from custom_domains order by hostname')).rows,
    );
    expect(outside).toEqual([{ hostname: 'app.acme.test' }]);
    const inGlobex = await asTenant(
      globex.id,
      async (c) => (await c.query<{ hostname: string }>('select hostname from custom_domains order by hostname')).rows,
    );
    expect(inGlobex).toEqual([{ hostname: 'portal.globex.test' }]);
    expect(await asTenant(null, async (c) => (await c.query(`delete from custom_domains`)).rowCount)).toBe(0);
  });

  it('lets two tenants claim one host name, but only one hold it verified', async () => {
    await data.query(
      `insert into custom_domains (tenant_id, hostname, verification_token, verified_at) values ($1, 'shared.test', 'a', now())`,
      [acme.id],
    );
    const claimed = asTenant(globex.id, async (c) => {
      expect(
        (await c.query(`insert into custom_domains (hostname, verification_token) values ('shared.test', 'g')`))
          .rowCount,
      ).toBe(1);
      await c.query(`update custom_domains set verified_at = now() where hostname = 'shared.test'`);
    });
    await expect(claimed).rejects.toThrow(/custom_domains_verified_hostname/);
  });
});
