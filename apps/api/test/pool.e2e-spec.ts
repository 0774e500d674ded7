import { Controller, Get, Module } from '@nestjs/common';
import { RequirePermission } from '@tenantry/api-core';
import { TenantDb } from '@tenantry/api-tenancy';
import type { ErrorBody } from '@tenantry/contracts';
import type { TestTenant } from '@tenantry/testing/factories';
import { queryOn } from '@tenantry/testing/test-database';
import { until } from '@tenantry/testing/until';
import { AppModule } from '../src/app.module.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Test-only route that holds its connection for a while. */
@Controller('probe')
class HoldConnectionController {
  constructor(private readonly db: TenantDb) {}

  @Get('hold')
  @RequirePermission('contacts.read')
  async hold() {
    await (await this.db.manager()).query('select pg_sleep(0.6)');
    return { held: true };
  }
}

@Module({ imports: [AppModule], controllers: [HoldConnectionController] })
class HoldAppModule {}

let t: TestApp;
let tenant: TestTenant;
let token: string;

beforeAll(async () => {
  t = await startTestApp({
    rootModule: HoldAppModule,
    env: { DATABASE_POOL_MAX: '1', DATABASE_POOL_TIMEOUT_MS: '150' },
  });
  tenant = await t.data.aTenant();
  await t.data.contacts(tenant, 1);
  token = await t.login({ ...(await t.data.aMember(tenant, 'viewer')), tenant });
});
afterAll(() => t?.close());

describe('an exhausted connection pool', () => {
  it('answers 503 DATABASE_BUSY with Retry-After instead of waiting forever, then recovers', async () => {
    const holding = t.http.get('/api/probe/hold').set('Authorization', `Bearer ${token}`);
    const held = holding.then((res) => res);
    await until(
      'the hold request running on the only connection',
      async () =>
        (
          await queryOn<{ n: number }>(
            t.db.superuserUrl,
            `select count(*)::int as n from pg_stat_activity where datname = $1 and state = 'active' and query = 'select pg_sleep(0.6)'`,
            [t.db.name],
          )
        )[0].n,
      (n) => n === 1,
      5_000,
    );
    const busy = await t.http.get('/api/contacts').set('Authorization', `Bearer ${token}`).expect(503);
    expect((busy.body as ErrorBody).error.code).toBe('DATABASE_BUSY');
    expect(busy.headers['retry-after']).toBe('1');
    expect((await held).status).toBe(200);
    const after = await t.http.get('/api/contacts').set('Authorization', `Bearer ${token}`).expect(200);
    expect(after.body.items).toHaveLength(1);
  });
});

describe('a request refused by a guard after it opened a transaction', () => {
  it('gives its connection back (an API key without the scope, on a one-connection pool)', async () => {
    const { secret } = await t.data.anApiKey(tenant, ['contacts.read']);
    for (let i = 0; i < 3; i++) {
      const refused = await t.http.post('/api/contacts').set('X-API-Key', secret).send({ name: 'Nope' }).expect(403);
      expect((refused.body as ErrorBody).error.code).toBe('FORBIDDEN');
    }
    const after = await t.http.get('/api/contacts').set('X-API-Key', secret).expect(200);
    expect(after.body.items).toHaveLength(1);
  });
});
