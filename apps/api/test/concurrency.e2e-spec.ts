import { setTimeout as sleep } from 'node:timers/promises';
import { Controller, Get, Module, Param, Post } from '@nestjs/common';
import { RequirePermission } from '@tenantry/api-core';
import { TenantDb } from '@tenantry/api-tenancy';
import type { Contact, Page } from '@tenantry/contracts';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import type { TestTenant } from '@tenantry/testing/factories';
import { queryOn } from '@tenantry/testing/test-database';
import { until } from '@tenantry/testing/until';
import { AppModule } from '../src/app.module.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Test-only route that yields to other requests between its queries, inside one tenant transaction. */
@Controller('probe')
class SlowProbeController {
  constructor(private readonly db: TenantDb) {}

  @Get('contacts')
  @RequirePermission('contacts.read')
  async contacts() {
    await sleep(Math.random() * 15);
    const manager = await this.db.manager();
    const first: { tenant_id: string }[] = await manager.query('select tenant_id from contacts');
    await sleep(Math.random() * 15);
    const [{ setting }]: { setting: string }[] = await manager.query(
      `select current_setting('app.tenant_id', true) as setting`,
    );
    const second: { tenant_id: string }[] = await manager.query('select tenant_id from contacts');
    return { tenants: [...new Set([...first, ...second].map((r) => r.tenant_id))], count: second.length, setting };
  }

  /** Many small writes of one request, one after the other: a client hanging up lands between two of them. */
  @Post('burst/:run')
  @RequirePermission('contacts.write')
  async burst(@Param('run') run: string) {
    const manager = await this.db.manager();
    for (let i = 0; i < 2000; i++)
      await manager.query('insert into contacts (name) values ($1)', [`burst-${run}-${i}`]);
    return { written: 2000 };
  }
}

@Module({ imports: [AppModule], controllers: [SlowProbeController] })
class ProbeAppModule {}

let t: TestApp;
const tenants: { tenant: TestTenant; token: string; contacts: number }[] = [];

beforeAll(async () => {
  t = await startTestApp({ rootModule: ProbeAppModule, env: { DATABASE_POOL_MAX: '8' } });
  for (let i = 0; i < 10; i++) {
    const tenant = await t.data.aTenant();
    const contacts = 3 + i;
    await t.data.contacts(tenant, contacts);
    tenants.push({ tenant, contacts, token: await t.login({ ...(await t.data.aMember(tenant, 'viewer')), tenant }) });
  }
});
afterAll(() => t.close());

const appPool = () => (t.app.get(DataSource).driver as unknown as { master: pg.Pool }).master;

/** What the app still has under way on its database: backends in a query or a transaction, and pool connections in use. */
async function appActivity() {
  const [{ busy }] = await queryOn<{ busy: number }>(
    t.db.superuserUrl,
    `select count(*)::int as busy from pg_stat_activity where datname = $1 and usename = 'tenantry_app' and state <> 'idle'`,
    [t.db.name],
  );
  const pool = appPool();
  return { busy, inUse: pool.totalCount - pool.idleCount, waiting: pool.waitingCount };
}
const quiet = (activity: Awaited<ReturnType<typeof appActivity>>) =>
  activity.busy + activity.inUse + activity.waiting === 0;

describe('concurrent requests across tenants', () => {
  it('keeps 240 overlapping requests over 10 tenants each inside its own tenant', async () => {
    const jobs = Array.from({ length: 240 }, (_, i) => {
      const target = tenants[(i * 7) % tenants.length];
      const viaHost = i % 2 === 0;
      const slow = i % 3 !== 0;
      const req = t.http
        .get(slow ? '/api/probe/contacts' : '/api/contacts?limit=100')
        .set('Authorization', `Bearer ${target.token}`);
      if (viaHost) req.set('Host', `${target.tenant.slug}.localhost`);
      return req.then((res) => ({ res, target, slow }));
    });
    const results = await Promise.all(jobs);
    for (const { res, target, slow } of results) {
      expect(res.status).toBe(200);
      if (slow) {
        expect(res.body).toEqual({ tenants: [target.tenant.id], count: target.contacts, setting: target.tenant.id });
      } else {
        const page = res.body as Page<Contact>;
        expect(page.items).toHaveLength(target.contacts);
        expect(page.items.every((c) => c.name.endsWith(`of ${target.tenant.slug}`))).toBe(true);
      }
    }
  });

  it('rolls back and releases the transaction of a client that hangs up mid-request', async () => {
    const target = tenants[0];
    const address = t.app.getHttpServer().listen(0).address() as { port: number };
    const aborts = Array.from({ length: 20 }, async () => {
      const controller = new AbortController();
      const pending = fetch(`http://127.0.0.1:${address.port}/api/probe/contacts`, {
        headers: { Authorization: `Bearer ${target.token}` },
        signal: controller.signal,
      }).catch(() => 'aborted');
      await sleep(3 + Math.random() * 10);
      controller.abort();
      return pending;
    });
    await Promise.all(aborts);
    // A transaction left open never gets here: the wait fails, naming what is still under way.
    await until('every hung-up request rolled back and gave its connection back', appActivity, quiet, 5_000);
  });

  it('returns every connection to the pool without a tenant setting', async () => {
    // Requests of every tenant at once, so the pool holds several connections that served one.
    await Promise.all(
      tenants.map(({ token }) => t.http.get('/api/probe/contacts').set('Authorization', `Bearer ${token}`).expect(200)),
    );
    const pool = appPool();
    expect(pool.totalCount).toBeGreaterThan(1);
    const clients = await Promise.all(Array.from({ length: pool.totalCount }, () => pool.connect()));
    try {
      for (const client of clients) {
        const { rows } = await client.query(`select current_setting('app.tenant_id', true) as setting`);
        expect(rows[0].setting ?? '').toBe('');
      }
    } finally {
      clients.forEach((c) => c.release());
    }
  });

  it('keeps all or none of the writes of a request whose client hung up (none runs outside the transaction)', async () => {
    const writer = tenants[1];
    const token = await t.login({ ...(await t.data.aMember(writer.tenant, 'member')), tenant: writer.tenant });
    const server = t.app.getHttpServer();
    const address = (server.listening ? server : server.listen(0)).address() as { port: number };
    const runs = Array.from({ length: 10 }, (_, run) => `r${run}-${Date.now()}`);
    await Promise.all(
      runs.map(async (run) => {
        const controller = new AbortController();
        const pending = fetch(`http://127.0.0.1:${address.port}/api/probe/burst/${run}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, Host: `${writer.tenant.slug}.localhost` },
          signal: controller.signal,
        }).catch(() => 'aborted');
        await sleep(40 + Math.random() * 80);
        controller.abort();
        return pending;
      }),
    );
    await until('the hung-up requests ended', appActivity, quiet, 10_000);
    const { rows } = await t.data.query<{ run: string; n: number }>(
      `select split_part(name, '-', 2) || '-' || split_part(name, '-', 3) as run, count(*)::int as n from contacts where tenant_id = $1 and name like 'burst-%' group by 1`,
      [writer.tenant.id],
    );
    const kept = new Map(rows.map((r) => [r.run, r.n]));
    for (const run of runs) expect([0, 2000]).toContain(kept.get(run) ?? 0);
    expect(runs.filter((run) => !kept.has(run)).length).toBeGreaterThan(0); // hang-ups did land mid-request
    // The app still works on the connections left.
    await t.http
      .get('/api/contacts')
      .set('Authorization', `Bearer ${token}`)
      .set('Host', `${writer.tenant.slug}.localhost`)
      .expect(200);
  });
});
